import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

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
    _check_seasons_and_endings()


def _check_seasons_and_endings():
    """Issue 13: a second season after a celebrated first, and the three ways a community ends."""
    from cercles.communities.lifecycle import State
    from cercles.communities.models import Community
    from cercles.library.views.legacy import legacies_for

    sahel = Community.objects.get(slug="eau-assainissement-sahel")
    first, second = sahel.seasons.order_by("starts_on")
    assert first.is_published and not second.is_published
    assert first.objectives.filter(status="reached").count() == 3
    assert second.starts_on <= timezone.localdate() <= second.ends_on
    assert sahel.health_reviews.filter(decision="continue").exists()
    states = dict(
        Community.objects.filter(
            slug__in=["education-haiti", "solaire-centres-sante", "mobilite-douce-bruxelles"]
        ).values_list("slug", "state")
    )
    assert states == {
        "education-haiti": State.CLOSED,
        "solaire-centres-sante": State.ARCHIVED,
        "mobilite-douce-bruxelles": State.DISSOLVED,
    }
    brussels = Community.objects.get(slug="mobilite-douce-bruxelles")
    assert brussels.health_reviews.get().decision == "dissolve"
    assert brussels.final_record.reason
    legacies = {c.slug for c in legacies_for(AnonymousUser())} | {
        c.slug for c in legacies_for(User.objects.get(email="membre@demo.test"))
    }
    assert {"education-haiti", "solaire-centres-sante"} <= legacies


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
