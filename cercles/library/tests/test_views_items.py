import pytest
from django.urls import reverse

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.models import MembershipStatus, Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member

from ..models import Item, ItemKind, NoteRevision
from .factories import PDF_BYTES, make_file, make_link, make_note, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def url(name, community, *args):
    return reverse(f"library:{name}", args=[community.slug, *args])


@pytest.fixture
def community():
    return CommunityFactory(visibility=Visibility.PRIVATE)


@pytest.fixture
def inner(community):
    return add_member(community, Role.INNER).user


@pytest.fixture
def inner_client(client, inner):
    client.force_login(inner)
    return client


# --- reading ----------------------------------------------------------------------------------


def test_the_library_lists_notes_files_and_links(inner_client, community, inner):
    make_note(inner, community, title="Compte rendu de terrain", tags=["Terrain"])
    make_file(inner, community, title="Guide PDF")
    make_link(inner, community, title="Portail ODD", tags=["Référence"])
    response = inner_client.get(url("item_list", community))
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("Compte rendu de terrain", "Guide PDF", "Portail ODD"):
        assert title in page
    assert url("add_note", community) in page

    response = inner_client.get(url("item_list", community), {"kind": "link"})
    assert [i.title for i in response.context["page"]] == ["Portail ODD"]
    response = inner_client.get(url("item_list", community), {"tag": "terrain"})
    assert [i.title for i in response.context["page"]] == ["Compte rendu de terrain"]
    # An unknown tag or kind is shown as an error and ignored.
    response = inner_client.get(url("item_list", community), {"tag": "nope", "kind": "poem"})
    assert response.context["page"].paginator.count == 3


def test_the_outer_circle_adds_a_note_and_edits_only_its_own(client, community, inner):
    """Seed 001: the outer circle has write access, even if it mostly reads."""
    note = make_note(inner, community)
    outer = add_member(community, Role.OUTER).user
    client.force_login(outer)
    page = client.get(url("item_list", community)).content.decode()
    assert url("add_note", community) in page
    response = client.post(url("add_note", community), {"title": "Mon carnet", "body": "Notes"})
    assert response.status_code == 302
    own = Item.objects.get(title="Mon carnet")
    assert own.author == outer
    assert client.get(url("edit_item", community, own.pk)).status_code == 200
    # Editing others' notes is the inner circle's.
    assert client.get(url("edit_item", community, note.pk)).status_code == 403


