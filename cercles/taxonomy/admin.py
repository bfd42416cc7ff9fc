from django.contrib import admin

from .models import Skill, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "sdg_number", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name_fr", "name_en"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    search_fields = ["name"]
