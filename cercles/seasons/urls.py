from django.urls import path

from . import views

app_name = "seasons"

C = "communities/<slug:slug>/"

urlpatterns = [
    path(f"{C}seasons/", views.season_list, name="list"),
    path(f"{C}seasons/rhythm", views.season_length, name="length"),
    path(f"{C}seasons/new/", views.season_new, name="new"),
    path(f"{C}seasons/<int:season_id>/edit/", views.season_edit, name="edit"),
    path(f"{C}seasons/<int:season_id>/objectives/new/", views.objective_add, name="objective_add"),
    path(
        f"{C}seasons/objectives/<int:objective_id>/edit/",
        views.objective_edit,
        name="objective_edit",
    ),  # noqa: E501
    path(
        f"{C}seasons/objectives/<int:objective_id>/status",
        views.objective_status,
        name="objective_status",
    ),  # noqa: E501
    path(f"{C}seasons/<int:season_id>/review/", views.season_review, name="review"),
    path(f"{C}seasons/<int:season_id>/celebration/", views.celebration, name="celebration"),
    path(
        f"{C}seasons/<int:season_id>/celebration.pdf", views.celebration_pdf, name="celebration_pdf"
    ),  # noqa: E501
    path(f"{C}health/", views.health_list, name="health_list"),
    path(f"{C}health/new/", views.health_new, name="health_new"),
    path(f"{C}health/<int:review_id>/", views.health_review, name="health_review"),
    path(f"{C}closing/", views.closing, name="closing"),
    path(f"{C}closing/grace", views.archive_grace, name="archive_grace"),
    path(f"{C}reopen/", views.reopen, name="reopen"),
    path("coordination/health-reviews/", views.network_health, name="network_health"),
]
