"""Importing a list of members (CSV or XLSX, previewed line by line, invited by a job) and
exporting a community as a ZIP."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities import services
from cercles.communities.imports import MAX_ROWS, classify, read_rows
from cercles.communities.models import (
    CommunityExport,
    ImportStatus,
    Invitation,
    MemberImport,
    Role,
    Visibility,
)
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.models import ArchiveStatus, AuditEvent
from cercles.discussions import services as discussions
from cercles.discussions.tests.factories import pdf_upload, start_thread
from cercles.library.tests.factories import make_file, make_note, make_production
from cercles.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def upload(text, name="membres.csv", encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx(rows, name="membres.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


# --- reading files ----------------------------------------------------------------------------


def test_reads_semicolons_bom_and_french_headers():
    community = CommunityFactory()
    text = (
        "\ufeffCourriel;Nom;Organisation;Objectif;Implication\n"
        "awa@example.org;Awa;ONG;Apprendre;actif\n"
    )
    lines = classify(community, read_rows(upload(text)))
    assert lines == [
        {
            "line": 2, "email": "awa@example.org", "name": "Awa", "organisation": "ONG",
            "objective": "Apprendre", "involvement": "active", "outcome": "invite", "problem": "",
        }
    ]  # fmt: skip


def test_reads_latin1_from_excel_on_windows():
    community = CommunityFactory()
    text = "email,nom,organisation\nelodie@example.org,Élodie Bérégovoy,Comité d'Agadez\n"
    lines = classify(community, read_rows(upload(text, encoding="cp1252")))
    assert lines[0]["name"] == "Élodie Bérégovoy"
    assert lines[0]["organisation"] == "Comité d'Agadez"


def test_reads_xlsx():
    community = CommunityFactory()
    rows = [["Email", "Name", "Involvement"], ["jo@example.org", "Jo", "Observer"], [None, None]]
    lines = classify(community, read_rows(xlsx(rows)))
    found = [(line["email"], line["involvement"]) for line in lines]
    assert found == [("jo@example.org", "observer")]


def test_every_outcome_is_said_line_by_line():
    community = CommunityFactory()
    member = add_member(community).user
    services.invite(community.lead, community, email="deja@example.org")
    text = (
        "email;name;involvement\n"
        "new@example.org;New;\n"
        f"{member.email.upper()};Member;\n"
        "deja@example.org;Already invited;\n"
        "not-an-address;Bad;\n"
        "new@example.org;Twice;\n"
        'formula@example.org;=HYPERLINK("http://evil");\n'
        "odd@example.org;Odd;sometimes\n"
        ";No email;\n"
    )
    lines = classify(community, read_rows(upload(text)))
    assert [(line["line"], line["outcome"], line["problem"]) for line in lines] == [
        (2, "invite", ""),
        (3, "member", ""),
        (4, "invited", ""),
        (5, "invalid", "email"),
        (6, "duplicate", ""),
        (7, "invalid", "formula"),
        (8, "invalid", "involvement"),
        (9, "invalid", "no_email"),
    ]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "vide.csv", "empty"),
        (b"nom;organisation\nAwa;ONG\n", "membres.csv", "email column"),
        (b"%PDF-1.4 binary \x00\x01", "membres.xls", "CSV file or an Excel"),
        (b"PK\x03\x04not really a workbook", "membres.xlsx", "Excel workbook"),
    ],
)
def test_unusable_files_are_refused_clearly(content, name, message, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as error:
        rows = read_rows(upload(content, name=name))
        classify(CommunityFactory(), rows)
    assert message in " ".join(error.value.messages)


def test_too_many_lines_or_too_large_a_file_are_refused():
    lines = "email\n" + "".join(f"p{n}@example.org\n" for n in range(10_000))
    with pytest.raises(ValidationError) as error:
        read_rows(upload(lines))
    assert str(MAX_ROWS) in " ".join(error.value.messages).replace("\u202f", "").replace(" ", "")
    big = SimpleUploadedFile("gros.csv", b"email\n" + b"x" * (50 * 1024 * 1024))
    with pytest.raises(ValidationError):
        read_rows(big)


# --- the pages --------------------------------------------------------------------------------


def test_import_of_200_lines_invites_the_right_people(client, django_capture_on_commit_callbacks):
    community = CommunityFactory()
    members = [add_member(community).user for _ in range(3)]
    known = UserFactory(email="known@example.org")
    rows = ["email,name,organisation,objective,involvement"]
    rows += [f"invitee{n}@example.org,Personne {n},ONG,Apprendre,occasional" for n in range(190)]
    rows += [f"{m.email},{m.name},,," for m in members]
    rows += ["known@example.org,Known,,,active", "invitee1@example.org,Doublon,,,"]
    rows += ["broken-address,X,,,", "formula@example.org,=1+1,,,"]
    rows += [f"late{n}@example.org,,,," for n in range(3)]
    assert len(rows) - 1 == 200
    client.force_login(community.lead)
    members_page = client.get(reverse("communities:members", args=[community.slug]))
    assert reverse("communities:import_members", args=[community.slug]) in (
        members_page.content.decode()
    )
    response = client.post(
        reverse("communities:import_members", args=[community.slug]),
        {"file": upload("\n".join(rows)), "message": "Bienvenue !"},
    )
    member_import = MemberImport.objects.get()
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    counts = {key: n for _label, key, n in preview.context["counts"]}
    assert counts == {"invite": 194, "member": 3, "duplicate": 1, "invalid": 2}
    assert not Invitation.objects.exists()  # nothing is done before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"action": "confirm"})
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.DONE
    invited = set(Invitation.objects.values_list("email", flat=True))
    assert len(invited) == 194
    assert "known@example.org" in invited and "invitee1@example.org" in invited
    assert not invited & {m.email for m in members}
    known_invitation = Invitation.objects.get(email="known@example.org")
    assert known_invitation.invitee == known and known_invitation.involvement == "active"
    assert Invitation.objects.get(email="invitee7@example.org").name == "Personne 7"
    assert AuditEvent.objects.filter(action="members.imported").count() == 1
    results = {line["result"] for line in member_import.rows if line["outcome"] == "invite"}
    assert results == {"sent"}
    again = client.post(response["Location"], {"action": "confirm"})
    assert again.status_code == 302
    assert Invitation.objects.count() == 194


def test_imported_invitation_fills_in_what_the_list_said(client):
    community = CommunityFactory()
    person = UserFactory()
    invitation = services.invite(
        community.lead,
        community,
        email=person.email,
        imported={
            "objective": "Partager nos outils",
            "involvement": "active",
            "name": "",
            "organisation": "",
        },  # fmt: skip
    )
    services.answer_invitation(person, invitation, accept=True)
    membership = community.memberships.get(user=person)
    assert membership.objective == "Partager nos outils"
    assert membership.role == Role.INNER


def test_bad_file_error_stays_next_to_the_field(client):
    community = CommunityFactory()
    client.force_login(community.lead)
    response = client.post(
        reverse("communities:import_members", args=[community.slug]),
        {"file": upload("nom\nAwa\n"), "message": "Bonjour"},
    )
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert response.context["form"]["message"].value() == "Bonjour"
    assert not MemberImport.objects.exists()


def test_cancelled_import_invites_nobody(client):
    community = CommunityFactory()
    client.force_login(community.lead)
    client.post(
        reverse("communities:import_members", args=[community.slug]),
        {"file": upload("email\na@example.org\n")},
    )
    member_import = MemberImport.objects.get()
    url = reverse("communities:import_detail", args=[community.slug, member_import.pk])
    client.post(url, {"action": "cancel"})
    client.post(url, {"action": "confirm"})
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.CANCELLED
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("inner", 403),
        ("core", 403),
        ("co_lead", 200),
        ("lead", 200),
        ("coordinator", 200),
        ("outsider", 403),
    ],  # fmt: skip
)
def test_who_imports_members(client, who, status):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    if who == "lead":
        person = community.lead
    elif who == "coordinator":
        person = CoordinatorFactory()
    elif who == "outsider":
        person = UserFactory()
    else:
        person = add_member(community, role=who).user
    client.force_login(person)
    url = reverse("communities:import_members", args=[community.slug])
    expected = 404 if who == "outsider" else status  # a private community's members page
    assert client.get(url).status_code == expected


def test_imports_of_another_community_answer_not_found(client):
    community, other = CommunityFactory(), CommunityFactory()
    member_import = services.preview_member_import(
        other.lead, other, upload("email\na@example.org\n")
    )
    client.force_login(community.lead)
    url = reverse("communities:import_detail", args=[community.slug, member_import.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "confirm"}).status_code == 404


# --- export -----------------------------------------------------------------------------------


def read_zip(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_lead_exports_the_community(client, django_capture_on_commit_callbacks):
    community = CommunityFactory(title="Eau au Sahel")
    member = add_member(community, role=Role.CORE).user
    thread = start_thread(community, member, title="Forages en panne", body="Qui répare ?")
    discussions.reply(member, thread, body="Voici le guide", uploads=[pdf_upload("guide.pdf")])
    MeetingFactory(community=community, title="Rencontre de mars")
    make_note(member, community, title="Carnet", body="Nos constats de terrain")
    make_file(member, community, title="Fiche")
    make_production(community.lead, community, title="Guide des comités")
    client.force_login(community.lead)
    assert client.get(reverse("communities:export", args=[community.slug])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("communities:export", args=[community.slug]))
    assert response.status_code == 302
    export = CommunityExport.objects.get()
    assert export.status == ArchiveStatus.READY
    download = client.get(reverse("communities:export_download", args=[community.slug, export.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="cercles-')
    archive = read_zip(download)
    names = archive.namelist()
    assert "README.md" in names and "framing/framing.md" in names
    assert "members/members.csv" in names and "framing/milestones.csv" in names
    thread_file = next(n for n in names if n.startswith("discussions/") and n.endswith(".md"))
    text = archive.read(thread_file).decode()
    assert "Qui répare ?" in text and "Voici le guide" in text and "guide.pdf" in text
    assert any(n.endswith("/guide.pdf") for n in names)
    assert any(n.startswith("meetings/") and n.endswith(".ics") for n in names)
    assert any(n.startswith("library/notes/") for n in names)
    assert "productions/productions.md" in names
    members_csv = archive.read("members/members.csv").decode("utf-8-sig")
    assert member.name in members_csv and member.email not in members_csv
    readme = archive.read("README.md").decode()
    assert "Eau au Sahel" in readme
    assert AuditEvent.objects.filter(action="community.exported").exists()


def test_export_keeps_formulas_from_running_in_spreadsheets(django_capture_on_commit_callbacks):
    community = CommunityFactory()
    add_member(community, user=UserFactory(display_name='=HYPERLINK("http://evil")'))
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(community.lead, community)
    export.refresh_from_db()
    with zipfile.ZipFile(export.file.path) as archive:
        text = archive.read("members/members.csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("inner", 403),
        ("core", 403),
        ("co_lead", 200),
        ("lead", 200),
        ("coordinator", 200),
        ("outsider", 403),
    ],  # fmt: skip
)
def test_who_exports(client, who, status):
    community = CommunityFactory(visibility=Visibility.NETWORK)
    if who == "lead":
        person = community.lead
    elif who == "coordinator":
        person = CoordinatorFactory()
    elif who == "outsider":
        person = UserFactory()
    else:
        person = add_member(community, role=who).user
    client.force_login(person)
    assert client.get(reverse("communities:export", args=[community.slug])).status_code == status


def test_only_the_requester_downloads_an_export(client, django_capture_on_commit_callbacks):
    community = CommunityFactory()
    co_lead = add_member(community, role=Role.CO_LEAD).user
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(community.lead, community)
    url = reverse("communities:export_download", args=[community.slug, export.pk])
    client.force_login(co_lead)
    assert client.get(url).status_code == 404
    other = CommunityFactory(lead=co_lead)
    client.force_login(co_lead)
    assert (
        client.get(reverse("communities:export_download", args=[other.slug, export.pk])).status_code
        == 404
    )
