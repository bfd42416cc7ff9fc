from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cercles.core import views as core_views
from cercles.home import views as home_views
from cercles.search import views as search_views

admin.site.site_header = "Cercles"
# A database that does not answer gets a 503 page rather than the 500 one.
handler500 = "cercles.core.views.server_error"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("language/", core_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    # The expert directory (search app) answers /people/, named people:directory by accounts.
    path("people/", search_views.directory),
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
    # Before the admin's own URLs: its log-in goes through the site's (rate-limited, 2FA).
    path("admin/login/", core_views.admin_login),
    path("", include("cercles.reporting.urls")),
    path("", include("cercles.search.urls")),
    path("admin/", admin.site.urls),
    path("notifications/", include("cercles.notifications.urls")),
    path("", include("cercles.api.urls")),
]

if settings.BENCH_BARE_VIEW:
    # The benchmarks' ceiling: a small template, no database (bench settings only).
    urlpatterns += [path("bench/bare", core_views.bench_bare)]
