"""Meeting pages: scoped look-up → permission → form → service → redirect."""

import copy
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cercles.communities.lookups import community_for, require
from cercles.communities.services import active_members_of

from . import ical, services
from .forms import AttendanceForm, CancelForm, MeetingForm, MinutesForm, RolesForm, RSVPForm
from .models import RSVP, Answer, CalendarFeed, Meeting, MeetingKind, MeetingSeries

PER_PAGE = 20
# A feed carries every upcoming meeting and the recent past (calendars keep what they saw).
FEED_PAST = datetime.timedelta(days=180)
FEED_LIMIT = 500


def _meeting_for(request, slug, meeting_id):
    """The meeting, looked up through a community the person may read; 404 otherwise."""
    community = community_for(request, slug, content=True)
    meeting = get_object_or_404(Meeting, community=community, pk=meeting_id)
    meeting.community = community  # keeps the permission cache of the community
    return community, meeting


def _add_service_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def meeting_list(request, slug):
    community = community_for(request, slug, content=True)
    require(request, "meetings.view_meetings", community)
    user = request.user
    mine = RSVP.objects.filter(meeting=OuterRef("pk"), user=user).values("answer")[:1]
    meetings = (
        community.meetings.upcoming_first().with_answer_counts().annotate(my_answer=Subquery(mine))
    )
    page = Paginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
    can_plan = user.has_perm("meetings.plan_meeting", community)
    has_kick_off = community.meetings.filter(
        kind=MeetingKind.KICK_OFF, cancelled_at__isnull=True
    ).exists()
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "community": community,
            "page": page,
            "can_plan": can_plan,
            "suggest_kick_off": can_plan and not has_kick_off,
        },
    )


def meeting_create(request, slug):
    community = community_for(request, slug, content=True)
    require(request, "meetings.plan_meeting", community)
    if request.method == "POST":
        form = MeetingForm(request.POST, creating=True)
        if form.is_valid():
            series = form.series_fields()
            try:
                if series:
                    planned = services.plan_series(
                        request.user, community, **series, **form.meeting_fields()
                    )
                    meeting = planned.occurrences.order_by("starts_at").first()
                else:
                    meeting = services.plan_meeting(
                        request.user, community, **form.meeting_fields()
                    )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                if series:
                    messages.success(
                        request,
                        _("%(count)s meetings are planned; the members have been told.")
                        % {"count": planned.occurrences.count()},
                    )
                else:
                    messages.success(
                        request, _("The meeting is planned; the members have been told.")
                    )
                return redirect(meeting)
    else:
        kind = request.GET.get("kind")
        form = MeetingForm(
            creating=True,
            initial={
                "time_zone": request.user.timezone,
                "kind": kind if kind in MeetingKind.values else MeetingKind.REGULAR,
            },
        )
    return render(request, "meetings/meeting_form.html", {"community": community, "form": form})


def meeting_edit(request, slug, meeting_id):
    community, meeting = _meeting_for(request, slug, meeting_id)
    require(request, "meetings.edit_meeting", meeting)
    if request.method == "POST":
        form = MeetingForm(request.POST, instance=meeting, creating=False)
        if form.is_valid():
            try:
                services.update_meeting(request.user, meeting, **form.meeting_fields())
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The meeting has been updated."))
                return redirect(meeting)
    else:
        form = MeetingForm(instance=meeting, creating=False)
    return render(
        request,
        "meetings/meeting_form.html",
        {"community": community, "meeting": meeting, "form": form},
    )


def meeting_detail(request, slug, meeting_id):
    community, meeting = _meeting_for(request, slug, meeting_id)
    require(request, "meetings.view_meeting", meeting)
    user = request.user
    can = {
        name: user.has_perm(f"meetings.{name}", meeting)
        for name in ("edit_meeting", "cancel_meeting", "rsvp", "record_attendance",
                     "publish_minutes", "view_minutes")
    }  # fmt: skip
    replies = list(meeting.rsvps.select_related("user").order_by("answered_at", "pk"))
    answers = {value: [] for value in Answer.values}
    for reply in replies:
        answers[reply.answer].append(reply.user)
    my_answer = next((r.answer for r in replies if r.user_id == user.pk), "")
    attendances = list(meeting.attendances.select_related("user").order_by("user__display_name"))
    context = {
        "community": community,
        "meeting": meeting,
        "can": can,
        "answers": [(value, label, answers[value]) for value, label in Answer.choices],
        "my_answer": my_answer,
        "answered_count": len(replies),
        "present": [a.user for a in attendances if a.present],
        "organiser_zone_differs": meeting.time_zone != timezone.get_current_timezone_name(),
    }
    if can["edit_meeting"]:
        context["roles_form"] = RolesForm(
            instance=meeting, members=active_members_of(community).order_by("display_name")
        )
    if can["record_attendance"]:
        members = list(active_members_of(community).order_by("display_name", "username"))
        if meeting.attendance_recorded_at:
            initial = [a.user_id for a in attendances if a.present]
        else:
            initial = [u.pk for u in answers[Answer.YES]]
        context["attendance_form"] = AttendanceForm(members=members, initial={"present": initial})
    return render(request, "meetings/meeting_detail.html", context)


