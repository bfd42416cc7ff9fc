import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.models import AuditEvent
from cercles.notifications.models import Notification

from .. import services
from ..models import Item, NoteRevision, ProductionStatus, Tag
from .factories import PDF_BYTES, make_file, make_link, make_note, make_production, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return CommunityFactory()


@pytest.fixture
def inner(community):
    return add_member(community, Role.INNER).user


# --- notes and their history ------------------------------------------------------------------


def test_a_note_keeps_every_version(community, inner):
    note = make_note(inner, community, title="Carnet", body="v1", tags=["Guide", "Eau"])
    other = add_member(community, Role.CORE).user
    services.update_note(other, note, title="Carnet", body="v2", comment="Ajout", tags=["Guide"])
    services.update_note(inner, note, title="Carnet de terrain", body="v2", tags=["Guide"])

    revisions = list(note.revisions.order_by("number"))
    assert [(r.number, r.title, r.body) for r in revisions] == [
        (1, "Carnet", "v1"),
        (2, "Carnet", "v2"),
        (3, "Carnet de terrain", "v2"),
    ]
    assert revisions[1].author == other and revisions[1].comment == "Ajout"
    note.refresh_from_db()
    assert note.body == "v2" and note.title == "Carnet de terrain"
    assert [t.name for t in note.tags.all()] == ["Guide"]
    assert AuditEvent.objects.filter(action="library.note_revised").count() == 2


def test_saving_a_note_unchanged_adds_no_revision(community, inner):
    note = make_note(inner, community)
    services.update_note(inner, note, title=note.title, body=note.body, tags=["Nouveau"])
    assert note.revisions.count() == 1


def test_the_outer_circle_writes_and_edits_only_its_own(community):
    outer = add_member(community, Role.OUTER).user
    own = make_note(outer, community)
    services.update_note(outer, own, title="Mon carnet", body="Revu")
    note = make_note(community.lead, community)
    with pytest.raises(PermissionDenied):
        services.update_note(outer, note, title="x", body="y")
    assert NoteRevision.objects.filter(note=note).count() == 1


def test_tags_belong_to_one_community_and_are_reused(community, inner):
    make_note(inner, community, tags=services.parse_tags("Guide, guide , Comités de l'eau,,"))
    make_link(inner, community, tags=["GUIDE"])
    other = CommunityFactory()
    make_link(other.lead, other, tags=["Guide"])
    assert sorted(Tag.objects.filter(community=community).values_list("slug", flat=True)) == [
        "comites-de-leau",
        "guide",
    ]
    assert Tag.objects.filter(slug="guide").count() == 2


def test_too_many_tags_are_refused():
    with pytest.raises(ValidationError):
        services.parse_tags(",".join(f"tag{n}" for n in range(services.MAX_TAGS + 1)))


# --- files and links --------------------------------------------------------------------------


def test_a_file_is_stored_under_a_random_name(community, inner):
    item = make_file(inner, community, upload=pdf_upload("Guide final.pdf"), tags=["Guide"])
    assert item.filename == "Guide final.pdf"
    assert item.size == len(PDF_BYTES)
    assert "Guide" not in item.file.name and item.file.name.endswith(".pdf")
    with item.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 not a pdf at all"),  # a lying extension
        SimpleUploadedFile("script.exe", b"MZ\x90\x00"),
        SimpleUploadedFile("vide.pdf", b""),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(community, inner, upload):
    with pytest.raises(ValidationError):
        make_file(inner, community, upload=upload)
    assert not Item.objects.exists()


def test_a_file_over_the_limit_is_refused(community, inner, settings):
    settings.UPLOAD_MAX_BYTES = 20
    with pytest.raises(ValidationError) as error:
        make_file(inner, community)
    assert error.value.code == "too_large"
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>", "ftp://files.example.org/a", "x"]
)
def test_only_web_addresses_are_linked(community, inner, url):
    with pytest.raises(ValidationError):
        make_link(inner, community, url=url)
    assert not Item.objects.exists()


