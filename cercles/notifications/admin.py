from django.contrib import admin

from .models import (
    CommunityPreference,
    DigestSchedule,
    EmailDelivery,
    Mailing,
    Notification,
    NotificationPreference,
    SuppressedAddress,
)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "delivery", "message", "read_at"]
    list_filter = ["kind", "delivery", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__email", "recipient__display_name", "kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "actor"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "delivery"]
    list_filter = ["group", "delivery"]
    search_fields = ["user__email", "user__display_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(CommunityPreference)
class CommunityPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "community_id", "level"]
    list_filter = ["level"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(DigestSchedule)
class DigestScheduleAdmin(admin.ModelAdmin):
    list_display = ["user", "hour", "weekday", "next_daily_at", "next_weekly_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "status", "created_at", "finished_at"]
    list_filter = ["kind", "status"]


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "key", "address", "status", "reason", "sent_at"]
    list_filter = ["status", "reason"]
    search_fields = ["address", "key"]
    raw_id_fields = ["user", "mailing"]
    readonly_fields = ["created_at"]


@admin.register(SuppressedAddress)
class SuppressedAddressAdmin(admin.ModelAdmin):
    list_display = ["address", "created_at"]
    search_fields = ["address"]
