from django.contrib import admin

from .models import Objective, Season


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    raw_id_fields = ["milestone", "production"]


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "starts_on", "ends_on", "review_published_at"]
    list_select_related = ["community"]
    search_fields = ["name", "community__title"]
    raw_id_fields = ["community", "review_published_by"]
    inlines = [ObjectiveInline]
