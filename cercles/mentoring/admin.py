from django.contrib import admin

from .models import MentoringSession, MentorProfile, Mentorship, SupportNeed


class MentorshipInline(admin.TabularInline):
    model = Mentorship
    extra = 0
    raw_id_fields = ["mentor", "assigned_by", "community"]


@admin.register(SupportNeed)
class SupportNeedAdmin(admin.ModelAdmin):
    list_display = ["community", "subject", "scope", "urgency", "status", "created_at"]
    list_filter = ["status", "subject", "urgency"]
    list_select_related = ["community"]
    search_fields = ["community__title", "description"]
    raw_id_fields = ["community", "created_by"]
    inlines = [MentorshipInline]


@admin.register(MentoringSession)
class MentoringSessionAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "held_on", "format"]
    raw_id_fields = ["mentorship", "author"]


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "available"]
    raw_id_fields = ["user"]
