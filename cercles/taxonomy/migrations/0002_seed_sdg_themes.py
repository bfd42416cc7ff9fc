from django.db import migrations

from cercles.taxonomy.services import SDG_THEMES


def create_sdg_themes(apps, schema_editor):
    Theme = apps.get_model("taxonomy", "Theme")
    for number, name_fr, name_en in SDG_THEMES:
        Theme.objects.get_or_create(
            slug=f"odd-{number}",
            defaults={"sdg_number": number, "name_fr": name_fr, "name_en": name_en,
                      "position": number},
        )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(create_sdg_themes, migrations.RunPython.noop)]
