from django.urls import include, path

from . import views

people_patterns = (
    [
        path("", views.directory, name="directory"),
        path("<str:username>/", views.profile, name="profile"),
        path("<str:username>/avatar", views.avatar, name="avatar"),
        path("<str:username>/delete/", views.delete_account, name="delete"),
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
        path("audit/", views.audit_log, name="audit_log"),
    ],
    "coordination",
)

urlpatterns = [
    path("people/", include(people_patterns)),
    path("accounts/profile/", views.profile_edit, name="profile_edit"),
    path("accounts/profile/tokens/", views.api_token_create, name="api_token_create"),
    path(
        "accounts/profile/tokens/<int:token_id>/revoke",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("accounts/profile/data/", views.my_data, name="my_data"),
    path(
        "accounts/profile/data/<int:export_id>/download",
        views.my_data_download,
        name="my_data_download",
    ),
    path("accounts/profile/delete/", views.delete_my_account, name="delete_my_account"),
    path("privacy/", views.privacy, name="privacy"),
    path("coordination/", include(coordination_patterns)),
]
