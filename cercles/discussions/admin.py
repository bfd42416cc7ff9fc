from django.contrib import admin

from .models import Attachment, Post, Report, Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "kind", "post_count", "last_activity_at", "locked"]
    list_filter = ["kind", "pinned", "locked"]
    search_fields = ["title"]
    raw_id_fields = ["community", "author", "last_post"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["id", "thread", "author", "kind", "created_at", "deleted_at", "hidden_at"]
    list_filter = ["kind"]
    raw_id_fields = ["thread", "author", "quoted", "hidden_by"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["post", "reporter", "created_at", "resolved_at"]
    raw_id_fields = ["post", "reporter", "resolved_by"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "post", "size", "content_type"]
    raw_id_fields = ["post"]
