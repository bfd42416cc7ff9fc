from django.contrib import admin

from .models import AuditEvent, Job


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "name", "state", "attempts", "finished_at"]
    list_filter = ["state", "name"]
    exclude = ["message"]
    readonly_fields = [f.name for f in Job._meta.fields if f.name != "message"]
