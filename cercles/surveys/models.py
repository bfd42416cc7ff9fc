"""Surveys of a community: the four-monthly expectations survey and the community's own ones.

Anonymous surveys keep no link between a person and their answers: a `Response` of an anonymous
survey has no person, a random key and no date, and its `AnswerValue` rows have random keys too,
so neither their order nor their time can be matched with the `Participation` that says who
answered (kept for reminders and the response rate).
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cercles.communities.models import Involvement
from cercles.core.models import TimeStampedModel
from cercles.taxonomy.choices import ObjectiveType

SCALE_MIN, SCALE_MAX = 1, 5
# Anonymous results are shown from this many answers on: fewer could point at a person.
ANONYMITY_THRESHOLD = 3


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale from 1 to 5")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


class Role(models.TextChoices):
    """What a question of the expectations survey measures, whatever its wording."""

    SATISFACTION = "satisfaction", _("Are your expectations met?")
    OBJECTIVE = "objective", _("What is your objective now?")
    INVOLVEMENT = "involvement", _("How involved do you want to be now?")
    WORKED = "worked", _("What worked well?")
    CHANGE = "change", _("What should change?")
    NEEDS = "needs", _("What new needs do you have?")
    TOPICS = "topics", _("Which topics for the coming months?")


OTHER_OBJECTIVE = "other"


def role_choices(role):
    """The fixed choices of a role's question, as [value, label] (labels translated on display)."""
    if role == Role.OBJECTIVE:
        return [[value, ""] for value in [*ObjectiveType.values, OTHER_OBJECTIVE]]
    if role == Role.INVOLVEMENT:
        return [[value, ""] for value in Involvement.values]
    return []


def choice_label(role, value, label):
    if label:
        return label
    if role == Role.OBJECTIVE:
        return dict(ObjectiveType.choices).get(value, _("Other"))
    if role == Role.INVOLVEMENT:
        return dict(Involvement.choices).get(value, value)
    return value


# The network's expectations template as shipped: (role, kind, required, low label, high label).
DEFAULT_TEMPLATE = [
    (Role.SATISFACTION, QuestionKind.SCALE, True),
    (Role.OBJECTIVE, QuestionKind.SINGLE, True),
    (Role.INVOLVEMENT, QuestionKind.SINGLE, True),
    (Role.WORKED, QuestionKind.TEXT, False),
    (Role.CHANGE, QuestionKind.TEXT, False),
    (Role.NEEDS, QuestionKind.TEXT, False),
    (Role.TOPICS, QuestionKind.TEXT, False),
]


class QuestionFields(models.Model):
    """What a question says; shared by the network's template and by surveys."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=QuestionKind.choices)
    # Blank for a role's question: its wording is then the translated default.
    text = models.CharField(_("question"), max_length=300, blank=True)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    # [[value, label], …] for choices; a role's choices have fixed values and translated labels.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    scale_low_label = models.CharField(_("label of 1"), max_length=60, blank=True)
    scale_high_label = models.CharField(_("label of 5"), max_length=60, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return str(self.wording)

    @property
    def wording(self):
        if self.text:
            return self.text
        return Role(self.role).label if self.role else ""

    @property
    def low_label(self):
        if self.scale_low_label:
            return self.scale_low_label
        return _("Not at all") if self.role == Role.SATISFACTION else ""

    @property
    def high_label(self):
        if self.scale_high_label:
            return self.scale_high_label
        return _("Completely") if self.role == Role.SATISFACTION else ""

    @property
    def has_choices(self):
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

    def labelled_choices(self):
        """[(value, label)] in order, labels in the current language."""
        if self.kind == QuestionKind.SCALE:
            return [(str(n), str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]
        return [(value, choice_label(self.role, value, label)) for value, label in self.choices]

    def copy_fields(self):
        return {
            name: getattr(self, name)
            for name in (
                "position", "kind", "text", "help_text", "required", "choices",
                "scale_low_label", "scale_high_label", "role",
            )
        }  # fmt: skip


class TemplateQuestion(QuestionFields):
    """A question of the network's expectations template, edited by the coordinators. A survey
    copies the template when it is created, so editing it changes only the surveys to come."""

    class Meta(QuestionFields.Meta):
        verbose_name = _("question of the expectations template")
        verbose_name_plural = _("questions of the expectations template")


class SurveyKind(models.TextChoices):
    EXPECTATIONS = "expectations", _("Expectations survey")
    CUSTOM = "custom", _("Survey")


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey", "Draft")
    SCHEDULED = "scheduled", pgettext_lazy("survey", "Scheduled")
    OPEN = "open", pgettext_lazy("survey", "Open")
    CLOSED = "closed", pgettext_lazy("survey", "Closed")
    SKIPPED = "skipped", pgettext_lazy("survey", "Skipped")


class ResultsAudience(models.TextChoices):
    MEMBERS = "members", _("The members of the community")
    LEADERS = "leaders", _("The lead, the co-lead and the coordinators only")


class SurveyQuerySet(models.QuerySet):
    def expectations(self):
        return self.filter(kind=SurveyKind.EXPECTATIONS)

    def visible_to_members(self):
        return self.filter(status__in=[Status.OPEN, Status.CLOSED])


class Survey(TimeStampedModel):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="surveys"
    )
    kind = models.CharField(max_length=15, choices=SurveyKind.choices, default=SurveyKind.CUSTOM)
    # Blank for an expectations survey: its title is then written from its date, translated.
    title = models.CharField(_("title"), max_length=160, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    opens_on = models.DateField(_("opening date"))
    closes_on = models.DateField(_("closing date"))
    # The date the expectations survey was due (every four months): the lead moves `opens_on`
    # within a window around it.
    due_on = models.DateField(null=True, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Nobody, not even the lead, can tell who gave which answer."),
    )
    results_audience = models.CharField(
        _("who sees the results"),
        max_length=10,
        choices=ResultsAudience.choices,
        default=ResultsAudience.MEMBERS,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Active members when it opened: the base of the response rate.
    invited_count = models.PositiveIntegerField(default=0)
    # Kept by the answering service: how many people answered.
    response_count = models.PositiveIntegerField(default=0)
    skip_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_on", "-id"]
        indexes = [
            models.Index(fields=["community", "kind", "-opens_on"]),
            models.Index(fields=["status", "opens_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gt=models.F("opens_on")), name="survey_closes_after"
            )
        ]

    def __str__(self):
        return str(self.display_title)

    @property
    def display_title(self):
        if self.title:
            return self.title
        return _("Expectations survey of %(month)s") % {
            "month": date_format(self.opens_on, "YEAR_MONTH_FORMAT")
        }

    def get_absolute_url(self):
        return reverse("surveys:detail", args=[self.community.slug, self.pk])

    @property
    def is_expectations(self):
        return self.kind == SurveyKind.EXPECTATIONS

    @property
    def is_open(self):
        return self.status == Status.OPEN

    @property
    def is_closed(self):
        return self.status == Status.CLOSED

    @property
    def is_editable(self):
        """Questions may change until the first answer."""
        return self.response_count == 0 and self.status in (
            Status.DRAFT, Status.SCHEDULED, Status.OPEN,
        )  # fmt: skip

    @property
    def response_rate(self):
        if not self.invited_count:
            return None
        return min(1.0, self.response_count / self.invited_count)

    @property
    def hides_results(self):
        """Too few answers to an anonymous survey to show anything without pointing at someone."""
        return self.anonymous and self.response_count < ANONYMITY_THRESHOLD

    def days_left(self, today=None):
        return (self.closes_on - (today or timezone.localdate())).days


class Question(QuestionFields):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    # Copied from the network's template: the lead may add questions, not remove these.
    from_template = models.BooleanField(default=False)

    class Meta(QuestionFields.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["survey", "position"])]


class Participation(models.Model):
    """That a person answered a survey — never what they answered (no date either)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="one_participation_per_person")
        ]

    def __str__(self):
        return f"{self.user_id} answered {self.survey_id}"


