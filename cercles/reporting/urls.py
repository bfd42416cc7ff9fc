from django.urls import path

from . import views_stories

app_name = "reporting"

urlpatterns = [
    path("communities/<slug:slug>/stories/", views_stories.stories, name="stories"),
    path(
        "communities/<slug:slug>/stories/<int:pk>/feature",
        views_stories.feature,
        name="feature",
    ),
    path("communities/<slug:slug>/stories/<int:pk>/delete", views_stories.delete, name="delete"),
    path("communities/<slug:slug>/stage/", views_stories.stage_override, name="stage"),
    path("coordination/reports/stories/", views_stories.story_counts, name="story_counts"),
    path("coordination/reports/stages/", views_stories.stages, name="stages"),
]
