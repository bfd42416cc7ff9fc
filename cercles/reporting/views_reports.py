"""The quarterly report: the coordinators' drafts (compile, write, arrange, review the
contributions, preview, publish), the members' contributions, and the published report with
its PDF, readable by every member of the network."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cercles.communities.lookups import require
from cercles.core.uploads import protected_download

from . import reports
from .compilation import quarter_of
from .forms import ContributionForm, ReportCreateForm, ReportEditForm, ReviewForm
from .models import Contribution, ContributionStatus, QuarterlyReport, ReportBlock, ReportStatus
from .reading import report_context

REPORTS_PER_PAGE = 12


def _manager(request):
    if not request.user.has_perm("reporting.manage_reports"):
        raise PermissionDenied


def _form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def report_list(request):
    """The coordinators' reports: drafts, the compiling form, and the published ones."""
    _manager(request)
    year, quarter = quarter_of(timezone.localdate())
    form = ReportCreateForm(request.POST or None, initial={"year": year, "quarter": quarter})
    if request.method == "POST" and form.is_valid():
        try:
            report = reports.create_report(request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The draft is compiled from the platform."))
            return redirect("reporting:report_edit", report.pk)
    return _list(
        request, form=form, drafts=list(QuarterlyReport.objects.filter(status=ReportStatus.DRAFT))
    )


def published_list(request):
    """The published reports, for every member of the network."""
    if not request.user.has_perm("reporting.view_published_reports"):
        raise PermissionDenied
    return _list(request, form=None, drafts=[])


def _list(request, *, form, drafts):
    published = QuarterlyReport.objects.filter(status=ReportStatus.PUBLISHED).order_by(
        "-year", "-quarter"
    )
    page = Paginator(published, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "reports": page.object_list, "drafts": drafts, "form": form}
    return render(request, "reporting/report_list.html", context)


def _published(request, report_id):
    if not request.user.has_perm("reporting.view_published_reports"):
        raise PermissionDenied
    return get_object_or_404(QuarterlyReport, pk=report_id, status=ReportStatus.PUBLISHED)


def report_detail(request, report_id):
    report = QuarterlyReport.objects.filter(pk=report_id).first()
    if report is not None and report.is_draft and request.user.has_perm("reporting.manage_reports"):
        return redirect("reporting:report_edit", report_id)
    report = _published(request, report_id)
    context = report_context(report)
    context["pdf_ready"] = bool(report.pdf)
    return render(request, "reporting/report_detail.html", context)


def report_pdf(request, report_id):
    """The PDF when it is ready; otherwise a page that says it is being made (and starts the
    job if it never ran)."""
    report = _published(request, report_id)
    if report.pdf:
        return protected_download(report.pdf, f"report-{report.year}-q{report.quarter}.pdf")
    if request.GET.get("wait") is None:
        reports.queue_pdf(report.pk)
        report.refresh_from_db()
        if report.pdf:  # the jobs ran in the request (immediate mode)
            return protected_download(report.pdf, f"report-{report.year}-q{report.quarter}.pdf")
    return render(request, "reporting/report_pdf_pending.html", {"report": report}, status=202)


def _draft(request, report_id):
    _manager(request)
    return get_object_or_404(QuarterlyReport, pk=report_id, status=ReportStatus.DRAFT)


def report_edit(request, report_id):
    report = _draft(request, report_id)
    form = ReportEditForm(
        request.POST or None,
        initial={
            "introduction": report.introduction,
            "highlights": report.highlights,
            "contributions_until": report.contributions_until,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            reports.update_report(request.user, report, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The report is saved."))
            return redirect("reporting:report_edit", report.pk)
    context = report_context(report, include_cut=True, only_accepted=False)
    context.update(
        form=form,
        review_forms={
            c.pk: ReviewForm(initial={"status": "accepted", "text": c.text}, prefix=f"c{c.pk}")
            for b in context["blocks"]
            for c in b.contributions.all()
        },
        contributions_open=report.contributions_open(),
    )
    return render(request, "reporting/report_edit.html", context)


def report_preview(request, report_id):
    report = _draft(request, report_id)
    return render(request, "reporting/report_preview.html", report_context(report))


@require_POST
def report_recompile(request, report_id):
    report = _draft(request, report_id)
    reports.recompile_report(request.user, report)
    messages.success(request, _("The figures are read again; your order, cuts and texts stay."))
    return redirect("reporting:report_edit", report.pk)


@require_POST
def report_publish(request, report_id):
    report = _draft(request, report_id)
    try:
        reports.publish_report(request.user, report)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("reporting:report_edit", report.pk)
    messages.success(
        request,
        _("The report is published: the members receive it by email; the PDF is being made."),
    )
    return redirect("reporting:report", report.pk)


@require_POST
def block_arrange(request, report_id, block_id):
    report = _draft(request, report_id)
    block = get_object_or_404(ReportBlock, pk=block_id, report=report)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            reports.move_block(request.user, report, block, -1 if action == "up" else 1)
        elif action in ("cut", "keep"):
            ordered = list(report.blocks.all())
            reports.arrange_blocks(
                request.user,
                report,
                {
                    b.pk: (b.position, (action == "keep") if b.pk == block.pk else b.included)
                    for b in ordered
                },
            )
        else:
            raise ValidationError(_("Choose what to do with this block."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{report.get_absolute_url()}#block-{block.pk}")


@require_POST
def contribution_review(request, report_id, contribution_id):
    report = _draft(request, report_id)
    contribution = get_object_or_404(Contribution, pk=contribution_id, block__report=report)
    form = ReviewForm(request.POST, prefix=f"c{contribution.pk}")
    if form.is_valid():
        try:
            reports.review_contribution(request.user, contribution, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The contribution is reviewed."))
    else:
        messages.error(request, _("Write a few lines and choose a decision."))
    return redirect(f"{report.get_absolute_url()}#block-{contribution.block_id}")


def _block_of_member(request, report_id, block_id):
    """The block, if the person may see its community; 404 for anything else."""
    block = get_object_or_404(
        ReportBlock.objects.select_related("report", "community"),
        pk=block_id,
        report_id=report_id,
        report__status=ReportStatus.DRAFT,
        community__isnull=False,
    )
    if not request.user.has_perm("communities.view_content", block.community):
        raise Http404
    return block


def contribute(request, report_id, block_id):
    block = _block_of_member(request, report_id, block_id)
    require(request, "reporting.contribute", block.community)
    form = ContributionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            reports.contribute(request.user, block, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Thank you: the coordinators will read your piece for the report.")
            )
            return redirect(block.community.get_absolute_url())
    mine = list(
        Contribution.objects.filter(block=block, author=request.user).order_by("created_at")
    )
    context = {
        "block": block,
        "report": block.report,
        "community": block.community,
        "form": form,
        "mine": mine,
        "open": block.report.contributions_open(),
        "can_share": request.user.has_perm("reporting.share_report_details", block.community)
        and block.private,
    }
    return render(request, "reporting/contribution_form.html", context)


@require_POST
def block_share(request, report_id, block_id):
    block = _block_of_member(request, report_id, block_id)
    require(request, "reporting.share_report_details", block.community)
    reports.share_block_details(request.user, block, shared=request.POST.get("shared") == "1")
    messages.success(request, _("Your choice is saved."))
    return redirect("reporting:contribute", report_id, block.pk)


def contribution_image(request, contribution_id):
    """A contribution's image: for the coordinators, its author, and every member once the
    report is published and the piece accepted."""
    contribution = get_object_or_404(
        Contribution.objects.select_related("block__report"), pk=contribution_id
    )
    user = request.user
    allowed = user.has_perm("reporting.manage_reports") or contribution.author_id == user.pk
    if not allowed:
        allowed = (
            contribution.block.report.is_published
            and contribution.status == ContributionStatus.ACCEPTED
            and user.has_perm("reporting.view_published_reports")
        )
    if not allowed or not contribution.image:
        raise Http404
    try:
        handle = contribution.image.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    content_type = "image/png" if contribution.image_extension == "png" else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