class Response(models.Model):
    """One person's answers. Random key and no date: anonymous ones cannot be put in order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # Only for named surveys.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=models.Q(user__isnull=False),
                name="one_named_response_per_person",
            )
        ]

    def __str__(self):
        return str(self.pk)


class AnswerValue(models.Model):
    """One answer to one question (one row per ticked choice of a multiple choice)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="values")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="values")
    choice = models.CharField(max_length=40, blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "choice", "number"])]

    def __str__(self):
        return str(self.pk)


class NeedStatus(models.TextChoices):
    NEW = "new", _("To consider")
    NEXT_STEPS = "next_steps", _("Taken into the next steps")
    MILESTONE = "milestone", _("Turned into a milestone")
    SET_ASIDE = "set_aside", _("Set aside")


class Need(TimeStampedModel):
    """A need or change request written in an expectations survey, and what the lead made of it.
    Gathered when the survey closes; it quotes the answer, never its author."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="survey_needs"
    )
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="needs")
    role = models.CharField(max_length=20, choices=Role.choices)
    text = models.TextField()
    status = models.CharField(
        _("decision"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.NEW
    )
    note = models.CharField(_("a word about it"), max_length=300, blank=True)
    milestone = models.ForeignKey(
        "communities.Milestone", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["status", "id"]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self):
        return self.text[:60]


class ExpectationsState(models.TextChoices):
    NONE = "none", _("No expectations survey yet")
    UP_TO_DATE = "up_to_date", _("Up to date")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    SKIPPED = "skipped", _("Skipped")


class FollowUpQuerySet(models.QuerySet):
    def for_communities(self, communities):
        """{community id: follow-up} of many communities in one query."""
        return {f.community_id: f for f in self.filter(community__in=communities)}

    def flagged(self):
        return self.filter(
            expectations_state__in=[ExpectationsState.OVERDUE, ExpectationsState.SKIPPED]
        )


class SurveyFollowUp(models.Model):
    """The survey signals of one community for the coordinators' follow-up, kept up to date by
    the survey services and the daily job, so that a dashboard reads them without aggregating."""

    community = models.OneToOneField(
        "communities.Community",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="survey_follow_up",
    )
    expectations_state = models.CharField(
        max_length=12, choices=ExpectationsState.choices, default=ExpectationsState.NONE
    )
    next_due_on = models.DateField(null=True, blank=True)
    skip_reason = models.TextField(blank=True)
    last_survey = models.ForeignKey(
        Survey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_closed_on = models.DateField(null=True, blank=True)
    last_response_rate = models.FloatField(null=True, blank=True)
    last_satisfaction_mean = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FollowUpQuerySet.as_manager()

    def __str__(self):
        return f"{self.community_id}: {self.expectations_state}"
