"""Every change to seasons, objectives and season reviews goes through these functions; so do
the health review, closing and reopening, which gather several apps around the communities'
own services."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cercles.communities import services as community_services
from cercles.communities.archive import ensure_writable
from cercles.communities.models import Community, Milestone
from cercles.core.audit import record_event
from cercles.library import services as library_services
from cercles.library.models import Production
from cercles.notifications.services import notify

from .models import Objective, ObjectiveStatus, Season

DEFAULT_SEASON_MONTHS = 12


def _require(actor, permission, obj):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def _locked(community):
    return Community.objects.select_for_update().get(pk=community.pk)


def _notify_after_commit(recipients, kind, **params):
    recipients = list(recipients)
    transaction.on_commit(lambda: notify(recipients, kind, **params))


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _short(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


# --- seasons ----------------------------------------------------------------------------------


def season_problems(community, starts_on, ends_on, *, exclude=None):
    """{field: message} for a season that ends before it starts or overlaps another one."""
    if starts_on is None or ends_on is None:
        return {}
    if ends_on <= starts_on:
        return {"ends_on": _("A season ends after it starts.")}
    overlapping = Season.objects.filter(
        community=community, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    other = overlapping.order_by("starts_on").first()
    if other is not None:
        return {
            "starts_on": _("These dates overlap “%(name)s” (%(start)s – %(end)s): seasons follow "
                           "one another.")
            % {"name": other.name, "start": _short(other.starts_on), "end": _short(other.ends_on)}
        }  # fmt: skip
    return {}


def _clean_objective(community, *, title, milestone=None, production=None):
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Name the objective.")
    if milestone is not None and milestone.community_id != community.pk:
        errors["milestone"] = _("This milestone belongs to another community.")
    if production is not None and production.community_id != community.pk:
        errors["production"] = _("This production belongs to another community.")
    if errors:
        raise ValidationError(errors)


# A season's objectives have a ceiling (issue 19: no page grows without bound).
MAX_OBJECTIVES = 30


def _too_many_objectives():
    return ValidationError(
        _("A season has at most %(max)d objectives: group the small ones into larger ones.")
        % {"max": MAX_OBJECTIVES}
    )


@transaction.atomic
def create_season(actor, community, *, name, starts_on, ends_on, objectives=()):
    """A new season, with objectives [{title, description, milestone, production}] if given."""
    _locked(community)  # two seasons created at once cannot overlap
    ensure_writable(community)
    _require(actor, "seasons.plan_seasons", community)
    errors = season_problems(community, starts_on, ends_on)
    if not (name or "").strip():
        errors["name"] = _("Name the season.")
    if errors:
        raise ValidationError(errors)
    if len(objectives) > MAX_OBJECTIVES:
        raise _too_many_objectives()
    number = (community.seasons.aggregate(n=Max("number"))["n"] or 0) + 1
    season = Season(
        community=community, number=number, name=name.strip(), starts_on=starts_on, ends_on=ends_on
    )
    season.full_clean()
    season.save()
    for position, fields in enumerate(objectives):
        _clean_objective(
            community, **{k: fields.get(k) for k in ("title", "milestone", "production")}
        )
        Objective.objects.create(season=season, position=position, **fields)
    record_event(actor, "season.created", community, season=season.pk)
    return season


@transaction.atomic
def update_season(actor, season, *, name, starts_on, ends_on):
    community = _locked(season.community)
    season.community = community
    ensure_writable(community)
    _require(actor, "seasons.change_season", season)
    errors = season_problems(community, starts_on, ends_on, exclude=season)
    if not (name or "").strip():
        errors["name"] = _("Name the season.")
    if errors:
        raise ValidationError(errors)
    season.name, season.starts_on, season.ends_on = name.strip(), starts_on, ends_on
    season.full_clean()
    season.save()
    record_event(actor, "season.changed", community, season=season.pk)
    return season


@transaction.atomic
def add_objective(actor, season, *, title, description="", milestone=None, production=None):
    ensure_writable(season)
    _require(actor, "seasons.change_objective", season)
    _clean_objective(season.community, title=title, milestone=milestone, production=production)
    if season.objectives.count() >= MAX_OBJECTIVES:
        raise _too_many_objectives()
    position = (season.objectives.aggregate(n=Max("position"))["n"] or 0) + 1
    objective = Objective.objects.create(
        season=season,
        title=title.strip(),
        description=description,
        milestone=milestone,
        production=production,
        position=position,
    )
    record_event(actor, "season.objective_added", season.community, objective=objective.pk)
    return objective


@transaction.atomic
def update_objective(actor, objective, *, title, description="", milestone=None, production=None):
    ensure_writable(objective)
    _require(actor, "seasons.change_objective", objective.season)
    _clean_objective(objective.community, title=title, milestone=milestone, production=production)
    objective.title, objective.description = title.strip(), description
    objective.milestone, objective.production = milestone, production
    objective.full_clean()
    objective.save()
    record_event(actor, "season.objective_changed", objective.community, objective=objective.pk)
    return objective


@transaction.atomic
def set_objective_status(actor, objective, status):
    ensure_writable(objective)
    _require(actor, "seasons.move_objective", objective.season)
    if status not in ObjectiveStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    objective.status = status
    objective.save(update_fields=["status", "updated_at"])
    record_event(actor, "season.objective_status", objective.community, status=status)
    return objective


def objectives_in(community, ids):
    """The objectives of `community` among `ids`; an id of another community is refused."""
    objectives = {
        o.pk: o for o in Objective.objects.filter(season__community=community, pk__in=ids)
    }
    if len(objectives) != len(set(ids)):
        raise ValidationError(_("This objective belongs to another community."))
    return objectives


# --- the season review and its celebration ----------------------------------------------------


@transaction.atomic
def save_season_review(
    actor, season, *, achievements="", learnt="", keep_doing="", statuses=None, publish=False
):
    """The lead's review of a season: where each objective ended ({objective id: status}), what
    we are proud of, what we learnt, what we keep doing. Publishing it shows the celebration to
    the members, tells them, and prepares its printable version."""
    ensure_writable(season)
    _require(actor, "seasons.review_season", season)
    statuses = statuses or {}
    objectives = objectives_in(season.community, list(statuses))
    errors = {}
    for pk, status in statuses.items():
        if objectives[pk].season_id != season.pk:
            raise ValidationError(_("This objective belongs to another season."))
        if status not in ObjectiveStatus.values:
            errors[f"objective_{pk}"] = _("Choose a status from the list.")
    if publish and not (achievements or "").strip():
        errors["achievements"] = _("Say what the community is proud of before publishing.")
    if errors:
        raise ValidationError(errors)
    for pk, status in statuses.items():
        if objectives[pk].status != status:
            objectives[pk].status = status
            objectives[pk].save(update_fields=["status", "updated_at"])
    season.review_achievements = achievements
    season.review_learnt = learnt
    season.review_keep_doing = keep_doing
    fields = ["review_achievements", "review_learnt", "review_keep_doing", "updated_at"]
    if publish:
        season.review_published_at = timezone.now()
        season.review_published_by = actor
        fields += ["review_published_at", "review_published_by"]
    season.save(update_fields=fields)
    record_event(actor, "season.reviewed", season.community, season=season.pk, published=publish)
    if publish:
        community = season.community
        _notify_after_commit(
            community_services.active_members_of(community),
            "seasons.celebration",
            actor=actor,
            community_id=community.pk,
            url=reverse("seasons:celebration", args=[community.slug, season.pk]),
            community=community.title,
            season=season.name,
        )
        from .tasks import make_celebration_pdfs

        transaction.on_commit(lambda: make_celebration_pdfs(season.pk))
    return season


def next_season_proposal(community, today=None):
    """What a new season starts from: the day after the last one (or today), its length (the
    community's rhythm), and objectives suggested by the last review (those not reached) and by
    the last expectations survey's needs still open."""
    from cercles.surveys.models import Need, NeedStatus

    today = today or timezone.localdate()
    last = community.seasons.order_by("-ends_on").first()
    starts_on = max(today, last.ends_on + datetime.timedelta(days=1)) if last else today
    months = community.season_months or DEFAULT_SEASON_MONTHS
    ends_on = add_months(starts_on, months) - datetime.timedelta(days=1)
    if community.end_date and community.end_date > starts_on and not community.season_months:
        ends_on = community.end_date
    number = (last.number + 1) if last else 1
    suggestions = []
    if last is not None:
        for objective in last.objectives.filter(
            status__in=[ObjectiveStatus.PLANNED, ObjectiveStatus.UNDER_WAY]
        ):
            suggestions.append(("carry", objective.title, _("Not reached last season")))
    needs = Need.objects.filter(
        community=community, status__in=[NeedStatus.NEW, NeedStatus.NEXT_STEPS]
    ).order_by("-survey__closes_on", "id")[:8]
    for need in needs:
        suggestions.append(("need", need.text[:200], _("A need from the expectations survey")))
    return {
        "last": last,
        "name": _("Season %(number)s") % {"number": number},
        "starts_on": starts_on,
        "ends_on": ends_on,
        "suggestions": suggestions,
    }


# --- health review, closing and reopening (pages that gather several apps) --------------------


def record_health_review(actor, community, *, ratings, decision, comment=""):
    """The checklist with what the platform knew beside each criterion, kept with the review."""
    from .health import facts_for

    facts = {key: fact.text for key, fact in facts_for(community).items()}
    return community_services.record_health_review(
        actor, community, ratings=ratings, decision=decision, comment=comment, facts=facts
    )


@transaction.atomic
def close_with_record(
    actor, community, *, dissolve=False, legacy_items=None, legacy_productions=None, **record
):
    """The closing page: the legacy chosen (when the person may choose it), then the community
    closed or dissolved with its final record, in one transaction."""
    if legacy_items is not None and actor.has_perm(
        "library.choose_legacy", Production(community=community)
    ):
        library_services.choose_legacy(
            actor, community, items=legacy_items, productions=legacy_productions or ()
        )
    return community_services.close_community(
        actor,
        community,
        dissolve=dissolve,
        url=reverse("library:legacy", args=[community.slug]),
        **record,
    )


@transaction.atomic
def complete_record(actor, community, *, legacy_items=None, legacy_productions=None, **record):
    """Complete the final record and the legacy during the grace period before archiving."""
    if legacy_items is not None and actor.has_perm(
        "library.choose_legacy", Production(community=community)
    ):
        library_services.choose_legacy(
            actor, community, items=legacy_items, productions=legacy_productions or ()
        )
    return community_services.save_final_record(actor, community, **record)


@transaction.atomic
def reopen_as_new_season(actor, community, *, name, starts_on, ends_on, reason=""):
    """An archived community starts again: a new season is planned and the framing goes back to
    the coordinators' review (through "being reframed", where its lead revises it)."""
    community = _locked(community)
    _require(actor, "communities.reopen_community", community)
    errors = season_problems(community, starts_on, ends_on)
    if not (name or "").strip():
        errors["name"] = _("Name the season.")
    if errors:
        raise ValidationError(errors)
    community_services.transition(actor, community, "reopen", reason=reason)
    number = (community.seasons.aggregate(n=Max("number"))["n"] or 0) + 1
    season = Season(
        community=community, number=number, name=name.strip(), starts_on=starts_on, ends_on=ends_on
    )
    season.full_clean()
    season.save()
    if community.end_date is None or community.end_date < ends_on:
        Community.objects.filter(pk=community.pk).update(end_date=ends_on)
    record_event(actor, "season.reopened", community, season=season.pk)
    return season


def milestones_for_choice(community):
    return Milestone.objects.filter(community=community).order_by("due_date")


def productions_for_choice(community):
    return Production.objects.filter(community=community).order_by("title")


def seasons_ending(today, within_days):
    return Season.objects.filter(
        Q(ends_on__gte=today) & Q(ends_on__lte=today + datetime.timedelta(days=within_days))
    )
