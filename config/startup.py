"""Checks made before serving a single request (config/wsgi.py and config/asgi.py).

With DEBUG off, Cercles refuses to start on the development key or a weak one: sessions, password
reset links and signed unsubscribe links would be forgeable by anyone who read the source.
"""

from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_KEY_PREFIX = "django-insecure"
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5


def secret_key_problem(secret_key):
    """Why a key is not fit for production, or "" (the rules of Django's check security.W009)."""
    if not secret_key:
        return "SECRET_KEY is empty"
    if secret_key.startswith(DEVELOPMENT_KEY_PREFIX):
        return "SECRET_KEY is the development key"
    if len(secret_key) < MIN_LENGTH or len(set(secret_key)) < MIN_UNIQUE_CHARACTERS:
        return (
            f"SECRET_KEY is too weak: at least {MIN_LENGTH} characters, "
            f"{MIN_UNIQUE_CHARACTERS} different ones"
        )
    return ""


def refuse_insecure_settings(settings):
    if settings.DEBUG:
        return
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem:
        raise ImproperlyConfigured(
            f"{problem}. With DEBUG off, set SECRET_KEY to a long random string, e.g. "
            '`python -c "import secrets; print(secrets.token_urlsafe(64))"`.'
        )
