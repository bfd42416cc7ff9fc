from django.urls import path

from . import views

app_name = "meetings"

base = "communities/<slug:slug>/meetings/"

urlpatterns = [
    path(base, views.meeting_list, name="list"),
    path(f"{base}new/", views.meeting_create, name="create"),
    path(f"{base}<int:meeting_id>/", views.meeting_detail, name="detail"),
    path(f"{base}<int:meeting_id>.ics", views.meeting_ics, name="ics"),
    path(f"{base}<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path(f"{base}<int:meeting_id>/cancel/", views.meeting_cancel, name="cancel"),
    path(f"{base}<int:meeting_id>/rsvp/", views.meeting_rsvp, name="rsvp"),
    path(f"{base}<int:meeting_id>/attendance/", views.meeting_attendance, name="attendance"),
    path(f"{base}<int:meeting_id>/minutes/", views.meeting_minutes, name="minutes"),
    path(f"{base}<int:meeting_id>/roles/", views.meeting_roles, name="roles"),
    path(f"{base}series/<int:series_id>.ics", views.series_ics, name="series_ics"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
