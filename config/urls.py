from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cercles.core import views as core_views

admin.site.site_header = "Cercles"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("language/", core_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("", include("cercles.accounts.urls")),
    path("", include("cercles.communities.urls")),
    path("", include("cercles.discussions.urls")),
    path("", include("cercles.meetings.urls")),
    path("", include("cercles.library.urls")),
    path("", include("cercles.coordination.urls")),
    path("", include("cercles.surveys.urls")),
    path("", include("cercles.coordination.newsletter_urls")),
    path("", include("cercles.coordination.follow_up_urls")),
    path("", include("cercles.mentoring.urls")),
    path("", include("cercles.seasons.urls")),
    path("", include("cercles.reporting.urls")),
    path("admin/", admin.site.urls),
    path("notifications/", include("cercles.notifications.urls")),
    path("", include("cercles.api.urls")),
]

if settings.BENCH_BARE_VIEW:
    # The benchmarks' ceiling: a small template, no database (bench settings only).
    urlpatterns += [path("bench/bare", core_views.bench_bare)]
