import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from cercles.accounts.demo import DEMO_PASSWORD
from cercles.accounts.models import User
from cercles.taxonomy.models import Skill, Theme


def seed_demo():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return {
        "people": User.objects.count(),
        "coordinators": User.objects.coordinators().count(),
        "emails": EmailAddress.objects.count(),
        "themes": Theme.objects.count(),
        "skills": Skill.objects.count(),
        "person_themes": User.themes.through.objects.count(),
        "person_skills": User.skills.through.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_builds_the_network_and_is_idempotent():
    assert "Demo network ready." in seed_demo()
    first = counts()
    seed_demo()
    assert counts() == first

    assert first["coordinators"] == 3
    assert first["people"] >= 60
    organisations = set(
        User.objects.exclude(organisation="").values_list("organisation", flat=True)
    )
    assert len(organisations) >= 15
    assert Theme.objects.filter(sdg_number__isnull=False).count() == 17
    # Everyone can log in: each has a verified primary address.
    # Every account has its confirmed address; the demo's deleted account has none left.
    assert User.objects.filter(deleted_at__isnull=False).count() == 1
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == first["people"] - 1
    assert first["emails"] == first["people"] - 1  # the deleted account has none
    assert User.objects.filter(is_superuser=True).count() == 1
    assert User.objects.for_directory().count() >= 60


@pytest.mark.django_db
def test_seed_demo_if_empty_leaves_an_existing_network_alone(member):
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert User.objects.count() == 1
    assert "left as it is" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "coordinator"),
    [("coordination@demo.test", True), ("porteuse@demo.test", False), ("membre@demo.test", False)],
)
def test_demo_accounts_can_log_in(client, email, coordinator):
    seed_demo()
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(email=email)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.is_coordinator is coordinator
    assert user.display_name and user.organisation and user.themes.count() == 3
    assert DEMO_PASSWORD == "cercles-demo"
