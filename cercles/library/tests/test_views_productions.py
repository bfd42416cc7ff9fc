import datetime

import pytest
from django.urls import reverse

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.notifications.models import Notification
from cercles.taxonomy.models import Territory, Theme

from ..models import Production, ProductionStatus
from .factories import make_production, pdf_upload

pytestmark = pytest.mark.django_db

DELIVERED = ProductionStatus.DELIVERED
NETWORK_LIBRARY = reverse("library:network_library")


def url(name, community, *args):
    return reverse(f"library:{name}", args=[community.slug, *args])


def production_url(name, production):
    return url(name, production.community, production.pk)


@pytest.fixture
def public():
    return CommunityFactory(visibility=Visibility.PUBLIC, title="Citoyenneté mondiale")


@pytest.fixture
def network():
    return CommunityFactory(visibility=Visibility.NETWORK, title="Eau au Sahel")


@pytest.fixture
def private():
    return CommunityFactory(visibility=Visibility.PRIVATE, title="Budget participatif")


def deliver(community, title, **fields):
    return make_production(
        community.lead, community, title=title, status=DELIVERED, upload=pdf_upload(), **fields
    )


# --- a community's productions ----------------------------------------------------------------


def test_visitors_see_the_delivered_productions_of_a_public_community(client, public):
    delivered = deliver(public, "Mallette pédagogique")
    planned = make_production(public.lead, public, title="Forum régional", upload=pdf_upload())
    response = client.get(url("production_list", public))
    assert response.status_code == 200
    assert [p.title for p in response.context["page"]] == ["Mallette pédagogique"]
    assert client.get(production_url("production_detail", delivered)).status_code == 200
    download = client.get(production_url("download_production", delivered))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # Not delivered yet: nothing to see for a visitor, file included.
    assert client.get(production_url("production_detail", planned)).status_code == 404
    assert client.get(production_url("download_production", planned)).status_code == 404
    # The community's tabs show the productions to visitors, not the library.
    page = client.get(public.get_absolute_url()).content.decode()
    assert url("production_list", public) in page
    assert url("item_list", public) not in page


@pytest.mark.parametrize("visibility", [Visibility.NETWORK, Visibility.PRIVATE])
def test_visitors_get_404_on_other_communities_productions(client, visibility):
    community = CommunityFactory(visibility=visibility)
    production = deliver(community, "Guide")
    for address in (url("production_list", community),
                    production_url("production_detail", production),
                    production_url("download_production", production)):  # fmt: skip
        assert client.get(address).status_code == 404


def test_non_members_get_404_on_a_private_communitys_productions(client, private):
    production = deliver(private, "Boîte à outils")
    client.force_login(UserFactory())
    for address in (url("production_list", private), url("add_production", private),
                    production_url("production_detail", production),
                    production_url("edit_production", production),
                    production_url("delete_production", production),
                    production_url("download_production", production)):  # fmt: skip
        assert client.get(address).status_code == 404, address
    assert client.post(production_url("deliver_production", production)).status_code == 404


def test_a_forged_production_address_answers_404(client, network, public):
    production = deliver(network, "Guide")
    client.force_login(network.lead)
    add_member(public, Role.LEAD, user=network.lead)
    for name in ("production_detail", "edit_production", "download_production"):
        assert client.get(url(name, public, production.pk)).status_code == 404


def test_members_see_every_status_in_working_order(client, network):
    make_production(network.lead, network, title="Prévu", due_date=datetime.date(2030, 1, 1))
    make_production(network.lead, network, title="En cours", status="in_progress")
    deliver(network, "Livré")
    client.force_login(add_member(network, Role.OUTER).user)
    response = client.get(url("production_list", network))
    assert [p.title for p in response.context["page"]] == ["En cours", "Prévu", "Livré"]
    response = client.get(url("production_list", network), {"status": "planned"})
    assert [p.title for p in response.context["page"]] == ["Prévu"]


def test_the_core_group_publishes_and_delivers_a_production(
    client, network, django_capture_on_commit_callbacks
):
    core = add_member(network, Role.CORE).user
    outer = add_member(network, Role.OUTER).user
    client.force_login(core)
    response = client.post(
        url("add_production", network),
        {
            "title": "Guide des comités",
            "kind": "publication",
            "audience": "territory",
            "audience_detail": "Trois communes",
            "status": "in_progress",
            "due_date": "2030-06-30",
            "summary": "Un **guide**.",
            "file": pdf_upload(),
        },  # fmt: skip
    )
    production = Production.objects.get()
    assert response.status_code == 302 and response["Location"] == production.get_absolute_url()
    assert production.due_date == datetime.date(2030, 6, 30) and production.filename == "guide.pdf"
    assert client.get(NETWORK_LIBRARY).context["page"].paginator.count == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(production_url("deliver_production", production))
    assert response.status_code == 302
    production.refresh_from_db()
    assert production.is_delivered
    notified = Notification.objects.filter(kind="library.production_delivered")
    assert {n.recipient for n in notified} == {network.lead, outer}
    library = client.get(NETWORK_LIBRARY)
    assert [p.title for p in library.context["page"]] == ["Guide des comités"]


