"""The coordinators' review: the queue of submitted framings and the review of one of them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Subquery
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from .. import services
from ..diff import framing_diff
from ..forms_review import CHECKLIST, ReviewForm, checklist_facts
from ..framing import SNAPSHOT_FIELDS, framing_recommendations, readable_snapshot
from ..lifecycle import State
from ..lookups import community_for, require
from ..models import (
    LEADING_ROLES,
    Community,
    FramingVersion,
    Membership,
    MembershipStatus,
    Review,
    Role,
)
from ..rules import is_leading

QUEUE_PER_PAGE = 25
WAITING_FOR_LEAD_SHOWN = 10


def _latest_version_number():
    return Subquery(
        FramingVersion.objects.filter(community=OuterRef("pk"))
        .order_by("-number")
        .values("number")[:1]
    )


def _leading(user=None):
    memberships = Membership.objects.filter(
        community=OuterRef("pk"), status=MembershipStatus.ACTIVE
    )
    if user is None:
        return Exists(memberships.filter(role=Role.CO_LEAD))
    return Exists(memberships.filter(user=user, role__in=LEADING_ROLES))


@permission_required("communities.view_review_queue", raise_exception=True)
def queue(request):
    in_review = (
        Community.objects.filter(state=State.IN_REVIEW)
        .select_related("lead")
        .annotate(
            has_co_lead=_leading(),
            version_number=_latest_version_number(),
            led_by_me=_leading(request.user),
        )
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )
    page = Paginator(in_review, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    for community in page:
        if community.submitted_at:
            community.waiting = timesince(community.submitted_at, depth=1)

    waiting_for_lead = (
        Community.objects.filter(state=State.CHANGES_REQUESTED)
        .select_related("lead")
        .annotate(
            requested_at=Subquery(
                Review.objects.filter(version__community=OuterRef("pk"))
                .order_by("-decided_at")
                .values("decided_at")[:1]
            ),
            version_number=_latest_version_number(),
        )
        .order_by(F("requested_at").asc(nulls_first=True), "pk")
    )
    return render(
        request,
        "communities/review_queue.html",
        {
            "page": page,
            "waiting_for_lead": waiting_for_lead[:WAITING_FOR_LEAD_SHOWN],
            "waiting_for_lead_count": waiting_for_lead.count(),
        },
    )


def review(request, slug):
    community = community_for(request, slug)
    require(request, "communities.view_review_queue", community)
    if is_leading.test(request.user, community):
        return render(
            request, "communities/review_forbidden.html", {"community": community}, status=403
        )

    versions = list(
        community.framing_versions.select_related("submitted_by", "review__reviewer").order_by(
            "number"
        )
    )
    latest = versions[-1] if versions else None
    reviewable = (
        latest is not None
        and not _is_decided(latest)
        and request.user.has_perm("communities.review_community", community)
    )

    form = None
    facts = checklist_facts(community) if reviewable else {}
    if request.method == "POST":
        decided = _decided_version_posted(community, request.POST.get("version"))
        if decided is not None:
            messages.warning(request, _already_decided_message(decided))
            return redirect("communities:review", community.slug)
        if not reviewable:
            raise PermissionDenied
        form = ReviewForm(request.POST, versions=community.framing_versions.all(), facts=facts)
        if form.is_valid():
            try:
                services.review_framing(
                    request.user,
                    community,
                    form.cleaned_data["version"],
                    **form.service_arguments(),
                )
            except PermissionDenied:
                # Another coordinator decided in the meantime: the community left the review.
                decided = _decided_version_posted(community, request.POST.get("version"))
                if decided is None:
                    raise
                messages.warning(request, _already_decided_message(decided))
                return redirect("communities:review", community.slug)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _decision_message(community))
                return redirect("communities:review_queue")
    elif reviewable:
        form = ReviewForm(
            initial={"version": latest.pk},
            versions=community.framing_versions.all(),
            facts=facts,
        )

    shown = _shown_version(versions, request.GET.get("version"))
    comparison = _comparison(versions, shown)
    # Reviewing the latest version: each comment box stands beside the field it is about.
    comments_beside = form is not None and shown is latest
    framing_rows = (
        [
            (label, value, form.field_comment(key) if comments_beside else None)
            for key, (label, value) in zip(SNAPSHOT_FIELDS, comparison["snapshot"], strict=True)
        ]
        if comparison["snapshot"]
        else []
    )
    return render(
        request,
        "communities/review_form.html",
        {
            "community": community,
            "versions": [_version_row(version) for version in reversed(versions)],
            "latest": latest,
            **comparison,
            "framing_rows": framing_rows,
            "comments_beside": comments_beside,
            "form": form,
            "recommendations": framing_recommendations(community) if form else [],
        },
    )


def _is_decided(version):
    return hasattr(version, "review")


def _comparison(versions, shown):
    """The version shown, its fields, and its changes since the submission before it."""
    if shown is None:
        return {"shown": None, "previous": None, "snapshot": [], "changes": [], "unchanged": []}
    index = versions.index(shown)
    previous = versions[index - 1] if index > 0 else None
    # The comments that asked for these changes, shown beside them.
    asked = previous.review.field_comments if previous and _is_decided(previous) else {}
    # Dates and the platform's own labels in the reader's language; typed text as written.
    shown_snapshot = readable_snapshot(shown.snapshot)
    diff = framing_diff(readable_snapshot(previous.snapshot), shown_snapshot) if previous else []
    changed = {key for key, _label, _html in diff}
    return {
        "shown": shown,
        "previous": previous,
        "snapshot": [
            (label, shown_snapshot.get(key, "")) for key, label in SNAPSHOT_FIELDS.items()
        ],
        "changes": [(label, html, asked.get(key, "")) for key, label, html in diff],
        "unchanged": [
            label for key, label in SNAPSHOT_FIELDS.items() if previous and key not in changed
        ],
    }


def _decided_version_posted(community, version_id):
    """The posted version of this community if it already has a decision (stale tab, resend)."""
    try:
        pk = int(version_id)
    except (TypeError, ValueError):
        return None
    return (
        community.framing_versions.filter(pk=pk, review__isnull=False)
        .select_related("review__reviewer")
        .first()
    )


def _already_decided_message(version):
    review = version.review
    return _(
        "Version %(number)s was already decided (%(decision)s, by %(reviewer)s on %(date)s): "
        "nothing was changed."
    ) % {
        "number": version.number,
        "decision": review.outcome_label,
        "reviewer": review.reviewer.name if review.reviewer else "—",
        "date": formats.date_format(review.decided_at, "SHORT_DATE_FORMAT"),
    }


def _decision_message(community):
    if community.state == State.OPEN:
        return _("“%(community)s” is validated: it is now open to members.") % {
            "community": community.title
        }
    if community.state == State.CHANGES_REQUESTED:
        return _("Changes requested: the lead of “%(community)s” has been told.") % {
            "community": community.title
        }
    return _("“%(community)s” is declined: the lead has been told.") % {
        "community": community.title
    }


def _shown_version(versions, number):
    if not versions:
        return None
    for version in versions:
        if str(version.number) == number:
            return version
    return versions[-1]


def _version_row(version):
    """A submitted version with its decision and the comments given, for the history list."""
    review = version.review if _is_decided(version) else None
    checklist = []
    if review is not None:
        for key, (question, _meaning) in CHECKLIST.items():
            answer = review.checklist.get(key)
            if answer is not None:
                checklist.append((question, answer.get("ok"), answer.get("comment", "")))
    field_comments = (
        [
            (label, review.field_comments[key])
            for key, label in SNAPSHOT_FIELDS.items()
            if review.field_comments.get(key)
        ]
        if review is not None
        else []
    )
    return {
        "version": version,
        "review": review,
        "checklist": checklist,
        "field_comments": field_comments,
    }
