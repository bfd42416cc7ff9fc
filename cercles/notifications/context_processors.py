from functools import cache

from .models import Notification


def unread_notifications(request):
    """`unread_notifications_count` for the navigation: one query, made only if a page uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread_notifications_count():
        return Notification.objects.for_recipient(user).unread().count()

    # Templates call a callable when they resolve it, so pages that do not show it pay nothing.
    return {"unread_notifications_count": unread_notifications_count}
