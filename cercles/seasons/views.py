"""Pages of seasons, season reviews and celebrations, health reviews, closing and reopening.
Scoped look-ups first (404 for what one may not see), then the permission (403), the form and
the service."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cercles.communities import services as community_services
from cercles.communities.lookups import community_for, require
from cercles.communities.models import HealthReview
from cercles.communities.rules import final_record_of
from cercles.core.decorators import post_only
from cercles.core.uploads import protected_download

from . import services
from .celebration import celebration_of
from .forms import (
    FinalRecordForm,
    GraceForm,
    HealthReviewForm,
    NewSeasonForm,
    ObjectiveForm,
    ObjectiveStatusForm,
    ReopenForm,
    SeasonForm,
    SeasonLengthForm,
    SeasonReviewForm,
)
from .health import remembered_facts
from .models import CelebrationPdf, Objective, Season

HEALTH_REVIEWS_PER_PAGE = 20


def _seasons_of(request, slug):
    community = community_for(request, slug, content=True)
    require(request, "seasons.view_seasons", community)
    return community


def _season(request, slug, season_id):
    community = _seasons_of(request, slug)
    season = get_object_or_404(Season.objects.filter(community=community), pk=season_id)
    season.community = community
    return season


def _objective(request, slug, objective_id):
    community = _seasons_of(request, slug)
    objective = get_object_or_404(
        Objective.objects.select_related("season").filter(season__community=community),
        pk=objective_id,
    )
    objective.season.community = community
    return objective


def _apply(form, error):
    """A service's ValidationError shown next to the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# --- seasons ----------------------------------------------------------------------------------


def season_list(request, slug):
    community = _seasons_of(request, slug)
    user = request.user
    today = timezone.localdate()
    seasons = list(
        community.seasons.prefetch_related(
            Prefetch(
                "objectives", queryset=Objective.objects.select_related("milestone", "production")
            )
        ).order_by("-starts_on")
    )
    can_plan = user.has_perm("seasons.plan_seasons", community)
    for season in seasons:
        season.community = community
        season.can_change = can_plan and not season.is_published
        season.can_review = user.has_perm("seasons.review_season", season)
    return render(
        request,
        "seasons/season_list.html",
        {
            "community": community,
            "seasons": seasons,
            "current": next((s for s in seasons if s.starts_on <= today <= s.ends_on), None),
            "today": today,
            "can_plan": can_plan,
            "can_move": user.has_perm("seasons.move_objective", Season(community=community)),
            "length_form": SeasonLengthForm(initial={"season_months": community.season_months})
            if user.has_perm("communities.edit_framing", community)
            else None,
            "status_form": ObjectiveStatusForm(),
        },
    )