def test_replacing_a_file_removes_the_old_one_after_commit(
    community, inner, django_capture_on_commit_callbacks
):
    item = make_file(inner, community)
    old_name = item.file.name
    storage = item.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.update_item(inner, item, title="Guide v2", upload=pdf_upload("v2.pdf"), tags=[])
    assert item.filename == "v2.pdf"
    assert not storage.exists(old_name)
    assert storage.exists(item.file.name)


def test_deleting_an_item(community, inner, django_capture_on_commit_callbacks):
    item = make_file(inner, community)
    name, storage = item.file.name, item.file.storage
    outsider_in = add_member(community, Role.INNER).user
    with pytest.raises(PermissionDenied):
        services.delete_item(outsider_in, item)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_item(inner, item)
    assert not Item.objects.exists()
    assert not storage.exists(name)


def test_choosing_the_legacy(community, inner):
    item = make_link(inner, community)
    with pytest.raises(PermissionDenied):
        services.set_keep_in_legacy(inner, item, True)
    services.set_keep_in_legacy(community.lead, item, True)
    item.refresh_from_db()
    assert item.keep_in_legacy


# --- productions ------------------------------------------------------------------------------


def test_delivering_a_production_tells_the_members(
    community, inner, django_capture_on_commit_callbacks
):
    outer = add_member(community, Role.OUTER).user
    production = make_production(community.lead, community, status=ProductionStatus.IN_PROGRESS)
    assert production.delivered_at is None
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver_production(community.lead, production)
    production.refresh_from_db()
    assert production.status == ProductionStatus.DELIVERED and production.delivered_at
    notified = Notification.objects.filter(kind="library.production_delivered")
    assert {n.recipient for n in notified} == {inner, outer}
    assert notified.first().url == production.get_absolute_url()
    with pytest.raises(ValidationError):
        services.deliver_production(community.lead, production)


def test_a_production_delivered_again_is_announced_again_only_after_a_change_of_status(
    community, inner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        production = make_production(community.lead, community, status=ProductionStatus.DELIVERED)
        services.update_production(community.lead, production, title="Guide (v2)")
    assert Notification.objects.filter(kind="library.production_delivered").count() == 1
    services.update_production(community.lead, production, status=ProductionStatus.IN_PROGRESS)
    assert production.delivered_at is None


def test_inner_circle_proposes_productions_but_edits_only_its_own(community, inner):
    proposed = make_production(inner, community)
    services.update_production(inner, proposed, title="Guide revu")
    core = add_member(community, Role.CORE).user
    production = make_production(core, community, upload=pdf_upload())
    assert production.filename == "guide.pdf"
    with pytest.raises(PermissionDenied):
        services.delete_production(add_member(community, Role.CORE).user, production)
    services.delete_production(core, production)


def test_a_production_with_a_bad_kind_or_link_is_refused(community):
    with pytest.raises(ValidationError):
        make_production(community.lead, community, kind="poem")
    with pytest.raises(ValidationError):
        make_production(community.lead, community, url="javascript:alert(1)")


# --- announcements (issue 11, seed 001: the outer circle is on the distribution list) ---------


def test_a_new_note_and_a_new_production_are_announced_to_the_members(
    community, inner, django_capture_on_commit_callbacks
):
    from cercles.notifications.models import Notification

    outer = add_member(community, Role.OUTER).user
    with django_capture_on_commit_callbacks(execute=True):
        make_note(inner, community, title="Carnet de l'atelier")
    assert Notification.objects.filter(recipient=outer, kind="library.note_added").exists()
    assert Notification.objects.filter(recipient=community.lead, kind="library.note_added").exists()
    assert not Notification.objects.filter(recipient=inner, kind="library.note_added").exists()
    with django_capture_on_commit_callbacks(execute=True):
        make_production(outer, community, title="Guide proposé")
    assert Notification.objects.filter(recipient=inner, kind="library.production_added").exists()
