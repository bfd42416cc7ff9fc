"""The newsletter: coordinators compose, preview and send it; members read the archive."""

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from rules.contrib.views import permission_required

from cercles.core.decorators import post_only
from cercles.notifications.models import EmailDelivery, EmailStatus, Mailing, SuppressedAddress
from cercles.notifications.sending import counts, write_for

from . import services
from .forms import NewsletterCreateForm, NewsletterForm, NewsletterImageForm
from .models import Newsletter, NewsletterImage
from .newsletter import audience_counts, default_period, letter_for, personal_parts, render_body

PER_PAGE = 20
FAILURE_STATUSES = [EmailStatus.FAILED, EmailStatus.BOUNCED, EmailStatus.INTERRUPTED]

manage = permission_required("coordination.manage_newsletters", raise_exception=True)


def _draft_or_404(pk):
    return get_object_or_404(Newsletter, pk=pk)


@manage
def newsletter_list(request):
    start, end = default_period()
    form = NewsletterCreateForm(
        request.POST or None, initial={"period_start": start, "period_end": end}
    )
    if request.method == "POST" and form.is_valid():
        newsletter = services.create_newsletter(request.user, **form.cleaned_data)
        messages.success(request, _("A draft has been compiled from the period: edit it."))
        return redirect("newsletter:edit", newsletter.pk)
    newsletters = Newsletter.objects.select_related("created_by").order_by(
        "status", "-sent_at", "-created_at"
    )
    page = Paginator(newsletters, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "coordination/newsletter_list.html", {"form": form, "page": page})