@post_only
def season_length(request, slug):
    community = _seasons_of(request, slug)
    require(request, "communities.edit_framing", community)
    form = SeasonLengthForm(request.POST)
    if form.is_valid():
        try:
            community_services.set_season_length(
                request.user, community, form.cleaned_data["season_months"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The rhythm of the seasons has been saved."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("seasons:list", community.slug)


def season_new(request, slug):
    community = _seasons_of(request, slug)
    require(request, "seasons.plan_seasons", community)
    proposal = services.next_season_proposal(community)
    form = NewSeasonForm(
        request.POST or None,
        suggestions=proposal["suggestions"],
        initial={k: proposal[k] for k in ("name", "starts_on", "ends_on")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            season = services.create_season(
                request.user,
                community,
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                objectives=[{"title": title} for title in form.objective_titles()],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request, _("The season “%(name)s” is planned.") % {"name": season.name}
            )
            return redirect(season)
    return render(
        request,
        "seasons/season_form.html",
        {"community": community, "form": form, "last": proposal["last"], "creating": True},
    )


def season_edit(request, slug, season_id):
    season = _season(request, slug, season_id)
    require(request, "seasons.change_season", season)
    form = SeasonForm(request.POST or None, instance=season)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_season(request.user, season, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The season has been saved."))
            return redirect(season)
    return render(
        request,
        "seasons/season_form.html",
        {"community": season.community, "form": form, "season": season},
    )


def objective_add(request, slug, season_id):
    season = _season(request, slug, season_id)
    require(request, "seasons.change_objective", season)
    form = ObjectiveForm(request.POST or None, community=season.community)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_objective(request.user, season, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The objective has been added."))
            return redirect(season)
    return render(
        request,
        "seasons/objective_form.html",
        {"community": season.community, "form": form, "season": season},
    )


def objective_edit(request, slug, objective_id):
    objective = _objective(request, slug, objective_id)
    season = objective.season
    require(request, "seasons.change_objective", season)
    initial = {
        "title": objective.title,
        "description": objective.description,
        "milestone": objective.milestone_id,
        "production": objective.production_id,
    }
    form = ObjectiveForm(request.POST or None, initial=initial, community=season.community)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_objective(request.user, objective, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The objective has been saved."))
            return redirect(season)
    return render(
        request,
        "seasons/objective_form.html",
        {"community": season.community, "form": form, "season": season, "objective": objective},
    )


@post_only
def objective_status(request, slug, objective_id):
    objective = _objective(request, slug, objective_id)
    require(request, "seasons.move_objective", objective.season)
    form = ObjectiveStatusForm(request.POST)
    if form.is_valid():
        services.set_objective_status(request.user, objective, form.cleaned_data["status"])
        status = objective.get_status_display()
        messages.success(
            request,
            _("“%(title)s” is now “%(status)s”.") % {"title": objective.title, "status": status},
        )
    else:
        messages.error(request, _("Choose a status from the list."))
    return redirect(objective.season)


# --- season review and celebration ------------------------------------------------------------


def season_review(request, slug, season_id):
    season = _season(request, slug, season_id)
    require(request, "seasons.review_season", season)
    objectives = list(season.objectives.all())
    initial = {
        "achievements": season.review_achievements,
        "learnt": season.review_learnt,
        "keep_doing": season.review_keep_doing,
    }
    form = SeasonReviewForm(request.POST or None, initial=initial, objectives=objectives)
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        try:
            services.save_season_review(
                request.user,
                season,
                achievements=form.cleaned_data["achievements"],
                learnt=form.cleaned_data["learnt"],
                keep_doing=form.cleaned_data["keep_doing"],
                statuses=form.statuses(),
                publish=publish,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            if publish:
                messages.success(
                    request,
                    _("The review is published: the members are invited to the celebration."),
                )
                return redirect("seasons:celebration", season.community.slug, season.pk)
            messages.success(request, _("The review has been saved; publish it when it is ready."))
            return redirect("seasons:review", season.community.slug, season.pk)
    return render(
        request,
        "seasons/season_review.html",
        {"community": season.community, "season": season, "form": form},
    )


def celebration(request, slug, season_id):
    season = _season(request, slug, season_id)
    if not request.user.has_perm("seasons.view_celebration", season):
        raise Http404  # not published yet: there is nothing to see
    return render(request, "seasons/celebration.html", celebration_of(season))


def celebration_pdf(request, slug, season_id):
    season = _season(request, slug, season_id)
    if not request.user.has_perm("seasons.view_celebration", season):
        raise Http404
    language = translation.get_language() or settings.LANGUAGE_CODE
    pdf = CelebrationPdf.objects.filter(season=season, language=language[:2]).first()
    if pdf is not None and pdf.file:
        return protected_download(pdf.file, f"{season.community.slug}-{season.number}.pdf")
    from .tasks import make_celebration_pdfs

    make_celebration_pdfs(season.pk)
    pdf = CelebrationPdf.objects.filter(season=season, language=language[:2]).first()
    if pdf is not None and pdf.file:  # made at once (jobs run in-process)
        return protected_download(pdf.file, f"{season.community.slug}-{season.number}.pdf")
    return render(
        request,
        "seasons/celebration_pending.html",
        {"community": season.community, "season": season},
        status=202,
    )


# --- health reviews ---------------------------------------------------------------------------


def _health_reviews_of(request, slug):
    community = community_for(request, slug, content=True)
    require(request, "communities.view_health_reviews", community)
    return community


def health_list(request, slug):
    community = _health_reviews_of(request, slug)
    reviews = community.health_reviews.select_related("author")
    page = Paginator(reviews, HEALTH_REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "seasons/health_list.html",
        {
            "community": community,
            "page": page,
            "can_fill": request.user.has_perm("communities.fill_health_review", community),
        },
    )


def health_new(request, slug):
    community = _health_reviews_of(request, slug)
    require(request, "communities.fill_health_review", community)
    facts = remembered_facts(community)
    form = HealthReviewForm(request.POST or None, facts=facts)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.record_health_review(
                request.user,
                community,
                ratings=form.ratings(),
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            if review.decision == "evolve":
                messages.success(
                    request,
                    _("The framing is reopened: revise it, then submit it to the coordinators."),
                )
                return redirect("communities:framing", community.slug)
            if review.decision == "dissolve":
                messages.success(
                    request,
                    _(
                        "The review is recorded. Dissolving goes "
                        "through the closing page, with its record."
                    ),
                )
                return redirect("seasons:closing", community.slug)
            messages.success(request, _("The health review is recorded: the community continues."))
            return redirect("seasons:health_review", community.slug, review.pk)
    return render(request, "seasons/health_form.html", {"community": community, "form": form})


def health_review(request, slug, review_id):
    community = _health_reviews_of(request, slug)
    review = get_object_or_404(
        HealthReview.objects.select_related("author").filter(community=community), pk=review_id
    )
    from cercles.communities.health import CRITERIA

    rows = [(c, review.ratings.get(c.key, {}), review.facts.get(c.key, "")) for c in CRITERIA]
    return render(
        request,
        "seasons/health_detail.html",
        {"community": community, "review": review, "rows": rows},
    )


def network_health(request):
    """Coordinators: the latest health review of every community, the most worrying first."""
    require(request, "communities.view_review_queue", None)
    reviews = HealthReview.objects.select_related("community", "author").order_by(
        "-created_at", "-id"
    )
    decision = request.GET.get("decision", "")
    if decision in ("continue", "evolve", "dissolve"):
        reviews = reviews.filter(decision=decision)
    page = Paginator(reviews, HEALTH_REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "seasons/network_health.html", {"page": page, "decision": decision})


# --- closing, archiving, reopening ------------------------------------------------------------


def closing(request, slug):
    """The closing page: the final record and the legacy; closes or dissolves a running
    community, or completes the record of one that has ended, until it is archived."""
    community = community_for(request, slug)
    user = request.user
    can_close = user.has_perm("communities.close_community", community)
    can_dissolve = user.has_perm("communities.dissolve_community", community)
    can_complete = user.has_perm("communities.write_final_record", community)
    if not (can_close or can_dissolve or can_complete):
        require(request, "communities.write_final_record", community)
    ended = community.state in ("closed", "dissolved")
    record = final_record_of(community)
    choose_legacy = user.has_perm(
        "library.choose_legacy", community.productions.model(community=community)
    )
    items = list(community.library_items.order_by("kind", "title")) if choose_legacy else []
    productions = list(community.productions.order_by("title")) if choose_legacy else []
    form = FinalRecordForm(
        request.POST or None,
        instance=record,
        community=community,
        items=items,
        productions=productions,
        choose_legacy=choose_legacy,
    )
    if request.method == "POST" and form.is_valid():
        outcome = request.POST.get("outcome", "")
        try:
            if ended:
                services.complete_record(user, community, **form.record_fields())
                messages.success(request, _("The final record has been saved."))
            elif outcome in ("close", "dissolve"):
                services.close_with_record(
                    user, community, dissolve=outcome == "dissolve", **form.record_fields()
                )
                messages.success(
                    request,
                    _("The community is closed. Thank you for all you did together!")
                    if outcome == "close"
                    else _("The community is dissolved; its record is kept."),
                )
            else:
                raise ValidationError(_("Choose to close or to dissolve the community."))
        except ValidationError as error:
            _apply(form, error)
        else:
            return redirect("library:legacy", community.slug)
    latest = community.health_reviews.order_by("-created_at", "-id").first()
    return render(
        request,
        "seasons/closing.html",
        {
            "community": community,
            "form": form,
            "ended": ended,
            "can_close": can_close and not ended,
            "can_dissolve": can_dissolve and not ended,
            "latest_review": latest,
            "grace_form": GraceForm(initial={"archive_grace_days": community.archive_grace_days})
            if user.has_perm("communities.set_archive_grace", community)
            else None,
            "can_archive": user.has_perm("communities.archive_community", community),
        },
    )


@post_only
def archive_grace(request, slug):
    community = community_for(request, slug)
    require(request, "communities.set_archive_grace", community)
    form = GraceForm(request.POST)
    if form.is_valid():
        community_services.set_archive_grace(
            request.user, community, form.cleaned_data["archive_grace_days"]
        )
        messages.success(request, _("The grace period before archiving has been saved."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("seasons:closing", community.slug)


def reopen(request, slug):
    community = community_for(request, slug)
    require(request, "communities.reopen_community", community)
    proposal = services.next_season_proposal(community)
    form = ReopenForm(
        request.POST or None, initial={k: proposal[k] for k in ("name", "starts_on", "ends_on")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_as_new_season(request.user, community, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request,
                _(
                    "The community starts a new season: revise "
                    "its framing, then submit it to the coordinators."
                ),
            )
            return redirect(reverse("communities:framing", args=[community.slug]))
    return render(request, "seasons/reopen.html", {"community": community, "form": form})
