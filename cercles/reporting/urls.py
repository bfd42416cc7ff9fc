from django.urls import path

from . import views_reports as r
from . import views_stories as s

app_name = "reporting"

# Addresses under /coordination/ are the coordinators' own (404 to anyone else signed in); the
# published reports and the members' contributions live under /reports/.
urlpatterns = [
    path("communities/<slug:slug>/stories/", s.stories, name="stories"),
    path("communities/<slug:slug>/stories/<int:pk>/feature", s.feature, name="feature"),
    path("communities/<slug:slug>/stories/<int:pk>/delete", s.delete, name="delete"),
    path("communities/<slug:slug>/stage/", s.stage_override, name="stage"),
    path("coordination/reports/stories/", s.story_counts, name="story_counts"),
    path("coordination/reports/stages/", s.stages, name="stages"),
    path("coordination/reports/statistics/", s.statistics, name="statistics"),
    path("coordination/reports/statistics.csv", s.statistics_csv, name="statistics_csv"),
    path("coordination/reports/", r.report_list, name="report_list"),
    path("coordination/reports/<int:report_id>/edit", r.report_edit, name="report_edit"),
    path("coordination/reports/<int:report_id>/preview", r.report_preview, name="report_preview"),
    path(
        "coordination/reports/<int:report_id>/recompile",
        r.report_recompile,
        name="report_recompile",
    ),
    path("coordination/reports/<int:report_id>/publish", r.report_publish, name="report_publish"),
    path(
        "coordination/reports/<int:report_id>/blocks/<int:block_id>/arrange",
        r.block_arrange,
        name="block_arrange",
    ),
    path(
        "coordination/reports/<int:report_id>/contributions/<int:contribution_id>/review",
        r.contribution_review,
        name="contribution_review",
    ),
    path("reports/", r.published_list, name="published_list"),
    path("reports/<int:report_id>/", r.report_detail, name="report"),
    path("reports/<int:report_id>/pdf", r.report_pdf, name="report_pdf"),
    path(
        "reports/<int:report_id>/blocks/<int:block_id>/contribute",
        r.contribute,
        name="contribute",
    ),
    path(
        "reports/<int:report_id>/blocks/<int:block_id>/share",
        r.block_share,
        name="block_share",
    ),
    path(
        "reports/contributions/<int:contribution_id>/image",
        r.contribution_image,
        name="contribution_image",
    ),
]