@manage
def newsletter_edit(request, pk):
    newsletter = _draft_or_404(pk)
    if not newsletter.is_draft:
        return redirect("newsletter:report", newsletter.pk)
    initial = {
        "subject": newsletter.subject,
        "body": newsletter.body,
        "themes": list(newsletter.segment_themes.all()),
        "territories": list(newsletter.segment_territories.all()),
        "roles": newsletter.segment_roles,
    }
    form = NewsletterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_newsletter(request.user, newsletter, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The newsletter is saved."))
            if "preview" in request.POST:
                return redirect("newsletter:preview", newsletter.pk)
            return redirect("newsletter:edit", newsletter.pk)
    context = {
        "newsletter": newsletter,
        "form": form,
        "image_form": NewsletterImageForm(),
        "images": newsletter.images.all(),
    }
    return render(request, "coordination/newsletter_form.html", context)


@post_only
@manage
def newsletter_image(request, pk):
    newsletter = _draft_or_404(pk)
    form = NewsletterImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            image = services.add_newsletter_image(
                request.user, newsletter, form.cleaned_data["image"], form.cleaned_data["alt"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The image is added (%(size)s KB): copy its Markdown line into the text.")
                % {"size": max(image.size // 1024, 1)},
            )
            return redirect("newsletter:edit", newsletter.pk)
    context = {
        "newsletter": newsletter,
        "form": NewsletterForm(
            initial={
                "subject": newsletter.subject,
                "body": newsletter.body,
                "themes": list(newsletter.segment_themes.all()),
                "territories": list(newsletter.segment_territories.all()),
                "roles": newsletter.segment_roles,
            }
        ),
        "image_form": form,
        "images": newsletter.images.all(),
    }
    return render(request, "coordination/newsletter_form.html", context, status=200)


def _own_copy(request, newsletter):
    parts = personal_parts([request.user])
    return write_for(
        request.user,
        lambda user: letter_for(newsletter, user, parts.get(user.pk, []), preview=True),
    )


@manage
def newsletter_preview(request, pk):
    newsletter = _draft_or_404(pk)
    letter = _own_copy(request, newsletter)
    total, reachable = audience_counts(newsletter)
    context = {
        "newsletter": newsletter,
        "letter": letter,
        "total": total,
        "reachable": reachable,
    }
    return render(request, "coordination/newsletter_preview.html", context)


@xframe_options_sameorigin
@csp_update({"style-src": ["'unsafe-inline'"], "frame-ancestors": ["'self'"]})
@manage
def newsletter_preview_email(request, pk):
    """The coordinator's own copy, exactly as mail programs receive it (HTML part)."""
    newsletter = _draft_or_404(pk)
    return HttpResponse(_own_copy(request, newsletter).html)


@manage
def newsletter_send(request, pk):
    newsletter = _draft_or_404(pk)
    if not newsletter.is_draft:
        messages.info(request, _("This newsletter has already been sent."))
        return redirect("newsletter:report", newsletter.pk)
    total, reachable = audience_counts(newsletter)
    errors = []
    if request.method == "POST":
        try:
            mailing = services.send_newsletter(request.user, newsletter)
        except ValidationError as error:
            errors = error.messages
        else:
            if mailing is None:
                messages.info(request, _("This newsletter has already been sent."))
            else:
                messages.success(
                    request,
                    _("The newsletter is on its way to %(count)s people.") % {"count": reachable},
                )
            return redirect("newsletter:report", newsletter.pk)
    context = {
        "newsletter": newsletter,
        "total": total,
        "reachable": reachable,
        "skipped": total - reachable,
        "errors": errors,
    }
    return render(request, "coordination/newsletter_send.html", context)


@manage
def newsletter_report(request, pk):
    newsletter = get_object_or_404(Newsletter, pk=pk, status=Newsletter.Status.SENT)
    mailing = Mailing.objects.filter(key=newsletter.mailing_key).first()
    by_status = counts(mailing) if mailing else {}
    failures = (
        EmailDelivery.objects.filter(
            mailing=mailing, status__in=FAILURE_STATUSES + [EmailStatus.SKIPPED]
        ).order_by("status", "address")
        if mailing
        else EmailDelivery.objects.none()
    )
    page = Paginator(failures, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "newsletter": newsletter,
        "mailing": mailing,
        "by_status": [
            (label, by_status.get(value, 0))
            for value, label in EmailStatus.choices
            if by_status.get(value)
        ],
        "page": page,
    }
    return render(request, "coordination/newsletter_report.html", context)


@permission_required("coordination.view_sending", raise_exception=True)
def sending_report(request):
    """Every address that failed or bounced, most recent first, and the stopped ones."""
    if request.method == "POST":
        address = request.POST.get("address", "")
        if services.allow_address_again(request.user, address):
            messages.success(
                request, _("Emails will be sent to %(address)s again.") % {"address": address}
            )
        return redirect("newsletter:sending")
    failing = (
        EmailDelivery.objects.filter(status__in=FAILURE_STATUSES)
        .values("address")
        .annotate(
            failures=Count("id"),
            bounces=Count("id", filter=Q(status=EmailStatus.BOUNCED)),
            last=Max("created_at"),
        )
        .order_by("-last", "address")
    )
    page = Paginator(failing, PER_PAGE).get_page(request.GET.get("page"))
    last_errors = dict(
        EmailDelivery.objects.filter(
            status__in=FAILURE_STATUSES, address__in=[row["address"] for row in page]
        )
        .order_by("address", "created_at")
        .values_list("address", "error")
    )
    stopped = set(
        SuppressedAddress.objects.filter(
            address__in=[row["address"].lower() for row in page]
        ).values_list("address", flat=True)
    )
    rows = [
        {
            **row,
            "error": last_errors.get(row["address"], ""),
            "stopped": row["address"].lower() in stopped,
        }
        for row in page
    ]
    skipped = dict(
        EmailDelivery.objects.filter(status=EmailStatus.SKIPPED)
        .values_list("reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    context = {
        "page": page,
        "rows": rows,
        "stopped_count": SuppressedAddress.objects.count(),
        "skipped": skipped,
    }
    return render(request, "coordination/sending_report.html", context)


# --- The archive ---------------------------------------------------------------------------------


@permission_required("coordination.view_newsletter_archive", raise_exception=True)
def archive_list(request):
    sent = Newsletter.objects.filter(status=Newsletter.Status.SENT).order_by("-sent_at", "-id")
    page = Paginator(sent, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "coordination/newsletter_archive.html", {"page": page})


@permission_required("coordination.view_newsletter_archive", raise_exception=True)
def archive_detail(request, pk):
    newsletter = get_object_or_404(Newsletter, pk=pk, status=Newsletter.Status.SENT)
    return render(
        request,
        "coordination/newsletter_detail.html",
        {"newsletter": newsletter, "body_html": render_body(newsletter)},
    )


@login_not_required
def image(request, pk, extension):
    """A newsletter image: public once sent, since mail programs load it without logging in;
    a draft's images only for the coordinators."""
    picture = (
        NewsletterImage.objects.filter(pk=pk, extension=extension)
        .select_related("newsletter")
        .first()
    )
    if picture is None or not picture.image:
        raise Http404
    if picture.newsletter.is_draft and not request.user.has_perm("coordination.manage_newsletters"):
        raise Http404
    response = FileResponse(
        picture.image.open("rb"), content_type=f"image/{'png' if extension == 'png' else 'jpeg'}"
    )
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
