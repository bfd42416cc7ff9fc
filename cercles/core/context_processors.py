from django.conf import settings


def navigation(request):
    """What the base layout needs on every page: the languages offered."""
    return {"available_languages": settings.LANGUAGES}
