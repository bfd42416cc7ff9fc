from django.urls import path

from . import views_follow_up as views

app_name = "follow_up"

urlpatterns = [
    path("coordination/", views.dashboard_view, name="dashboard"),
    path("coordination/communities.csv", views.dashboard_csv, name="csv"),
    path("coordination/refresh", views.dashboard_refresh, name="refresh"),
    path("coordination/thresholds/", views.thresholds_edit, name="thresholds"),
    path("coordination/communities/<slug:slug>/", views.follow_up_view, name="community"),
    path("coordination/communities/<slug:slug>/notes", views.follow_up_note, name="note"),
    path("coordination/communities/<slug:slug>/contact", views.contact_lead, name="contact"),
]
