"""Items shared from a protected space (issue 11): in a private community each production, note,
file and link has its own audience — community, network or public — chosen by its editors;
shared items are readable beyond the members, and nothing else of the community is."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cercles.api.tests.conftest import auth, token_for
from cercles.communities.models import Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.communities.tests.test_rules import ROLES, person_with_role
from cercles.discussions.models import Thread

from .. import services
from ..models import Item, Production, ProductionStatus, Sharing
from .factories import make_link, make_note, make_production, pdf_upload

pytestmark = pytest.mark.django_db

MEMBERS = {"outer", "inner", "core", "co_lead", "lead", "coordinator"}
SIGNED_IN = {"outsider", "pending", "ex_member"} | MEMBERS


@pytest.fixture
def private():
    return CommunityFactory(visibility=Visibility.PRIVATE, title="Budget participatif")


@pytest.fixture
def space(private):
    """A private community sharing one delivered production with the network, one note with the
    public, and keeping a production, a note and a thread to itself."""
    lead = private.lead
    return {
        "community": private,
        "shared_production": make_production(
            lead, private, title="Guide partagé", status=ProductionStatus.DELIVERED,
            upload=pdf_upload(), shared_with=Sharing.NETWORK,
        ),
        "kept_production": make_production(
            lead, private, title="Guide interne", status=ProductionStatus.DELIVERED
        ),
        "public_note": make_note(lead, private, title="Note publique", shared_with="public"),
        "kept_note": make_note(lead, private, title="Compte rendu interne"),
        "thread": Thread.objects.create(community=private, title="Débat interne", author=lead),
    }  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_shared_and_kept_items(space, role):
    person = person_with_role(role, space["community"])
    reads_all = role in MEMBERS
    assert person.has_perm("library.view_production", space["shared_production"]) is (
        role in SIGNED_IN
    )
    assert person.has_perm("library.view_item", space["public_note"]) is True
    assert person.has_perm("library.view_production", space["kept_production"]) is reads_all
    assert person.has_perm("library.view_item", space["kept_note"]) is reads_all
    # Nothing else of the community opens: its library, productions page, discussions.
    for permission in ("library.view_library", "library.view_productions",
                       "discussions.view_discussions", "communities.view_content"):  # fmt: skip
        assert person.has_perm(permission, space["community"]) is reads_all, permission


def url(name, community, *args):
    return reverse(f"library:{name}", args=[community.slug, *args])


def test_an_outsider_reads_what_is_shared_and_nothing_else(client, space):
    community = space["community"]
    client.force_login(person_with_role("outsider", community))
    shared, kept = space["shared_production"], space["kept_production"]
    page = client.get(url("production_detail", community, shared.pk))
    assert page.status_code == 200
    assert "Guide partagé" in page.content.decode()
    assert client.get(url("download_production", community, shared.pk)).status_code == 200
    assert client.get(url("item_detail", community, space["public_note"].pk)).status_code == 200
    for address in (
        url("production_detail", community, kept.pk),
        url("item_detail", community, space["kept_note"].pk),
        url("note_history", community, space["public_note"].pk),
        url("item_list", community),
        url("production_list", community),
        reverse("discussions:thread_list", args=[community.slug]),
    ):
        assert client.get(address).status_code == 404, address
    # The network library and the community's presentation show the shared items only.
    library = client.get(reverse("library:network_library")).content.decode()
    assert "Guide partagé" in library and "Note publique" in library
    assert "Guide interne" not in library and "Compte rendu interne" not in library
    home = client.get(community.get_absolute_url()).content.decode()
    assert "Guide partagé" in home and "Note publique" in home
    assert "Guide interne" not in home and "Débat interne" not in home


def test_a_visitor_reads_only_what_is_shared_with_the_public(client, space):
    community = space["community"]
    assert client.get(url("item_detail", community, space["public_note"].pk)).status_code == 200
    shared = space["shared_production"]
    assert client.get(url("production_detail", community, shared.pk)).status_code == 404
    library = client.get(reverse("library:network_library")).content.decode()
    assert "Note publique" in library and "Guide partagé" not in library


def test_the_api_and_the_network_library_follow_the_audience(client, space):
    community = space["community"]
    outsider = token_for(person_with_role("outsider", community))
    titles = [p["title"] for p in client.get("/api/library", **auth(outsider)).json()["items"]]
    assert titles == ["Guide partagé"]
    response = client.get(f"/api/communities/{community.slug}/productions", **auth(outsider))
    assert [p["title"] for p in response.json()["items"]] == ["Guide partagé"]
    assert response.json()["items"][0]["shared_with"] == "network"
    assert (
        client.get(f"/api/communities/{community.slug}/threads", **auth(outsider)).status_code
        == 404
    )
    # Visitors: the network-shared production is not theirs.
    assert client.get("/api/library").json()["items"] == []


class TextWriter:
    def __init__(self):
        self.texts = {}

    def text(self, name, text):
        self.texts[name] = text

    def file(self, name, field_file):
        return name


def test_the_export_says_what_is_shared(space):
    from ..data import write_library, write_productions

    writer = TextWriter()
    write_productions(space["community"], writer, "library")
    write_library(space["community"], writer, "library")
    productions = writer.texts["library/productions.md"]
    shared, kept = productions.split("## Guide interne")
    assert str(Sharing.NETWORK.label) in shared and str(Sharing.NETWORK.label) not in kept
    notes = [text for name, text in writer.texts.items() if "Note publique" in text]
    assert notes and str(Sharing.PUBLIC.label) in notes[0]


# --- bad input ---------------------------------------------------------------------------------


def test_a_member_who_may_not_edit_cannot_share_a_production_publicly(client, space):
    community = space["community"]
    production = space["kept_production"]
    inner = add_member(community, Role.INNER).user
    client.force_login(inner)
    response = client.post(
        url("share_production", community, production.pk), {"shared_with": "public"}
    )
    assert response.status_code == 403
    production.refresh_from_db()
    assert production.shared_with == Sharing.COMMUNITY
    with pytest.raises(PermissionDenied):
        services.share(inner, production, Sharing.PUBLIC)
    assert Production.objects.get(pk=production.pk).shared_with == Sharing.COMMUNITY


def test_an_editor_shares_and_an_unknown_audience_changes_nothing(client, space):
    community = space["community"]
    note = space["kept_note"]
    client.force_login(community.lead)
    response = client.post(url("share_item", community, note.pk), {"shared_with": "everyone"})
    assert response.status_code == 302
    assert Item.objects.get(pk=note.pk).shared_with == Sharing.COMMUNITY
    client.post(url("share_item", community, note.pk), {"shared_with": "network"})
    assert Item.objects.get(pk=note.pk).shared_with == Sharing.NETWORK


def test_items_of_a_network_community_follow_its_visibility(client):
    community = CommunityFactory(visibility=Visibility.NETWORK)
    link = make_link(community.lead, community)
    client.force_login(community.lead)
    response = client.post(url("share_item", community, link.pk), {"shared_with": "public"})
    assert response.status_code == 403
    assert Item.objects.get(pk=link.pk).shared_with == Sharing.COMMUNITY
