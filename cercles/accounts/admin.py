from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "email",
        "display_name",
        "organisation",
        "country",
        "is_coordinator",
        "is_staff",
    ]
    list_filter = ["is_coordinator", "is_staff", "is_superuser", "is_active", "country"]
    search_fields = ["email", "display_name", "organisation", "username"]
    ordering = ["email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Profile"),
            {
                "fields": [
                    "display_name", "organisation", "job_title", "country", "region", "themes",
                    "skills", "spoken_languages", "bio", "looking_for", "avatar",
                ]
            },
        ),
        (_("Preferences and network role"), {"fields": ["language", "timezone", "is_coordinator"]}),
    ]  # fmt: skip
    filter_horizontal = ["themes", "skills", "groups", "user_permissions"]