def test_the_library_list_costs_the_same_with_few_or_many_items(
    inner_client, community, inner, django_assert_max_num_queries
):
    make_note(inner, community, tags=["A"])
    with django_assert_max_num_queries(12) as few:
        inner_client.get(url("item_list", community))
    for n in range(25):
        make_note(inner, community, title=f"Note {n}", tags=["A", f"T{n % 3}"])
        make_link(inner, community, title=f"Lien {n}", tags=["B"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = inner_client.get(url("item_list", community), {"tag": "a"})
    assert response.context["page"].paginator.count == 26


@pytest.mark.parametrize("who", ["visitor", "outsider", "ex_member", "pending"])
def test_a_private_library_answers_404_to_non_members(client, community, inner, who):
    note = make_note(inner, community)
    document = make_file(inner, community)
    if who != "visitor":
        person = UserFactory()
        if who == "ex_member":
            add_member(community, Role.INNER, MembershipStatus.LEFT, user=person)
        elif who == "pending":
            add_member(community, Role.OUTER, MembershipStatus.PENDING, user=person)
        client.force_login(person)
    addresses = [
        url("item_list", community),
        url("item_detail", community, note.pk),
        url("edit_item", community, note.pk),
        url("delete_item", community, note.pk),
        url("note_history", community, note.pk),
        url("note_revision", community, note.pk, 1),
        url("download_file", community, document.pk),
        url("add_note", community),
    ]
    # An item's page and file are open to visitors when shared with the public (issue 11):
    # not shared, they answer 404 like a missing one.
    open_to_visitors = {
        url("item_detail", community, note.pk),
        url("download_file", community, document.pk),
    }
    for address in addresses:
        response = client.get(address)
        expected = 302 if who == "visitor" and address not in open_to_visitors else 404
        assert response.status_code == expected, address
    if who != "visitor":
        response = client.post(url("choose_legacy", community, note.pk), {"keep": "1"})
        assert response.status_code == 404


def test_a_forged_address_mixing_communities_answers_404(client, community, inner):
    other = CommunityFactory(visibility=Visibility.NETWORK)
    note = make_note(inner, community)
    document = make_file(inner, community)
    # A member of both communities: the item exists and they may read it, but not from there.
    add_member(other, Role.INNER, user=inner)
    client.force_login(inner)
    for name, pk in [("item_detail", note.pk), ("edit_item", note.pk), ("note_history", note.pk),
                     ("download_file", document.pk), ("delete_item", note.pk)]:  # fmt: skip
        assert client.get(url(name, other, pk)).status_code == 404, name
    assert client.get(url("note_revision", other, note.pk, 1)).status_code == 404
    # A file's id given as a note's, and the other way round.
    assert client.get(url("note_history", community, document.pk)).status_code == 404
    assert client.get(url("download_file", community, note.pk)).status_code == 404


# --- writing ----------------------------------------------------------------------------------


def test_adding_and_editing_a_note_keeps_its_history(inner_client, community, inner):
    response = inner_client.post(
        url("add_note", community),
        {"title": "Carnet de l'atelier", "body": "## Présents\n\n- Awa", "tags": "atelier, 2025"},
    )
    note = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == note.get_absolute_url()
    assert note.kind == ItemKind.NOTE and note.author == inner
    page = inner_client.get(note.get_absolute_url()).content.decode()
    assert "<h2>Présents</h2>" in page

    response = inner_client.post(
        url("edit_item", community, note.pk),
        {
            "title": "Carnet de l'atelier",
            "body": "## Présents\n\n- Awa\n- Moussa",
            "comment": "Ajout de Moussa",
            "tags": "atelier",
        },  # fmt: skip
    )
    assert response.status_code == 302
    assert list(note.revisions.values_list("number", flat=True)) == [2, 1]

    history = inner_client.get(url("note_history", community, note.pk)).content.decode()
    assert "Ajout de Moussa" in history
    assert url("note_revision", community, note.pk, 1) in history
    revision = inner_client.get(url("note_revision", community, note.pk, 2))
    assert "<ins>" in revision.content.decode() and "Moussa" in revision.content.decode()
    assert revision.context["is_current"]
    first = inner_client.get(url("note_revision", community, note.pk, 1))
    assert first.context["changes"] is None and not first.context["is_current"]
    assert inner_client.get(url("note_revision", community, note.pk, 9)).status_code == 404


def test_raw_html_in_a_note_is_escaped(inner_client, community, inner):
    note = make_note(inner, community, body="<script>alert(1)</script> [x](javascript:alert(1))")
    page = inner_client.get(note.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page


def test_adding_a_file_and_downloading_it(inner_client, community, inner):
    response = inner_client.post(
        url("add_file", community),
        {"title": "Carte des forages", "file": png_upload("carte.png"), "tags": "cartes"},
    )
    item = Item.objects.get()
    assert response.status_code == 302 and item.filename == "carte.png"
    response = inner_client.get(url("download_file", community, item.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="carte.png"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_file_over_the_limit_is_refused_with_a_message(inner_client, community, settings):
    settings.UPLOAD_MAX_BYTES = 10
    data = {"title": "Gros", "file": pdf_upload()}
    response = inner_client.post(url("add_file", community), data)
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["file"][0].code == "too_large"
    assert response.context["form"]["title"].value() == "Gros"
    assert not Item.objects.exists()


def test_a_file_with_a_lying_extension_is_refused(inner_client, community):
    response = inner_client.post(
        url("add_file", community),
        {"title": "Rapport", "file": pdf_upload("rapport.png", content=PDF_BYTES)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["file"][0].code == "mismatch"
    assert not Item.objects.exists()


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4="])
def test_a_javascript_link_is_refused(inner_client, community, address):
    response = inner_client.post(url("add_link", community), {"title": "Piège", "url": address})
    assert response.status_code == 200
    assert response.context["form"].errors["url"]
    assert not Item.objects.exists()


def test_a_link_without_scheme_becomes_https(inner_client, community):
    inner_client.post(url("add_link", community), {"title": "ODD", "url": "odd.example.org"})
    assert Item.objects.get().url == "https://odd.example.org"


def test_editing_a_link_and_a_file(inner_client, community, inner):
    link = make_link(inner, community)
    response = inner_client.post(
        url("edit_item", community, link.pk),
        {"title": "Portail", "url": "https://new.example.org/", "keep_in_legacy": "on"},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.url == "https://new.example.org/" and link.keep_in_legacy
    document = make_file(inner, community)
    response = inner_client.post(url("edit_item", community, document.pk), {"title": "Guide v2"})
    document.refresh_from_db()
    assert response.status_code == 302 and document.title == "Guide v2"
    assert document.filename == "guide.pdf"


def test_deleting_an_item(client, community, inner):
    link = make_link(inner, community)
    other = add_member(community, Role.INNER).user
    client.force_login(other)
    assert client.get(url("delete_item", community, link.pk)).status_code == 403
    assert client.post(url("delete_item", community, link.pk)).status_code == 403
    client.force_login(inner)
    assert client.get(url("delete_item", community, link.pk)).status_code == 200
    response = client.post(url("delete_item", community, link.pk))
    assert response.status_code == 302 and response["Location"] == url("item_list", community)
    assert not Item.objects.exists()


def test_leads_choose_what_the_legacy_keeps(client, community, inner):
    note = make_note(inner, community)
    client.force_login(inner)
    assert client.post(url("choose_legacy", community, note.pk), {"keep": "1"}).status_code == 403
    client.force_login(community.lead)
    assert client.post(url("choose_legacy", community, note.pk), {"keep": "1"}).status_code == 302
    note.refresh_from_db()
    assert note.keep_in_legacy
    assert NoteRevision.objects.count() == 1
