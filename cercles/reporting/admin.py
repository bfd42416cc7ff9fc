from django.contrib import admin

from .models import StageOverride, ValueStory


@admin.register(ValueStory)
class ValueStoryAdmin(admin.ModelAdmin):
    list_display = ("title", "community", "value_kind", "author", "featured_at", "created_at")
    list_filter = ("value_kind",)
    search_fields = ("title", "community__title")
    raw_id_fields = ("community", "author", "featured_by")


@admin.register(StageOverride)
class StageOverrideAdmin(admin.ModelAdmin):
    list_display = ("community", "stage", "set_by", "set_at")
    raw_id_fields = ("community", "set_by")
