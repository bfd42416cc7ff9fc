from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("communities/<slug:slug>/mentoring/", views.need_list, name="list"),
    path("communities/<slug:slug>/mentoring/needs/new", views.need_new, name="need_new"),
    path("communities/<slug:slug>/mentoring/needs/<int:pk>/", views.need_detail, name="need"),
    path("communities/<slug:slug>/mentoring/needs/<int:pk>/assign", views.assign, name="assign"),
    path(
        "communities/<slug:slug>/mentoring/mentorships/<int:pk>/sessions",
        views.log_session,
        name="log_session",
    ),
    path("communities/<slug:slug>/mentoring/mentorships/<int:pk>/end", views.end, name="end"),
    path("accounts/profile/mentoring/", views.mentor_profile_edit, name="profile"),
]
