from django.contrib import admin

from .models import RSVP, Attendance, CalendarFeed, Meeting


class RSVPInline(admin.TabularInline):
    model = RSVP
    extra = 0
    raw_id_fields = ["user"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "community",
        "kind",
        "starts_at",
        "cancelled_at",
        "minutes_published_at",
    ]
    list_filter = ["kind"]
    search_fields = ["title", "community__title"]
    raw_id_fields = ["community", "created_by"]
    date_hierarchy = "starts_at"
    inlines = [RSVPInline, AttendanceInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    raw_id_fields = ["user"]
    exclude = ["token"]