@require_POST
def meeting_rsvp(request, slug, meeting_id):
    community, meeting = _meeting_for(request, slug, meeting_id)
    form = RSVPForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes, maybe or no."))
        return redirect(meeting)
    if not meeting.is_cancelled and not meeting.has_started:
        require(request, "meetings.rsvp", meeting)
    try:
        services.rsvp(request.user, meeting, form.cleaned_data["answer"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer has been recorded."))
    return redirect(reverse("meetings:detail", args=[slug, meeting.pk]) + "#rsvp")


@require_POST
def meeting_attendance(request, slug, meeting_id):
    community, meeting = _meeting_for(request, slug, meeting_id)
    require(request, "meetings.record_attendance", meeting)
    members = list(active_members_of(community))
    form = AttendanceForm(request.POST, members=members)
    if form.is_valid():
        try:
            services.record_attendance(request.user, meeting, form.cleaned_data["present"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance has been recorded."))
    else:
        messages.error(request, _("Only members of the community can be marked present."))
    return redirect(reverse("meetings:detail", args=[slug, meeting.pk]) + "#attendance")


def meeting_minutes(request, slug, meeting_id):
    community, meeting = _meeting_for(request, slug, meeting_id)
    require(request, "meetings.publish_minutes", meeting)
    if request.method == "POST":
        form = MinutesForm(request.POST, meeting=meeting)
        if form.is_valid():
            data = form.cleaned_data
            try:
                activated = services.publish_minutes(
                    request.user,
                    meeting,
                    minutes=data["minutes"],
                    topics=data.get("topics", ""),
                    expectations=data.get("expectations", ""),
                    objectives=data.get("objectives", ""),
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The minutes are published."))
                if activated:
                    messages.success(
                        request, _("The kick-off has been held: the community is now active.")
                    )
                return redirect(reverse("meetings:detail", args=[slug, meeting.pk]) + "#minutes")
    else:
        form = MinutesForm(
            meeting=meeting,
            initial={
                "minutes": meeting.minutes,
                "topics": meeting.formula_topics,
                "expectations": meeting.formula_expectations,
                "objectives": meeting.formula_objectives,
            },
        )
    return render(
        request,
        "meetings/meeting_minutes.html",
        {"community": community, "meeting": meeting, "form": form},
    )


def meeting_cancel(request, slug, meeting_id):
    community, meeting = _meeting_for(request, slug, meeting_id)
    require(request, "meetings.cancel_meeting", meeting)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel_meeting(request.user, meeting, reason=form.cleaned_data["reason"])
        messages.success(request, _("The meeting is cancelled; the members have been told."))
        return redirect(meeting)
    return render(
        request,
        "meetings/meeting_cancel.html",
        {"community": community, "meeting": meeting, "form": form},
    )


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def meeting_roles(request, slug, meeting_id):
    """Assign the roles of the session (facilitator, note-taker, time-keeper)."""
    community, meeting = _meeting_for(request, slug, meeting_id)
    require(request, "meetings.edit_meeting", meeting)
    form = RolesForm(
        request.POST, instance=copy.copy(meeting), members=active_members_of(community)
    )
    if not form.is_valid():
        messages.error(request, _("Choose active members of the community."))
        return redirect(meeting)
    try:
        services.assign_roles(
            request.user,
            meeting,
            **{name: form.cleaned_data[name] for name in RolesForm.Meta.fields},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The roles of the session are saved."))
    return redirect(meeting)


def series_ics(request, slug, series_id):
    """The whole series as one recurring event, with its cancelled and moved occurrences."""
    community = community_for(request, slug, content=True)
    require(request, "meetings.view_meetings", community)
    series = get_object_or_404(MeetingSeries, community=community, pk=series_id)
    series.community = community
    occurrences = series.occurrences.select_related("community").order_by("series_starts_at")
    return _ics_response(ical.series_calendar(series, occurrences), f"series-{series.pk}.ics")


def meeting_ics(request, slug, meeting_id):
    community, meeting = _meeting_for(request, slug, meeting_id)
    require(request, "meetings.view_meeting", meeting)
    return _ics_response(
        ical.calendar_for([meeting], name=community.title), f"meeting-{meeting.pk}.ics"
    )


# --- personal calendar feed -------------------------------------------------------------------


def calendar_settings(request):
    """Where a person finds, renews or turns off the private address of their calendar."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            services.renew_calendar_feed(request.user)
            messages.success(
                request, _("Your calendar has a new address; the previous one no longer works.")
            )
        elif action == "revoke":
            services.revoke_calendar_feed(request.user)
            messages.success(request, _("Your calendar address no longer works."))
        return redirect("meetings:calendar")
    feed = services.calendar_feed_of(request.user)
    feed_url = request.build_absolute_uri(feed.get_absolute_url()) if feed else ""
    return render(
        request,
        "meetings/calendar_settings.html",
        {
            "feed": feed,
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://", 1).replace(
                "http://", "webcal://", 1
            ),
        },
    )


@login_not_required
def calendar_feed(request, token):
    """The person's meetings, for calendar programs: the secret address is the credential."""
    feed = (
        CalendarFeed.objects.live().select_related("user").filter(token=token).first()
        if len(token) <= 64
        else None
    )
    if feed is None:
        raise Http404
    meetings = (
        Meeting.objects.for_calendar_of(feed.user)
        .filter(ends_at__gte=timezone.now() - FEED_PAST)
        .order_by("starts_at")[:FEED_LIMIT]
    )
    return _ics_response(ical.calendar_for(meetings, name="Cercles"), "cercles.ics")
