import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Case, Count, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cercles.accounts.models import TIME_ZONE_CHOICES
from cercles.communities.models import MembershipStatus
from cercles.core.models import TimeStampedModel


class MeetingKind(models.TextChoices):
    KICK_OFF = "kick_off", _("Kick-off meeting")
    REGULAR = "regular", _("Regular meeting")


class Answer(models.TextChoices):
    YES = "yes", _("I will come")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("I will not come")


class MeetingQuerySet(models.QuerySet):
    def upcoming_first(self, now=None):
        """Meetings not over yet (soonest first), then past ones (latest first)."""
        now = now or timezone.now()
        return self.annotate(
            is_past=Case(When(ends_at__lt=now, then=Value(True)), default=Value(False))
        ).order_by(
            "is_past",
            Case(When(is_past=False, then=F("starts_at"))).asc(),
            Case(When(is_past=True, then=F("starts_at"))).desc(),
            "pk",
        )

    def with_answer_counts(self):
        return self.annotate(
            yes_count=Count("rsvps", filter=Q(rsvps__answer=Answer.YES)),
            maybe_count=Count("rsvps", filter=Q(rsvps__answer=Answer.MAYBE)),
        )

    def for_calendar_of(self, user):
        """Meetings of every community the person is an active member of."""
        return self.filter(
            community__memberships__user=user,
            community__memberships__status=MembershipStatus.ACTIVE,
        ).select_related("community")


MAX_OCCURRENCES = 200


class MeetingSeries(TimeStampedModel):
    """Regular meetings (seed 001: the inner circle "se réunit régulièrement"): every N weeks on
    the weekday of the first one, until a date. Each occurrence is a Meeting of its own, which
    can be moved or cancelled; calendars get one series with its exceptions."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="meeting_series"
    )
    title = models.CharField(_("title"), max_length=160)
    first_starts_at = models.DateTimeField(_("first meeting"))
    duration = models.DurationField(_("duration"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=settings.TIME_ZONE
    )
    interval_weeks = models.PositiveSmallIntegerField(_("every how many weeks"), default=1)
    until = models.DateField(_("until"))
    rotate_roles = models.BooleanField(_("rotate the roles of the session"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("series of meetings")
        verbose_name_plural = _("series of meetings")
        ordering = ["first_starts_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def tzinfo(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def get_ics_url(self):
        return reverse("meetings:series_ics", args=[self.community.slug, self.pk])


class Meeting(TimeStampedModel):
    """A kick-off or regular meeting of a community, in person, online or both."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    title = models.CharField(_("title"), max_length=160)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The organiser's zone: the wall-clock time they chose, and the zone calendars show.
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=settings.TIME_ZONE
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(
        _("link to join online"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    agenda = models.TextField(_("agenda"), blank=True, max_length=20000)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    minutes = models.TextField(_("minutes"), blank=True, max_length=50000)
    # The kick-off validates the community's formula (seed 002).
    formula_topics = models.TextField(_("topics"), blank=True, max_length=5000)
    formula_expectations = models.TextField(_("expectations"), blank=True, max_length=5000)
    formula_objectives = models.TextField(_("objectives"), blank=True, max_length=5000)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # An occurrence of a series, and the start the series gave it (its iCalendar RECURRENCE-ID).
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="occurrences",
    )
    series_starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Seed 003: "répartir les rôles". The roles of the session, rotating by default in a series.
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("note-taker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    time_keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("time-keeper"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # iCalendar SEQUENCE: bumped when the time, place or status changes, so calendars update.
    sequence = models.PositiveIntegerField(default=0)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["community", "starts_at"]),
            models.Index(fields=["starts_at", "reminder_sent_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.community.slug, self.pk])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if not self.place.strip() and not self.online_url:
            errors["place"] = _("Give a place, a link to join online, or both.")
        if errors:
            raise ValidationError(errors)

    @property
    def tzinfo(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()

    @property
    def is_over(self):
        return self.ends_at < timezone.now()

    @property
    def is_kick_off(self):
        return self.kind == MeetingKind.KICK_OFF

    @property
    def minutes_published(self):
        return self.minutes_published_at is not None

    @property
    def is_moved_occurrence(self):
        return self.series_id is not None and self.starts_at != self.series_starts_at

    def session_roles(self):
        """[(label, person)] of the roles assigned."""
        roles = [
            (_("Facilitator"), self.facilitator),
            (_("Note-taker"), self.note_taker),
            (_("Time-keeper"), self.time_keeper),
        ]
        return [(label, person) for label, person in roles if person is not None]


class RSVP(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_rsvps"
    )
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices)
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("answer to an invitation")
        verbose_name_plural = _("answers to invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_rsvp_per_person")
        ]

    def __str__(self):
        return f"{self.user} → {self.meeting}: {self.answer}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_attendances"
    )
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_person")
        ]

    def __str__(self):
        return f"{self.user} @ {self.meeting}: {self.present}"


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeedQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class CalendarFeed(models.Model):
    """A person's private calendar address; the token is the only credential, so it can be
    revoked (and a new one made) at any time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_calendar_feed_per_person",
            )
        ]

    def __str__(self):
        return f"calendar of {self.user}"

    def get_absolute_url(self):
        return reverse("meetings:feed", args=[self.token])
