from django.contrib import admin

from .models import Need, Survey, SurveyFollowUp, TemplateQuestion


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "community",
        "kind",
        "status",
        "opens_on",
        "closes_on",
        "response_count",
    ]
    list_filter = ["kind", "status"]
    raw_id_fields = ["community", "created_by"]


@admin.register(TemplateQuestion)
class TemplateQuestionAdmin(admin.ModelAdmin):
    list_display = ["position", "__str__", "kind", "role", "required"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "community", "status"]
    raw_id_fields = ["community", "survey", "milestone", "decided_by"]


@admin.register(SurveyFollowUp)
class SurveyFollowUpAdmin(admin.ModelAdmin):
    list_display = [
        "community",
        "expectations_state",
        "next_due_on",
        "last_response_rate",
        "last_satisfaction_mean",
    ]
    raw_id_fields = ["community", "last_survey"]
