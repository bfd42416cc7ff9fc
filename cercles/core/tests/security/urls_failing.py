"""The project's URLs plus one view that fails, for the error page tests."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

SECRET_IN_ERROR = "pg-password-s3cr3t in /srv/cercles/config/settings.py"


@login_not_required
def failing(request):
    raise RuntimeError(SECRET_IN_ERROR)


urlpatterns = [*project_urlpatterns, path("failing/", failing)]
