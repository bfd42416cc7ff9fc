from django.db import migrations, models
from django.db.models import Count


def count_members_per_circle(apps, schema_editor):
    Community = apps.get_model("communities", "Community")
    Membership = apps.get_model("communities", "Membership")
    counts = {}
    rows = (
        Membership.objects.filter(status="active")
        .order_by()
        .values_list("community_id", "role")
        .annotate(n=Count("id"))
    )
    for community_id, role, n in rows:
        counts.setdefault(community_id, {})[role] = n
    for community in Community.objects.only("pk").iterator():
        Community.objects.filter(pk=community.pk).update(
            members_per_circle=counts.get(community.pk, {})
        )


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_membership_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="community",
            name="members_per_circle",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(count_members_per_circle, migrations.RunPython.noop),
    ]
