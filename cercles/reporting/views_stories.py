"""A community's value-creation stories and its stage; the coordinators' counts of stories."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cercles.communities.lifecycle import PUBLISHED_STATES, State
from cercles.communities.lookups import community_for, require
from cercles.communities.models import Community

from . import charts, services
from .forms import StageOverrideForm, StoryForm
from .models import VALUE_SHORT_LABELS, Stage, ValueKind, ValueStory
from .stage import stage_for, stages_for

STORIES_PER_PAGE = 10
COUNTS_PER_PAGE = 25


def stories(request, slug):
    community = community_for(request, slug, content=True)
    can_tell = request.user.has_perm("reporting.tell_story", community)
    form = StoryForm(request.POST or None) if can_tell else None
    if request.method == "POST":
        require(request, "reporting.tell_story", community)
        if form.is_valid():
            try:
                story = services.tell_story(request.user, community, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Thank you: your story is told."))
                return redirect(story.get_absolute_url())
    queryset = ValueStory.objects.filter(community=community).select_related("author")
    kind = request.GET.get("value")
    if kind in ValueKind.values:
        queryset = queryset.filter(value_kind=kind)
    if request.GET.get("featured"):
        queryset = queryset.featured()
    page = Paginator(queryset, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    for story in page.object_list:
        story.community = community
    context = {
        "community": community,
        "page": page,
        "stories": page.object_list,
        "form": form,
        "kinds": [(k, VALUE_SHORT_LABELS[k]) for k in ValueKind.values],
        "current_kind": kind if kind in ValueKind.values else "",
        "featured_only": bool(request.GET.get("featured")),
        "can_feature": request.user.has_perm("reporting.feature_story", community),
        "is_coordinator": request.user.has_perm("reporting.view_story_counts"),
    }
    return render(request, "reporting/story_list.html", context)


def _story(request, slug, pk):
    community = community_for(request, slug, content=True)
    story = get_object_or_404(ValueStory, community=community, pk=pk)
    story.community = community
    return story


@require_POST
def feature(request, slug, pk):
    story = _story(request, slug, pk)
    require(request, "reporting.feature_story", story.community)
    featured = request.POST.get("featured") != "0"
    services.feature_story(request.user, story, featured=featured)
    if featured:
        messages.success(request, _("The story is featured: it goes into the quarterly report."))
    else:
        messages.success(request, _("The story is no longer featured."))
    return redirect(story.get_absolute_url())


@require_POST
def delete(request, slug, pk):
    story = _story(request, slug, pk)
    require(request, "reporting.delete_story", story)
    services.delete_story(request.user, story)
    messages.success(request, _("The story is deleted."))
    return redirect("reporting:stories", story.community.slug)


def stage_override(request, slug):
    community = community_for(request, slug)
    require(request, "reporting.override_stage", community)
    reading = stage_for(community)
    reason = reading.override.reason if reading.override else ""
    initial = {"stage": reading.stage, "reason": reason}
    form = StageOverrideForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("clear"):
            services.clear_stage_override(request.user, community)
            messages.success(request, _("The stage is read from the facts again."))
            return redirect(community.get_absolute_url() + "#stage")
        if form.is_valid():
            try:
                services.override_stage(request.user, community, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The stage is set, with its reason."))
                return redirect(community.get_absolute_url() + "#stage")
    context = {"community": community, "form": form, "reading": reading}
    return render(request, "reporting/stage_form.html", context)


def story_counts(request):
    if not request.user.has_perm("reporting.view_story_counts"):
        raise PermissionDenied
    communities = Community.objects.filter(value_stories__isnull=False).distinct().order_by("title")
    page = Paginator(communities, COUNTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    counts = ValueStory.objects.counts_by_community([c.pk for c in rows])
    totals = ValueStory.objects.totals_by_kind()
    table = [(c, [counts[c.pk][k] for k in ValueKind.values]) for c in rows]
    context = {
        "page": page,
        "table": table,
        "kinds": [(k, VALUE_SHORT_LABELS[k]) for k in ValueKind.values],
        "totals": [(VALUE_SHORT_LABELS[k], totals.get(k, 0)) for k in ValueKind.values],
        "chart": charts.stacked_bars(
            [(c.title, counts[c.pk]) for c in rows],
            [(k, VALUE_SHORT_LABELS[k]) for k in ValueKind.values],
            labelled_by="story-counts-title",
        ),
    }
    return render(request, "reporting/story_counts.html", context)


def stages(request):
    """Every published community with its stage and the reason, filtered by stage."""
    if not request.user.has_perm("reporting.view_statistics"):
        raise PermissionDenied
    communities = list(
        Community.objects.filter(state__in=PUBLISHED_STATES)
        .exclude(state=State.ARCHIVED)
        .only("pk", "slug", "title", "state", "member_count", "end_date")
        .order_by("title")
    )
    readings = stages_for(communities)
    wanted = request.GET.get("stage")
    counts = dict.fromkeys(Stage.values, 0)
    for reading in readings.values():
        counts[reading.stage] += 1
    rows = [
        (c, readings[c.pk])
        for c in communities
        if wanted not in Stage.values or readings[c.pk].stage == wanted
    ]
    page = Paginator(rows, COUNTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": page.object_list,
        "stages": [(value, label, counts[value]) for value, label in Stage.choices],
        "current_stage": wanted if wanted in Stage.values else "",
    }
    return render(request, "reporting/stage_list.html", context)


def _statistics(request):
    if not request.user.has_perm("reporting.view_statistics"):
        raise PermissionDenied
    from .statistics import network_statistics

    return network_statistics()


def statistics(request):
    """Communities per state and stage over time, members, meetings, productions: SVG charts
    with their tables, and the same figures as CSV."""
    stats = _statistics(request)
    states = [
        (s, label)
        for s, label in stats["state_series"]
        if any(c.get(s) for _p, c in stats["states"])
    ]
    context = {
        "stats": stats,
        "state_series": states,
        "state_rows": [(p, [c.get(s, 0) for s, _l in states]) for p, c in stats["states"]],
        "stage_rows": [
            (p, [c.get(s, 0) for s, _l in stats["stage_series"]]) for p, c in stats["stages"]
        ],
        "charts": {
            "states": charts.columns(stats["states"], states, labelled_by="stats-states"),
            "stages": charts.columns(
                stats["stages"], stats["stage_series"], labelled_by="stats-stages"
            ),
            "members": charts.line(stats["members"], labelled_by="stats-members"),
            "meetings": charts.columns(
                [(p, {"n": v}) for p, v in stats["meetings"]],
                [("n", "")],
                labelled_by="stats-meetings",
            ),
            "productions": charts.columns(
                [(p, {"n": v}) for p, v in stats["productions"]],
                [("n", "")],
                labelled_by="stats-productions",
            ),
        },
    }
    return render(request, "reporting/statistics.html", context)


def statistics_csv(request):
    import csv

    from django.http import HttpResponse

    from .statistics import csv_rows

    stats = _statistics(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cercles-statistics.csv"'
    writer = csv.writer(response)
    for row in csv_rows(stats):
        writer.writerow(row)
    return response
