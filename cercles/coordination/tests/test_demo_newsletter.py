import io

import pytest
from django.core import mail
from django.core.management import call_command

from cercles.accounts.models import User
from cercles.coordination.models import Newsletter
from cercles.notifications.models import CommunityPreference, NotificationPreference


@pytest.mark.django_db
def test_the_demo_shows_settings_newsletters_and_digests():
    call_command("seed_demo", stdout=io.StringIO())
    assert Newsletter.objects.filter(status="sent").count() == 1
    assert Newsletter.objects.filter(status="draft").count() == 1
    porteuse = User.objects.get(email="porteuse@demo.test")
    membre = User.objects.get(email="membre@demo.test")
    prefs = dict(
        NotificationPreference.objects.filter(user=porteuse).values_list("group", "delivery")
    )
    assert prefs["discussions"] == "daily"
    prefs = dict(
        NotificationPreference.objects.filter(user=membre).values_list("group", "delivery")
    )
    assert prefs["discussions"] == "weekly"
    assert set(CommunityPreference.objects.filter(user=membre).values_list("level", flat=True)) == {
        "mine", "mute",
    }  # fmt: skip
    mail.outbox = []
    call_command("send_digests", "--now", stdout=io.StringIO())
    assert mail.outbox, "the demo network has news for digests"
    assert all(m.extra_headers.get("List-Unsubscribe") for m in mail.outbox)
