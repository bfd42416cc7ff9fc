"""The coordinators' follow-up: the dashboard of every community, its CSV, the thresholds of the
flags, and each community's follow-up page with its notes. Every page answers 404 to anyone who
is not a coordinator (see also CoordinationOnlyMiddleware)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.communities.models import Community
from cercles.core.decorators import post_only

from . import dashboard, services
from .figures import FOLLOWED_STATES, figures_of, refresh_figures
from .follow_up import csv_lines, dashboard_page, remembered_summary, rows_for
from .forms import ContactLeadForm, DashboardFilterForm, FollowUpNoteForm, ThresholdsForm
from .models import FlagEvent, FollowUpNote, Thresholds

ROWS_PER_PAGE = 50
NOTES_PER_PAGE = 20


def coordinators_only(permission):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _filters(request):
    form = DashboardFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in form.errors and value not in (None, "")
        }
    return form, filters


def _filtered_rows(request):
    form, filters = _filters(request)
    return form, rows_for(**filters)


@coordinators_only("coordination.view_dashboard")
def dashboard_view(request):
    form, filters = _filters(request)
    sort = request.GET.get("sort", "")
    shown = dashboard_page(request.GET.get("page"), ROWS_PER_PAGE, **filters)
    page = shown.page
    query = request.GET.copy()
    query.pop("page", None)
    headers = []
    for column in dashboard.columns():
        next_sort = "-" + column.key if sort == column.key else column.key
        params = query.copy()
        params["sort"] = next_sort
        headers.append(
            {
                "column": column,
                "url": "?" + params.urlencode(),
                "current": sort.lstrip("-") == column.key,
                "descending": sort == "-" + column.key,
            }
        )
    columns = dashboard.columns()
    for row in page.object_list:
        row.cells = [(column, column.display(row)) for column in columns]
    context = {
        "form": form,
        "page": page,
        "rows": page.object_list,
        "headers": headers,
        "total": shown.total,
        "flagged": shown.flagged,
        "summary": remembered_summary(),
        "query": query.urlencode(),
        "computed_at": shown.computed_at,
    }
    return render(request, "coordination/dashboard.html", context)


@coordinators_only("coordination.view_dashboard")
def dashboard_csv(request):
    _form, rows = _filtered_rows(request)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="communities-{stamp}.csv"'
    return response


@post_only
@coordinators_only("coordination.view_dashboard")
def dashboard_refresh(request):
    refresh_figures()
    messages.success(request, _("The figures are up to date."))
    return redirect(reverse("follow_up:dashboard"))


@coordinators_only("coordination.edit_thresholds")
def thresholds_edit(request):
    thresholds = Thresholds.current()
    form = ThresholdsForm(request.POST or None, instance=thresholds)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_thresholds(request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The thresholds are saved and the flags recomputed."))
            return redirect(reverse("follow_up:dashboard"))
    return render(request, "coordination/thresholds_form.html", {"form": form})


def _followed(slug):
    return get_object_or_404(
        Community.objects.filter(state__in=FOLLOWED_STATES, is_leads_circle=False).select_related(
            "lead", "figures", "survey_follow_up"
        ),
        slug=slug,
    )


@coordinators_only("coordination.view_follow_up")
def follow_up_view(request, slug, note_form=None, contact_form=None):
    community = _followed(slug)
    row = dashboard.Row(community, figures_of(community))
    notes = FollowUpNote.objects.filter(community=community).select_related("author", "recipient")
    page = Paginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("page"))
    history = []
    for event in FlagEvent.objects.filter(community=community)[:50]:
        flag = dashboard.FLAGS.get(event.code)
        history.append(
            {
                "event": event,
                "label": flag.label if flag else event.code,
                "reason": flag.reason_for(event.params) if flag else "",
            }
        )
    from cercles.mentoring.models import SupportNeed

    needs = list(
        SupportNeed.objects.filter(community=community).prefetch_related("mentorships__mentor")[:20]
    )
    context = {
        "community": community,
        "needs": needs,
        "row": row,
        "cells": [(c, c.display(row)) for c in dashboard.columns() if c.key != "flags"],
        "figures": row.figures,
        "history": history,
        "page": page,
        "notes": page.object_list,
        "note_form": note_form or FollowUpNoteForm(),
        "contact_form": contact_form or ContactLeadForm(),
    }
    status = 400 if (note_form or contact_form) else 200
    return render(request, "coordination/follow_up.html", context, status=status)


@post_only
@coordinators_only("coordination.write_follow_up_note")
def follow_up_note(request, slug):
    community = _followed(slug)
    form = FollowUpNoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_follow_up_note(request.user, community, form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your note is kept in the follow-up."))
            return redirect(reverse("follow_up:community", args=[community.slug]) + "#notes")
    return follow_up_view(request, slug, note_form=form)


@post_only
@coordinators_only("coordination.contact_lead")
def contact_lead(request, slug):
    community = _followed(slug)
    form = ContactLeadForm(request.POST)
    if form.is_valid():
        try:
            services.contact_lead(request.user, community, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Your message is sent to %(name)s and kept in the follow-up.")
                % {"name": community.lead.name},
            )
            return redirect(reverse("follow_up:community", args=[community.slug]) + "#notes")
    return follow_up_view(request, slug, contact_form=form)
