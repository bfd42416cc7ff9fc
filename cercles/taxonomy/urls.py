from django.urls import path

from . import views

urlpatterns = [
    path("", views.theme_list, name="themes"),
    path("<slug:slug>/", views.theme_edit, name="theme_edit"),
]
