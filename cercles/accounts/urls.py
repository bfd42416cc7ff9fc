from django.urls import include, path

from . import views

people_patterns = (
    [
        path("", views.directory, name="directory"),
        path("<str:username>/", views.profile, name="profile"),
        path("<str:username>/avatar", views.avatar, name="avatar"),
    ],
    "people",
)

coordination_patterns = (
    [
        path("coordinators/", views.coordinators, name="coordinators"),
        path(
            "coordinators/<str:username>/role",
            views.change_coordinator_role,
            name="change_coordinator_role",
        ),
        path("themes/", include("cercles.taxonomy.urls")),
    ],
    "coordination",
)

urlpatterns = [
    path("people/", include(people_patterns)),
    path("accounts/profile/", views.profile_edit, name="profile_edit"),
    path("coordination/", include(coordination_patterns)),
]
