"""Pages of the quarterly report and the statistics: who may open them, bad input, queries."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.library.tests.factories import png_upload
from cercles.meetings.tests.factories import past
from cercles.reporting import reports
from cercles.reporting.compilation import quarter_of
from cercles.reporting.models import Contribution, QuarterlyReport, ReportStatus

from .test_reports import draft, jpeg_upload

pytestmark = pytest.mark.django_db


def people(community):
    return {
        "anonymous": None,
        "outsider": UserFactory(),
        "outer": add_member(community, Role.OUTER).user,
        "lead": community.lead,
        "coordinator": CoordinatorFactory(),
        "former": add_member(community, Role.INNER, status="left").user,
    }


def statuses(client, url, everyone, method="get", data=None):
    answers = {}
    for name, person in everyone.items():
        client.logout()
        if person is not None:
            client.force_login(person)
        answers[name] = getattr(client, method)(url, data or {}).status_code
    return answers


def published(coordinator=None):
    coordinator = coordinator or CoordinatorFactory()
    report = reports.create_report(coordinator, year=2025, quarter=3)
    reports.update_report(coordinator, report, introduction="Bonjour", highlights="")
    QuarterlyReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.PUBLISHED, published_at=timezone.now()
    )
    report.refresh_from_db()
    return report


# --- permission matrices ----------------------------------------------------------------------


def test_who_reads_a_published_report(client):
    community = CommunityFactory()
    report = published()
    for name in ("reporting:report", "reporting:published_list"):
        url = reverse(name, args=[report.pk] if name == "reporting:report" else [])
        assert statuses(client, url, people(community)) == {
            "anonymous": 302, "outsider": 200, "outer": 200, "lead": 200, "coordinator": 200,
            "former": 200,
        }, name  # fmt: skip


def test_who_works_on_a_draft(client):
    community = CommunityFactory()
    report = draft()
    everyone = people(community)
    for name in ("reporting:report_edit", "reporting:report_preview"):
        url = reverse(name, args=[report.pk])
        assert statuses(client, url, everyone) == {
            "anonymous": 302, "outsider": 404, "outer": 404, "lead": 404, "coordinator": 200,
            "former": 404,
        }, name  # fmt: skip
    url = reverse("reporting:report", args=[report.pk])
    assert statuses(client, url, everyone)["outer"] == 404


def test_who_publishes_recompiles_arranges_and_reviews(client):
    community = CommunityFactory()
    everyone = people(community)
    report = draft()
    block = report.blocks.get(community=community)
    contribution = reports.contribute(community.lead, block, text="Nos nouvelles")
    posts = [
        (reverse("reporting:report_recompile", args=[report.pk]), {}),
        (reverse("reporting:block_arrange", args=[report.pk, block.pk]), {"action": "cut"}),
        (
            reverse("reporting:contribution_review", args=[report.pk, contribution.pk]),
            {f"c{contribution.pk}-status": "accepted", f"c{contribution.pk}-text": "Bien"},
        ),
        (reverse("reporting:report_publish", args=[report.pk]), {}),
    ]
    for url, data in posts:
        answers = statuses(
            client, url, {k: v for k, v in everyone.items() if k != "coordinator"}, "post", data
        )
        assert answers == {
            "anonymous": 302, "outsider": 404, "outer": 404, "lead": 404, "former": 404,
        }, url  # fmt: skip
    report.refresh_from_db()
    assert report.is_draft


def test_who_contributes_to_a_block(client):
    community = CommunityFactory()
    block = draft().blocks.get(community=community)
    url = reverse("reporting:contribute", args=[block.report_id, block.pk])
    answers = statuses(client, url, people(community), "post", {"text": "Nos nouvelles"})
    assert answers == {
        "anonymous": 302, "outsider": 403, "outer": 302, "lead": 302, "coordinator": 403,
        "former": 403,
    }  # fmt: skip
    assert Contribution.objects.count() == 2


def test_who_shares_the_figures_of_a_private_block(client):
    from cercles.communities.models import Visibility

    community = CommunityFactory(visibility=Visibility.PRIVATE)
    block = draft().blocks.get(community=community)
    url = reverse("reporting:block_share", args=[block.report_id, block.pk])
    answers = statuses(client, url, people(community), "post", {"shared": "1"})
    assert answers == {
        "anonymous": 302, "outsider": 404, "outer": 403, "lead": 302, "coordinator": 403,
        "former": 404,
    }  # fmt: skip
    block.refresh_from_db()
    assert block.details_shared


def test_who_sees_a_contributions_image(client):
    community = CommunityFactory()
    coordinator = CoordinatorFactory()
    report = draft(coordinator)
    author = add_member(community, Role.OUTER).user
    contribution = reports.contribute(
        author, report.blocks.get(community=community), text="Photo", image=png_upload(),
        image_alt="Carte",
    )  # fmt: skip
    url = reverse("reporting:contribution_image", args=[contribution.pk])
    everyone = {"anonymous": None, "outsider": UserFactory(), "author": author,
                "coordinator": coordinator}  # fmt: skip
    assert statuses(client, url, everyone) == {
        "anonymous": 302, "outsider": 404, "author": 200, "coordinator": 200,
    }  # fmt: skip
    reports.review_contribution(coordinator, contribution, status="accepted")
    QuarterlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED)
    assert statuses(client, url, everyone)["outsider"] == 200


def test_who_sees_the_statistics(client):
    community = CommunityFactory()
    for name in ("reporting:statistics", "reporting:statistics_csv"):
        assert statuses(client, reverse(name), people(community)) == {
            "anonymous": 302, "outsider": 404, "outer": 404, "lead": 404, "coordinator": 200,
            "former": 404,
        }, name  # fmt: skip


# --- bad input --------------------------------------------------------------------------------


def test_a_quarter_in_the_future_keeps_the_input(client):
    client.force_login(CoordinatorFactory())
    year, quarter = quarter_of(timezone.localdate())
    response = client.post(reverse("reporting:report_list"), {"year": year + 1, "quarter": quarter})
    assert response.status_code == 200
    assert response.context["form"].errors["quarter"]
    assert not QuarterlyReport.objects.exists()
    response = client.post(reverse("reporting:report_list"), {"year": "abc", "quarter": "9"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"year", "quarter"}


def test_publishing_an_empty_report_says_so(client):
    coordinator = CoordinatorFactory()
    report = reports.create_report(coordinator, year=2025, quarter=1)
    client.force_login(coordinator)
    response = client.post(reverse("reporting:report_publish", args=[report.pk]), follow=True)
    assert "Ce point est vide" in response.text
    report.refresh_from_db()
    assert report.is_draft
    assert not mail.outbox


def test_a_contribution_to_another_communitys_block_is_forbidden(client):
    mine, theirs = CommunityFactory(), CommunityFactory()
    member = add_member(mine).user
    report = draft()
    client.force_login(member)
    block = report.blocks.get(community=theirs)
    response = client.post(
        reverse("reporting:contribute", args=[report.pk, block.pk]), {"text": "Intrus"}
    )
    assert response.status_code == 403
    assert not Contribution.objects.exists()
    # Nor through another report's address.
    other = reports.create_report(CoordinatorFactory(), year=2025, quarter=1)
    mine_block = report.blocks.get(community=mine)
    response = client.post(
        reverse("reporting:contribute", args=[other.pk, mine_block.pk]), {"text": "Intrus"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "upload, message",
    [
        ("not-an-image", "ne correspond pas"),
        ("pdf", "Choisissez une image"),
        ("huge", "la limite est"),
    ],
)
def test_bad_images_are_refused_beside_the_field(client, upload, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    community = CommunityFactory()
    block = draft().blocks.get(community=community)
    if upload == "not-an-image":
        file = SimpleUploadedFile("photo.png", b"<html><script>x</script></html>" * 20)
    elif upload == "pdf":
        file = SimpleUploadedFile("doc.pdf", b"%PDF-1.4\n%%EOF\n")
    else:
        file = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * (20 * 1024 * 1024))
    client.force_login(community.lead)
    response = client.post(
        reverse("reporting:contribute", args=[block.report_id, block.pk]),
        {"text": "Mon texte", "image": file, "image_alt": "Une photo"},
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["image"])
    assert "Mon texte" in response.text
    assert not Contribution.objects.exists()


def test_markup_in_contributions_is_inert_on_the_page_and_in_the_pdf(client):
    from cercles.reporting.pdf import render_report_html

    community = CommunityFactory()
    coordinator = CoordinatorFactory()
    report = draft(coordinator)
    contribution = reports.contribute(
        community.lead,
        report.blocks.get(community=community),
        text="<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))",
    )
    reports.review_contribution(coordinator, contribution, status="accepted")
    reports.update_report(coordinator, report, introduction="<iframe src=//evil>", highlights="")
    client.force_login(coordinator)
    preview = client.get(reverse("reporting:report_preview", args=[report.pk])).text
    printed = render_report_html(report, "fr")
    for html in (preview, printed):
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert 'href="javascript' not in html
        assert "<iframe" not in html


def test_the_coordinator_arranges_reviews_and_publishes_from_the_pages(
    client, django_capture_on_commit_callbacks
):
    a = CommunityFactory(title="Alpha")
    b = CommunityFactory(title="Bêta")
    coordinator = CoordinatorFactory()
    report = draft(coordinator)
    contribution = reports.contribute(
        b.lead, report.blocks.get(community=b), text="Long texte", image=jpeg_upload(),
        image_alt="Atelier",
    )  # fmt: skip
    client.force_login(coordinator)
    edit = reverse("reporting:report_edit", args=[report.pk])
    block_a, block_b = report.blocks.get(community=a), report.blocks.get(community=b)
    client.post(reverse("reporting:block_arrange", args=[report.pk, block_b.pk]), {"action": "up"})
    client.post(reverse("reporting:block_arrange", args=[report.pk, block_a.pk]), {"action": "cut"})
    client.post(
        reverse("reporting:contribution_review", args=[report.pk, contribution.pk]),
        {f"c{contribution.pk}-status": "accepted", f"c{contribution.pk}-text": "Court"},
    )
    response = client.post(
        edit,
        {"introduction": "Un trimestre", "highlights": "", "contributions_until": ""},
    )
    assert response.status_code == 302
    preview = client.get(reverse("reporting:report_preview", args=[report.pk])).text
    assert "Bêta" in preview and "Court" in preview
    assert f"block-{block_a.pk}" not in preview
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:report_publish", args=[report.pk]))
    assert response.status_code == 302
    page = client.get(reverse("reporting:report", args=[report.pk]))
    assert page.context["pdf_ready"]
    pdf = client.get(reverse("reporting:report_pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    report.refresh_from_db()
    assert any(report.get_absolute_url() in m.body for m in mail.outbox)


def test_the_pdf_page_says_when_it_is_not_ready(client, monkeypatch):
    report = published()
    monkeypatch.setattr(reports, "queue_pdf", lambda report_id: None)
    client.force_login(UserFactory())
    response = client.get(reverse("reporting:report_pdf", args=[report.pk]))
    assert response.status_code == 202
    assert 'http-equiv="refresh"' in response.text


# --- queries ----------------------------------------------------------------------------------


def test_pages_read_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    coordinator = CoordinatorFactory()
    for _index in range(8):
        community = CommunityFactory()
        past(days=1, community=community)
    report = draft(coordinator)
    for block in report.blocks.all()[:4]:
        c = reports.contribute(block.community.lead, block, text="Nouvelles")
        reports.review_contribution(coordinator, c, status="accepted")
    client.force_login(coordinator)
    for name in ("reporting:report_edit", "reporting:report_preview"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name, args=[report.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        client.get(reverse("reporting:report_list"))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reporting:statistics"))
    assert "<svg" in response.text
    csv = client.get(reverse("reporting:statistics_csv"))
    assert csv.content.decode().startswith("table,period,series,value")
    QuarterlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED)
    client.force_login(UserFactory())
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reporting:report", args=[report.pk])).status_code == 200


def test_the_home_invites_members_to_contribute(client):
    community = CommunityFactory()
    member = add_member(community, Role.OUTER).user
    report = draft(contributions_until=timezone.localdate() + datetime.timedelta(days=3))
    client.force_login(member)
    response = client.get(community.get_absolute_url())
    block = report.blocks.get(community=community)
    assert reverse("reporting:contribute", args=[report.pk, block.pk]) in response.text
