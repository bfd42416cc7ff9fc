from django.urls import path

from . import views

app_name = "updates"

urlpatterns = [
    path("communities/<slug:slug>/updates/", views.update_list, name="list"),
    path("communities/<slug:slug>/updates/new", views.update_new, name="new"),
]
