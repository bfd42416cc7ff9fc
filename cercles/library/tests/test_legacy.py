"""The legacy of ended communities in the network library: searchable by theme and territory,
kept for the whole network, never including discussions."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, FinalRecord, Visibility
from cercles.communities.tests.factories import CommunityFactory
from cercles.discussions.tests.factories import start_thread
from cercles.taxonomy.models import Territory, Theme

from .factories import make_file, make_note, make_production, pdf_upload

pytestmark = pytest.mark.django_db


def ended(state=State.ARCHIVED, **fields):
    community = CommunityFactory(**fields)
    FinalRecord.objects.create(
        community=community, achievements="Un guide publié avec les comités.",
        lessons="Partir des pratiques.", given_at=timezone.now(),
    )  # fmt: skip
    return community


def close(community, state=State.ARCHIVED):
    Community.objects.filter(pk=community.pk).update(state=state, closed_on=timezone.localdate())
    community.refresh_from_db()
    return community


def test_the_legacy_page_keeps_the_record_and_what_was_chosen_never_the_discussions(client):
    community = ended(visibility=Visibility.PRIVATE)
    kept = make_note(community.lead, community, title="Carnet gardé", body="Ce qui marche",
                     keep_in_legacy=True)  # fmt: skip
    make_note(community.lead, community, title="Brouillon interne")
    document = make_file(community.lead, community, title="Fiche", keep_in_legacy=True)
    secret = make_file(community.lead, community, title="Compte rendu privé")
    start_thread(community, community.lead, title="Conversation entre membres")
    production = make_production(community.lead, community, upload=pdf_upload())
    production.keep_in_legacy = True
    production.save()
    close(community)
    # A member of the network who never belonged to this private community reads its legacy.
    client.force_login(UserFactory())
    page = client.get(reverse("library:legacy", args=[community.slug]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Un guide publié" in content and "Partir des pratiques" in content
    assert kept.title in content and "Ce qui marche" in content and "Fiche" in content
    assert "Brouillon interne" not in content and "Compte rendu privé" not in content
    assert "Conversation entre membres" not in content
    download = reverse("library:legacy_download", args=[community.slug, document.pk])
    assert client.get(download).status_code == 200
    hidden = reverse("library:legacy_download", args=[community.slug, secret.pk])
    assert client.get(hidden).status_code == 404
    production_file = reverse(
        "library:legacy_production_download", args=[community.slug, production.pk]
    )
    assert client.get(production_file).status_code == 200
    # The discussions themselves stay closed to them.
    assert client.get(reverse("discussions:thread_list", args=[community.slug])).status_code == 404
    # Visitors see the legacy of public communities only.
    client.logout()
    assert client.get(reverse("library:legacy", args=[community.slug])).status_code == 404
    assert client.get(download).status_code == 404


def test_a_public_communitys_legacy_is_open_to_visitors_a_running_one_has_none(client):
    public = close(ended(visibility=Visibility.PUBLIC), State.CLOSED)
    running = CommunityFactory(visibility=Visibility.PUBLIC)
    assert client.get(reverse("library:legacy", args=[public.slug])).status_code == 200
    assert client.get(reverse("library:legacy", args=[running.slug])).status_code == 404


def test_legacies_are_searched_by_theme_and_territory(client, django_assert_max_num_queries):
    water = Theme.objects.get(slug="odd-6")
    health = Theme.objects.get(sdg_number=3)
    sahel = Territory.objects.create(name_fr="Sahel", name_en="Sahel", slug="sahel-test")
    wells = close(ended(title="Forages du Sahel"))
    wells.territories.add(sahel)
    clinics = close(ended(title="Centres de santé", with_framing=False))
    clinics.themes.add(health)
    close(CommunityFactory(title="Sans bilan"))  # ended without a final record: not listed
    client.force_login(UserFactory())
    with django_assert_max_num_queries(12):
        everything = client.get(reverse("library:legacy_list")).content.decode()
    assert "Forages du Sahel" in everything and "Centres de santé" in everything
    assert "Sans bilan" not in everything
    by_theme = client.get(reverse("library:legacy_list"), {"theme": water.slug}).content.decode()
    assert "Forages du Sahel" in by_theme and "Centres de santé" not in by_theme
    by_place = client.get(
        reverse("library:legacy_list"), {"territory": "sahel-test"}
    ).content.decode()
    assert "Forages du Sahel" in by_place and "Centres de santé" not in by_place
    network = client.get(reverse("library:network_library"), {"theme": health.slug})
    assert "Centres de santé" in network.content.decode()
    assert "Forages du Sahel" not in network.content.decode()
