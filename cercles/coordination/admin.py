from django.contrib import admin

from .models import Thresholds


@admin.register(Thresholds)
class ThresholdsAdmin(admin.ModelAdmin):
    list_display = ["inactivity_days", "meeting_gap_days", "next_steps_days", "review_wait_days"]
    raw_id_fields = ["updated_by"]