def test_the_inner_circle_proposes_but_does_not_edit_others_productions(client, network):
    """Seed 001: every member may write (propose a production); editing others' is a role's."""
    production = make_production(network.lead, network)
    client.force_login(add_member(network, Role.INNER).user)
    assert client.get(url("add_production", network)).status_code == 200
    assert client.post(production_url("deliver_production", production)).status_code == 403
    assert client.get(production_url("edit_production", production)).status_code == 403
    production.refresh_from_db()
    assert production.status == ProductionStatus.PLANNED


def test_editing_a_production_with_bad_input_changes_nothing(client, network, settings):
    production = make_production(network.lead, network, upload=pdf_upload())
    client.force_login(network.lead)
    data = {"title": "Nouveau titre", "kind": "publication", "audience": "network",
            "status": "planned", "url": "javascript:alert(1)"}  # fmt: skip
    response = client.post(production_url("edit_production", production), data)
    assert response.status_code == 200 and response.context["form"].errors["url"]
    settings.UPLOAD_MAX_BYTES = 10
    data["url"] = "https://ok.example.org"
    response = client.post(
        production_url("edit_production", production), {**data, "file": pdf_upload("b.pdf")}
    )
    assert response.context["form"].errors.as_data()["file"][0].code == "too_large"
    production.refresh_from_db()
    assert production.title == "Guide des comités de l'eau" and production.url == ""
    assert production.filename == "guide.pdf"


def test_editing_removes_the_file_and_deleting(client, network):
    production = make_production(network.lead, network, upload=pdf_upload())
    client.force_login(network.lead)
    data = {"title": "Guide", "kind": "tool", "audience": "public", "status": "in_progress",
            "remove_file": "on"}  # fmt: skip
    assert client.post(production_url("edit_production", production), data).status_code == 302
    production.refresh_from_db()
    assert not production.file and production.kind == "tool"
    assert client.get(production_url("delete_production", production)).status_code == 200
    response = client.post(production_url("delete_production", production))
    assert response.status_code == 302 and not Production.objects.exists()


# --- the network library ----------------------------------------------------------------------


def test_the_network_library_shows_what_each_person_may_read(client, public, network, private):
    deliver(public, "Mallette")
    deliver(network, "Guide de l'eau")
    deliver(private, "Boîte à outils")
    make_production(public.lead, public, title="Pas encore")
    closed = CommunityFactory(visibility=Visibility.PUBLIC)
    deliver(closed, "Bilan final")
    Community.objects.filter(pk=closed.pk).update(state=State.CLOSED)

    titles = {p.title for p in client.get(NETWORK_LIBRARY).context["page"]}
    assert titles == {"Mallette", "Bilan final"}
    # Private communities' productions never appear, not even to their members or coordinators.
    client.force_login(private.lead)
    titles = {p.title for p in client.get(NETWORK_LIBRARY).context["page"]}
    assert titles == {"Mallette", "Guide de l'eau", "Bilan final"}


def test_the_network_library_filters_by_theme_territory_and_kind(client, public, network):
    sahel = Territory.objects.create(slug="sahel", name_fr="Sahel", name_en="Sahel")
    network.territories.add(sahel)
    public.themes.set([Theme.objects.get(sdg_number=4)])
    deliver(public, "Mallette", kind="tool")
    deliver(network, "Guide de l'eau", kind="publication")
    deliver(network, "Atelier", kind="workshop")
    client.force_login(UserFactory())

    def titles(**params):
        return sorted(p.title for p in client.get(NETWORK_LIBRARY, params).context["page"])

    assert titles(theme="odd-4") == ["Mallette"]
    assert titles(theme="odd-6") == ["Atelier", "Guide de l'eau"]
    assert titles(territory="sahel") == ["Atelier", "Guide de l'eau"]
    assert titles(kind="workshop") == ["Atelier"]
    assert titles(theme="odd-6", kind="publication") == ["Guide de l'eau"]
    assert titles(theme="no-such-theme") == ["Atelier", "Guide de l'eau", "Mallette"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_network_library_costs_the_same_with_few_or_many_productions(
    client, public, signed_in, django_assert_max_num_queries
):
    if signed_in:
        client.force_login(UserFactory())
    deliver(public, "Premier")
    with django_assert_max_num_queries(10) as few:
        client.get(NETWORK_LIBRARY)
    for n in range(25):
        deliver(CommunityFactory(visibility=Visibility.PUBLIC), f"Production {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(NETWORK_LIBRARY)
    assert response.context["page"].paginator.count == 26


def test_the_productions_list_costs_the_same_with_few_or_many(
    client, network, django_assert_max_num_queries
):
    client.force_login(network.lead)
    deliver(network, "Premier")
    with django_assert_max_num_queries(12) as few:
        client.get(url("production_list", network))
    for n in range(25):
        make_production(network.lead, network, title=f"Production {n}", status="in_progress")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("production_list", network))
    assert response.context["page"].paginator.count == 26
