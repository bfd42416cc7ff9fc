from django.urls import path

from . import views

app_name = "discussions"

BASE = "communities/<slug:slug>/discussions/"
THREAD = BASE + "<int:thread_id>/"
POST = BASE + "posts/<int:post_id>/"

urlpatterns = [
    path(BASE, views.thread_list, name="thread_list"),
    path(BASE + "new/", views.thread_create, name="thread_create"),
    path(BASE + "codev/new/", views.codev_create, name="codev_create"),
    path(BASE + "mentions", views.mention_suggestions, name="mention_suggestions"),
    path(THREAD, views.thread_detail, name="thread"),
    path(THREAD + "unread/", views.unread, name="unread"),
    path(THREAD + "reply", views.reply, name="reply"),
    path(THREAD + "follow", views.toggle_follow, name="follow"),
    path(THREAD + "pin", views.toggle_pin, name="pin"),
    path(THREAD + "lock", views.toggle_lock, name="lock"),
    path(THREAD + "follow-up/", views.follow_up, name="follow_up"),
    path(POST, views.post_link, name="post"),
    path(POST + "edit/", views.edit_post, name="edit_post"),
    path(POST + "history/", views.post_history, name="post_history"),
    path(POST + "delete", views.delete_post, name="delete_post"),
    path(POST + "hide/", views.hide_post, name="hide_post"),
    path(POST + "report/", views.report_post, name="report_post"),
    path(POST + "helpful", views.mark_helpful, name="mark_helpful"),
    path(BASE + "files/<int:attachment_id>/", views.download, name="download"),
    path("discussions/reports/", views.report_list, name="reports"),
    path(
        "discussions/reports/<int:report_id>/resolve", views.resolve_report, name="resolve_report"
    ),
]
