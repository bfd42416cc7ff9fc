"""The quarterly report: compiling, contributions, review, publishing, PDF and email."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.coordination.services import post_update
from cercles.library.tests.factories import png_upload
from cercles.meetings.tests.factories import past
from cercles.reporting import reports
from cercles.reporting.compilation import compile_quarter, quarter_bounds, quarter_of
from cercles.reporting.models import (
    Contribution,
    ContributionStatus,
    QuarterlyReport,
    ReportStatus,
    ValueStory,
)

from .factories import ValueStoryFactory

pytestmark = pytest.mark.django_db


def this_quarter():
    return quarter_of(timezone.localdate())


def draft(coordinator=None, **kwargs):
    year, quarter = this_quarter()
    kwargs.setdefault("contributions_until", timezone.localdate() + datetime.timedelta(days=7))
    return reports.create_report(
        coordinator or CoordinatorFactory(), year=year, quarter=quarter, **kwargs
    )


def jpeg_upload(name="photo.jpg", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_quarter_bounds():
    assert quarter_bounds(2026, 1) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert quarter_of(datetime.date(2026, 8, 3)) == (2026, 3)


def test_compiling_reads_what_each_community_did():
    community = CommunityFactory()
    past(days=1, community=community)
    post_update(community.lead, community, done="Atelier tenu", help_needed="Un relecteur")
    story = ValueStoryFactory(community=community, title="Registre")
    ValueStory.objects.filter(pk=story.pk).update(featured_at=timezone.now())
    CommunityFactory(state=State.DRAFT)
    network, blocks = compile_quarter(*this_quarter())
    assert [b["title"] for b in blocks] == [community.title]
    block = blocks[0]
    assert block["meetings_held"] == 1
    assert block["updates"][0]["help_needed"] == "Un relecteur"
    assert block["stories"][0]["title"] == "Registre"
    assert block["stage"]
    assert network["running"] == 1
    assert network["meetings_held"] == 1


def test_compiling_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    for _ in range(3):
        community = CommunityFactory()
        past(days=1, community=community)
    with django_assert_max_num_queries(18) as few:
        compile_quarter(*this_quarter())
    for _ in range(6):
        community = CommunityFactory()
        past(days=1, community=community)
        ValueStoryFactory(community=community)
    with django_assert_max_num_queries(len(few.captured_queries)):
        network, blocks = compile_quarter(*this_quarter())
    assert len(blocks) == 9


def test_a_quarter_in_the_future_is_refused():
    year, quarter = this_quarter()
    year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    with pytest.raises(ValidationError) as error:
        reports.create_report(CoordinatorFactory(), year=year, quarter=quarter)
    assert "quarter" in error.value.message_dict
    assert not QuarterlyReport.objects.exists()


def test_one_report_per_quarter():
    draft()
    with pytest.raises(ValidationError):
        draft()
    assert QuarterlyReport.objects.count() == 1


def test_only_coordinators_compile():
    with pytest.raises(PermissionDenied):
        draft(coordinator=UserFactory())


def test_a_member_contributes_text_and_an_image():
    community = CommunityFactory()
    member = add_member(community, Role.OUTER).user
    report = draft()
    block = report.blocks.get(community=community)
    contribution = reports.contribute(
        member, block, text="Nous avons tenu l'atelier.", image=jpeg_upload(), image_alt="Atelier"
    )
    assert contribution.status == ContributionStatus.SUBMITTED
    assert contribution.image.name.endswith(".jpg")


def test_a_contribution_to_another_communitys_block_is_refused():
    mine, theirs = CommunityFactory(), CommunityFactory()
    member = add_member(mine, Role.INNER).user
    report = draft()
    with pytest.raises(PermissionDenied):
        reports.contribute(member, report.blocks.get(community=theirs), text="Intrus")
    assert not Contribution.objects.exists()


def test_an_image_that_is_not_an_image_is_refused():
    community = CommunityFactory()
    block = draft().blocks.get(community=community)
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image at all" * 10)
    with pytest.raises(ValidationError) as error:
        reports.contribute(community.lead, block, text="Bonjour", image=fake, image_alt="x")
    assert "image" in error.value.message_dict
    pdf = SimpleUploadedFile("photo.pdf", b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(ValidationError):
        reports.contribute(community.lead, block, text="Bonjour", image=pdf, image_alt="x")
    assert not Contribution.objects.exists()


def test_a_20_mb_image_is_refused():
    community = CommunityFactory()
    block = draft().blocks.get(community=community)
    big = png_upload()
    big.size = 20 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        reports.contribute(community.lead, block, text="Bonjour", image=big, image_alt="x")
    assert "image" in error.value.message_dict
    assert not Contribution.objects.exists()


def test_an_image_needs_its_description():
    community = CommunityFactory()
    block = draft().blocks.get(community=community)
    with pytest.raises(ValidationError) as error:
        reports.contribute(community.lead, block, text="Bonjour", image=png_upload())
    assert "image_alt" in error.value.message_dict


def test_contributions_only_while_the_window_is_open():
    community = CommunityFactory()
    report = draft(contributions_until=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        reports.contribute(community.lead, report.blocks.get(community=community), text="Tard")


def test_the_coordinator_edits_and_accepts():
    community = CommunityFactory()
    coordinator = CoordinatorFactory()
    report = draft(coordinator)
    contribution = reports.contribute(
        community.lead, report.blocks.get(community=community), text="Texte long"
    )
    reports.review_contribution(coordinator, contribution, status="accepted", text="Texte court")
    contribution.refresh_from_db()
    assert (contribution.status, contribution.text, contribution.edited_by) == (
        "accepted", "Texte court", coordinator,
    )  # fmt: skip


def test_reorder_and_cut_blocks():
    a, b, c = (CommunityFactory(title=t) for t in ("Alpha", "Bêta", "Gamma"))
    coordinator = CoordinatorFactory()
    report = draft(coordinator)
    blocks = {bl.community_id: bl for bl in report.blocks.all()}
    reports.move_block(coordinator, report, blocks[c.pk], -1)
    assert [bl.title for bl in report.blocks.all()] == ["Alpha", "Gamma", "Bêta"]
    reports.arrange_blocks(
        coordinator,
        report,
        {bl.pk: (bl.position, bl.community_id != a.pk) for bl in report.blocks.all()},
    )
    assert [bl.title for bl in report.blocks.filter(included=True)] == ["Gamma", "Bêta"]
    other = reports.create_report(coordinator, year=2025, quarter=1)
    with pytest.raises(ValidationError):
        reports.arrange_blocks(coordinator, other, {blocks[a.pk].pk: (1, True)})


def test_recompiling_keeps_order_cuts_and_contributions():
    CommunityFactory(title="Alpha")
    b = CommunityFactory(title="Bêta")
    coordinator = CoordinatorFactory()
    report = draft(coordinator)
    block_b = report.blocks.get(community=b)
    reports.move_block(coordinator, report, block_b, -1)
    reports.contribute(b.lead, block_b, text="Nos nouvelles")
    past(days=1, community=b)
    reports.recompile_report(coordinator, report)
    block_b.refresh_from_db()
    assert [bl.title for bl in report.blocks.all()] == ["Bêta", "Alpha"]
    assert block_b.data["meetings_held"] == 1
    assert block_b.contributions.count() == 1


def test_publishing_an_empty_report_is_refused():
    coordinator = CoordinatorFactory()
    report = reports.create_report(coordinator, year=2025, quarter=1)
    assert not report.blocks.exists()
    with pytest.raises(ValidationError):
        reports.publish_report(coordinator, report)
    report.refresh_from_db()
    assert report.is_draft


def test_publishing_makes_the_pdf_and_emails_the_members(django_capture_on_commit_callbacks):
    community = CommunityFactory(title="Eau et assainissement")
    member = add_member(community, Role.OUTER).user
    coordinator = CoordinatorFactory()
    report = draft(coordinator)
    contribution = reports.contribute(
        member, report.blocks.get(community=community), text="Notre atelier", image=jpeg_upload(),
        image_alt="Atelier",
    )  # fmt: skip
    reports.review_contribution(coordinator, contribution, status="accepted")
    reports.update_report(
        coordinator, report, introduction="Un trimestre **riche**. <script>alert(1)</script>",
        highlights="",
        contributions_until=None,
    )  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reports.publish_report(coordinator, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.pdf and report.pdf_generated_at
    assert report.pdf.open("rb").read(5) == b"%PDF-"
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert "<strong>riche</strong>" in html
        assert "<script>" not in html
    subjects = {m.subject for m in mail.outbox}
    assert any(str(report.title) in s for s in subjects)
    assert report.recipient_count >= 3
    # Publishing twice sends nothing more.
    sent = len(mail.outbox)
    reports.publish_report(coordinator, report)
    assert len(mail.outbox) == sent


def test_a_private_community_shows_only_what_its_lead_shared():
    from cercles.reporting.reading import report_context

    private = CommunityFactory(visibility=Visibility.PRIVATE, title="Cercle privé")
    coordinator = CoordinatorFactory()
    report = draft(coordinator)
    block = report.blocks.get(community=private)
    assert block.private and not block.details_shared
    assert report_context(report)["blocks"] == []
    reports.share_block_details(private.lead, block, shared=True)
    assert [b.title for b in report_context(report)["blocks"]] == ["Cercle privé"]
    with pytest.raises(PermissionDenied):
        reports.share_block_details(add_member(private).user, block, shared=False)


def test_the_pdf_job_fetches_nothing_from_outside():
    from cercles.reporting.pdf import inline_only

    fetcher = inline_only()
    with pytest.raises(ValueError):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("data:text/plain;base64,aGk=")
