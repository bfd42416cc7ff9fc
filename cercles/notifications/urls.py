from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.notification_settings, name="settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<int:pk>/open", views.open_notification, name="open"),
    path("<int:pk>/read", views.mark_read, name="mark_read"),
]
