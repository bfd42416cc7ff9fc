"""The network's expectations template as shipped: the seven questions of seed 002, worded by
the code (translated) until coordinators reword them."""

from django.db import migrations

DEFAULT = [
    ("satisfaction", "scale", True, []),
    ("objective", "single", True, [["exchange", ""], ["solutions", ""], ["testing", ""], ["change", ""], ["other", ""]]),
    ("involvement", "single", True, [["active", ""], ["occasional", ""], ["observer", ""]]),
    ("worked", "text", False, []),
    ("change", "text", False, []),
    ("needs", "text", False, []),
    ("topics", "text", False, []),
]


def create(apps, schema_editor):
    TemplateQuestion = apps.get_model("surveys", "TemplateQuestion")
    if TemplateQuestion.objects.exists():
        return
    TemplateQuestion.objects.bulk_create(
        TemplateQuestion(position=i, role=role, kind=kind, required=required, choices=choices)
        for i, (role, kind, required, choices) in enumerate(DEFAULT)
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
