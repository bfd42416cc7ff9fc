"""The quarterly report's writes, whoever calls them: `create_report` (compile a quarter's
draft), `recompile_report`, `update_report`, `arrange_blocks`, `contribute`,
`review_contribution`, `share_block_details`, `publish_report`; and its reading helpers."""

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.communities.archive import ensure_writable
from cercles.core.audit import record_event
from cercles.core.uploads import validate_upload

from .compilation import compile_quarter, quarter_of
from .models import (
    Contribution,
    ContributionStatus,
    QuarterlyReport,
    ReportBlock,
    ReportStatus,
)

IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
IMAGE_MAX_BYTES = 5 * 1024 * 1024


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def _require_draft(report):
    if not report.is_draft:
        raise ValidationError(_("This report is published: it cannot change any more."))


def check_quarter(year, quarter, today=None):
    today = today or timezone.localdate()
    errors = {}
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("Choose a quarter from 1 to 4.")
    elif (year, quarter) > quarter_of(today):
        errors["quarter"] = _("This quarter has not begun yet.")
    elif year < 2000:
        errors["year"] = _("Choose a year from 2000.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_report(actor, *, year, quarter, contributions_until=None, today=None):
    """Compile the draft of a quarter (one report per quarter)."""
    _require(actor, "reporting.manage_reports")
    check_quarter(year, quarter, today)
    if QuarterlyReport.objects.filter(year=year, quarter=quarter).exists():
        raise ValidationError({"quarter": _("This quarter already has its report.")})
    report = QuarterlyReport(
        year=year, quarter=quarter, created_by=actor, contributions_until=contributions_until
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError({"quarter": _("This quarter already has its report.")}) from None
    _fill(report, today)
    record_event(actor, "report.compiled", report)
    return report


def _fill(report, today=None):
    network, blocks = compile_quarter(report.year, report.quarter, today)
    report.network = network
    report.compiled_at = timezone.now()
    report.save(update_fields=["network", "compiled_at"])
    existing = {b.community_id: b for b in report.blocks.all()}
    new, changed = [], []
    last = max((b.position for b in existing.values()), default=0)
    for data in blocks:
        block = existing.pop(data["community_id"], None)
        if block is None:
            last += 1
            new.append(
                ReportBlock(
                    report=report,
                    community_id=data["community_id"],
                    title=data["title"],
                    position=last,
                    private=data["private"],
                    details_shared=not data["private"],
                    data=data,
                )
            )
        else:
            block.data, block.title, block.private = data, data["title"], data["private"]
            changed.append(block)
    ReportBlock.objects.bulk_create(new, batch_size=500)
    ReportBlock.objects.bulk_update(changed, ["data", "title", "private"], batch_size=500)
    # Communities no longer running keep their block only if someone contributed to it.
    ReportBlock.objects.filter(pk__in=[b.pk for b in existing.values()]).filter(
        contributions__isnull=True
    ).delete()


@transaction.atomic
def recompile_report(actor, report):
    """Read the platform again; the order, the cuts and the contributions are kept."""
    _require(actor, "reporting.manage_reports")
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    _require_draft(report)
    _fill(report)
    record_event(actor, "report.recompiled", report)
    return report


@transaction.atomic
def update_report(actor, report, *, introduction, highlights, contributions_until=None):
    _require(actor, "reporting.manage_reports")
    _require_draft(report)
    report.introduction = introduction.strip()
    report.highlights = highlights.strip()
    report.contributions_until = contributions_until
    report.full_clean()
    report.save(update_fields=["introduction", "highlights", "contributions_until"])
    return report


@transaction.atomic
def arrange_blocks(actor, report, arrangement):
    """Reorder and cut blocks: arrangement is {block id: (position, included)}; blocks of other
    reports are refused."""
    _require(actor, "reporting.manage_reports")
    _require_draft(report)
    blocks = {b.pk: b for b in report.blocks.all()}
    unknown = set(arrangement) - set(blocks)
    if unknown:
        raise ValidationError(_("Some blocks are not part of this report."))
    for pk, (position, included) in arrangement.items():
        blocks[pk].position = position
        blocks[pk].included = included
    ReportBlock.objects.bulk_update(list(blocks.values()), ["position", "included"])
    # Positions made consecutive again, in the order asked.
    ordered = sorted(blocks.values(), key=lambda b: (b.position, b.title.lower(), b.pk))
    for index, block in enumerate(ordered, start=1):
        block.position = index
    ReportBlock.objects.bulk_update(ordered, ["position"])
    return ordered


def move_block(actor, report, block, step):
    """Move a block up (-1) or down (+1) by one place."""
    ordered = list(report.blocks.all())
    index = next((i for i, b in enumerate(ordered) if b.pk == block.pk), None)
    if index is None:
        raise ValidationError(_("Some blocks are not part of this report."))
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    arrangement = {b.pk: (i + 1, b.included) for i, b in enumerate(ordered)}
    return arrange_blocks(actor, report, arrangement)


def validate_image(upload):
    """The extension of an uploaded image, its type checked by its content (magic bytes) and
    its size limited; a ValidationError in the person's words otherwise."""
    extension = os.path.splitext(upload.name)[1].lower()
    if extension not in IMAGE_EXTENSIONS:
        raise ValidationError(_("Choose an image (PNG, JPEG, GIF or WebP)."), code="kind")
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(
            _("This image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(IMAGE_MAX_BYTES)},
            code="too_large",
        )
    validate_upload(upload, max_bytes=IMAGE_MAX_BYTES)
    return extension


def _stored_image(upload):
    """(bytes, extension) of the image made light for the page, the PDF and the email."""
    from cercles.coordination.newsletter import ImageTooHeavy, shrink_image

    try:
        content, extension, _width, _height = shrink_image(upload)
    except ImageTooHeavy:
        raise ValidationError(
            {"image": _("This image stays too heavy even made smaller: choose a simpler one.")}
        ) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors for bad files
        raise ValidationError({"image": _("This file is not an image Cercles can read.")}) from None
    return content, extension


# Each person's pieces for one block have a ceiling (issue 19: the report and its PDF never grow
# without bound).
MAX_CONTRIBUTIONS_PER_PERSON = 5


@transaction.atomic
def contribute(actor, block, *, text, image=None, image_alt=""):
    """A lead's or a member's piece for their community's block, while the window is open."""
    community = block.community
    if community is None:
        raise PermissionDenied
    ensure_writable(community)
    _require(actor, "reporting.contribute", community)
    report = block.report
    if not report.contributions_open():
        raise ValidationError(_("Contributions to this report are closed."))
    if block.contributions.filter(author=actor).count() >= MAX_CONTRIBUTIONS_PER_PERSON:
        raise ValidationError(
            _("You have given %(max)d pieces for this report already: the most one person gives.")
            % {"max": MAX_CONTRIBUTIONS_PER_PERSON}
        )
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("Write a few lines.")
    if image is not None:
        try:
            validate_image(image)
        except ValidationError as error:
            errors["image"] = error.messages
        if not image_alt.strip() and "image" not in errors:
            errors["image_alt"] = _("Describe the image for those who cannot see it.")
    if errors:
        raise ValidationError(errors)
    contribution = Contribution(block=block, author=actor, text=text, image_alt=image_alt.strip())
    if image is not None:
        content, extension = _stored_image(image)
        contribution.image_extension = extension
        contribution.image.save(f"image.{extension}", ContentFile(content), save=False)
    contribution.full_clean()
    contribution.save()
    record_event(actor, "report.contributed", contribution, block=block.pk)
    return contribution


@transaction.atomic
def review_contribution(actor, contribution, *, status, text=None):
    """The coordinator accepts (possibly after editing the text) or does not keep a piece."""
    _require(actor, "reporting.manage_reports")
    _require_draft(contribution.block.report)
    if status not in ContributionStatus.values:
        raise ValidationError(_("Choose what becomes of this contribution."))
    if text is not None:
        text = text.strip()
        if not text:
            raise ValidationError({"text": _("Write a few lines.")})
        if text != contribution.text:
            contribution.text = text
            contribution.edited_by = actor
    contribution.status = status
    contribution.full_clean()
    contribution.save()
    record_event(actor, "report.contribution_reviewed", contribution, status=status)
    return contribution


@transaction.atomic
def share_block_details(actor, block, *, shared):
    """The lead of a private community chooses whether its compiled figures are shown."""
    community = block.community
    if community is None:
        raise PermissionDenied
    _require(actor, "reporting.share_report_details", community)
    _require_draft(block.report)
    block.details_shared = shared
    block.save(update_fields=["details_shared"])
    record_event(actor, "report.details_shared" if shared else "report.details_hidden", block)
    return block


def is_empty(report):
    return not (
        report.introduction.strip()
        or report.highlights.strip()
        or report.blocks.filter(included=True).exists()
    )


@transaction.atomic
def publish_report(actor, report):
    """Publish once: the page opens to every member, the PDF is made and the email sent by
    jobs. Refused when the report says nothing."""
    from cercles.notifications.sending import start_mailing

    from .mailing import recipients

    _require(actor, "reporting.manage_reports")
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        return report
    if is_empty(report):
        raise ValidationError(
            _("This report is empty: write an introduction or keep at least one block.")
        )
    report.status = ReportStatus.PUBLISHED
    report.published_by = actor
    report.published_at = timezone.now()
    ids = list(recipients().order_by("pk").values_list("pk", flat=True))
    report.recipient_count = len(ids)
    report.save(update_fields=["status", "published_by", "published_at", "recipient_count"])
    record_event(actor, "report.published", report, recipients=len(ids))
    start_mailing("quarterly_report", report.pk, ids, key=report.mailing_key)
    transaction.on_commit(lambda: queue_pdf(report.pk), robust=True)
    return report


def queue_pdf(report_id):
    from .tasks import make_report_pdf

    make_report_pdf(report_id)
