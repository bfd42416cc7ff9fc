"""A community's data: importing a list of members, exporting everything as a ZIP."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cercles.core.archives import archive_response

from .. import services
from ..exports import export_filename, parts_for
from ..forms_membership import MemberImportForm
from ..imports import MAX_ROWS, OUTCOMES, PROBLEMS, summary
from ..lookups import community_for, require
from ..models import ImportStatus, Involvement

IMPORT_LINES_PER_PAGE = 200


def import_members(request, slug):
    community = community_for(request, slug, content=True)
    require(request, "communities.import_members", community)
    form = MemberImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_import = services.preview_member_import(
                request.user,
                community,
                form.cleaned_data["file"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("communities:import_detail", community.slug, member_import.pk)
    imports = community.member_imports.select_related("created_by")[:5]
    return render(
        request,
        "communities/member_import_form.html",
        {"community": community, "form": form, "imports": imports, "max_rows": MAX_ROWS},
        status=400 if form.errors else 200,
    )


def import_detail(request, slug, import_id):
    community = community_for(request, slug, content=True)
    require(request, "communities.import_members", community)
    member_import = get_object_or_404(community.member_imports, pk=import_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                services.cancel_member_import(request.user, member_import)
                messages.info(request, _("The import is cancelled: nobody was invited."))
                return redirect("communities:import_members", community.slug)
            services.confirm_member_import(request.user, member_import)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The invitations are being sent; this page shows what happened to each line."),
            )
        return redirect("communities:import_detail", community.slug, member_import.pk)
    lines = member_import.rows
    involvements = dict(Involvement.choices)
    for line in lines:
        line["outcome_label"] = OUTCOMES.get(line["outcome"], line["outcome"])
        line["problem_label"] = PROBLEMS.get(line.get("problem", ""), "")
        line["involvement_label"] = involvements.get(line.get("involvement"), "")
    page = Paginator(lines, IMPORT_LINES_PER_PAGE).get_page(request.GET.get("page"))
    counts = summary(lines)
    return render(
        request,
        "communities/member_import_detail.html",
        {
            "community": community,
            "member_import": member_import,
            "page": page,
            "counts": [(OUTCOMES[key], key, n) for key, n in counts.items() if n],
            "to_invite": counts["invite"],
            "is_preview": member_import.status == ImportStatus.PREVIEW,
        },
    )


def export(request, slug):
    community = community_for(request, slug)
    require(request, "communities.export_community", community)
    if request.method == "POST":
        try:
            services.request_export(request.user, community)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The export is being prepared: you will be notified when it is ready."),
            )
        return redirect("communities:export", community.slug)
    exports = community.exports.filter(requested_by=request.user)[:5]
    return render(
        request,
        "communities/community_export.html",
        {
            "community": community,
            "exports": exports,
            "parts": parts_for(request.user, community),
        },
    )


def export_download(request, slug, export_id):
    community = community_for(request, slug)
    require(request, "communities.export_community", community)
    archive = get_object_or_404(community.exports.filter(requested_by=request.user), pk=export_id)
    if not archive.is_ready:
        return render(
            request,
            "accounts/archive_gone.html",
            {"export": archive, "back_url": reverse("communities:export", args=[slug])},
            status=410,
        )
    return archive_response(archive, filename=export_filename(community))
