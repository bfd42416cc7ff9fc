from django.urls import path

from . import views_newsletter as views

app_name = "newsletter"

urlpatterns = [
    path("coordination/newsletter/", views.newsletter_list, name="list"),
    path("coordination/newsletter/sending/", views.sending_report, name="sending"),
    path("coordination/newsletter/<int:pk>/", views.newsletter_edit, name="edit"),
    path("coordination/newsletter/<int:pk>/images", views.newsletter_image, name="add_image"),
    path("coordination/newsletter/<int:pk>/preview/", views.newsletter_preview, name="preview"),
    path(
        "coordination/newsletter/<int:pk>/preview/email",
        views.newsletter_preview_email,
        name="preview_email",
    ),
    path("coordination/newsletter/<int:pk>/send/", views.newsletter_send, name="send"),
    path("coordination/newsletter/<int:pk>/report/", views.newsletter_report, name="report"),
    path("newsletters/", views.archive_list, name="archive"),
    path("newsletters/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("newsletters/images/<int:pk>.<str:extension>", views.image, name="image"),
]
