"""Every change to surveys goes through these functions (views, demo, jobs)."""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cercles.accounts.models import User
from cercles.communities import planning
from cercles.communities import services as community_services
from cercles.communities.archive import ensure_writable
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Involvement
from cercles.communities.rules import membership_of
from cercles.core.audit import record_event
from cercles.notifications.services import notify

from .models import (
    DEFAULT_TEMPLATE,
    SCALE_MAX,
    SCALE_MIN,
    AnswerValue,
    ExpectationsState,
    Need,
    NeedStatus,
    Participation,
    Question,
    QuestionKind,
    Response,
    ResultsAudience,
    Role,
    Status,
    Survey,
    SurveyFollowUp,
    SurveyKind,
    TemplateQuestion,
    role_choices,
)

EXPECTATIONS_EVERY_MONTHS = 4
EXPECTATIONS_OPEN_DAYS = 21
REMINDER_AFTER = datetime.timedelta(days=7)
# The lead may move the expectations survey this many days around its due date.
WINDOW_DAYS = 30
# An expectations survey due within this many days counts as "due" for the follow-up.
DUE_SOON_DAYS = 14
NEED_ROLES = (Role.NEEDS, Role.CHANGE)
SURVEY_FIELDS = ("title", "introduction", "opens_on", "closes_on", "anonymous", "results_audience")


def _require(actor, permission, obj):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _locked(survey):
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    for name in ("status", "response_count", "opened_at", "closed_at", "reminded_at"):
        setattr(survey, name, getattr(locked, name))
    return survey


def _notify_after_commit(recipients, kind, **params):
    recipients = list(recipients)
    transaction.on_commit(lambda: notify(recipients, kind, **params))


def _survey_params(survey):
    return {
        "url": survey.get_absolute_url(),
        "survey": str(survey.display_title),
        "community": survey.community.title,
        "community_id": survey.community_id,
    }


# --- questions ------------------------------------------------------------------------------


def check_question(question):
    """The problems of one question as {field: message}; empty when it can be asked."""
    problems = {}
    if not question.wording.strip():
        problems["text"] = _("Write the question.")
    if question.has_choices:
        values = [value for value, _label in question.choices]
        labels = [label.strip().lower() for _value, label in question.choices if label]
        if len(values) < 2:
            problems["choices"] = _("Give at least two choices, one per line.")
        elif len(set(labels)) != len(labels):
            problems["choices"] = _("Each choice must be different.")
    elif question.choices:
        problems["choices"] = _("Only single and multiple choice questions have choices.")
    return problems


def _save_questions(survey, questions, *, keep_template):
    """Replace the survey's questions (never once it has answers)."""
    existing = survey.questions.all()
    if keep_template:
        kept = list(existing.filter(from_template=True))
        existing.filter(from_template=False).delete()
    else:
        kept = []
        existing.delete()
    new = []
    for offset, question in enumerate(questions, start=len(kept)):
        question.survey = survey
        question.position = offset
        question.from_template = False
        problems = check_question(question)
        if problems:
            raise ValidationError(problems)
        question.full_clean(exclude=["survey"])
        new.append(question)
    Question.objects.bulk_create(new)
    if not kept and not new:
        raise ValidationError(_("A survey needs at least one question."))


def _check_dates(survey, *, today):
    if survey.opens_on and survey.closes_on and survey.closes_on <= survey.opens_on:
        raise ValidationError({"closes_on": _("The survey must close after it opens.")})
    if survey.status in (Status.DRAFT, Status.SCHEDULED) and survey.closes_on <= today:
        raise ValidationError({"closes_on": _("This closing date is already past.")})
    if survey.is_expectations and survey.status == Status.SCHEDULED:
        low = survey.due_on - datetime.timedelta(days=WINDOW_DAYS)
        high = survey.due_on + datetime.timedelta(days=WINDOW_DAYS)
        if not low <= survey.opens_on <= high:
            raise ValidationError(
                {
                    "opens_on": _("Choose a date between %(low)s and %(high)s.")
                    % {"low": date_format(low), "high": date_format(high)}
                }
            )
        if survey.opens_on < today:
            raise ValidationError({"opens_on": _("This date is already past.")})


@transaction.atomic
def create_survey(actor, community, *, questions, **fields):
    """A custom survey, as a draft: the lead opens it when ready."""
    ensure_writable(community)
    _require(actor, "surveys.create_survey", community)
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise TypeError(f"unknown survey fields: {sorted(unknown)}")
    survey = Survey(community=community, kind=SurveyKind.CUSTOM, created_by=actor, **fields)
    if not survey.title.strip():
        raise ValidationError({"title": _("Give the survey a title.")})
    survey.full_clean(validate_constraints=False)
    _check_dates(survey, today=timezone.localdate())
    survey.save()
    _save_questions(survey, questions, keep_template=False)
    record_event(actor, "survey.created", survey, community=community.slug)
    return survey


@transaction.atomic
def update_survey(actor, survey, *, questions, **fields):
    """Change a survey and its questions until the first answer. An expectations survey keeps
    the template's questions and its window; the lead may add questions and move its date."""
    _locked(survey)
    ensure_writable(survey)
    _require(actor, "surveys.edit_survey", survey)
    if survey.response_count:
        raise ValidationError(
            _("Somebody has already answered: the questions can no longer change.")
        )
    if survey.is_expectations:
        fields = {"opens_on": fields["opens_on"]} if "opens_on" in fields else {}
    for name, value in fields.items():
        if name not in SURVEY_FIELDS:
            raise TypeError(f"unknown survey field: {name}")
        setattr(survey, name, value)
    if survey.is_expectations:
        survey.closes_on = survey.opens_on + datetime.timedelta(days=EXPECTATIONS_OPEN_DAYS)
    elif not survey.title.strip():
        raise ValidationError({"title": _("Give the survey a title.")})
    survey.full_clean(validate_constraints=False)
    _check_dates(survey, today=timezone.localdate())
    survey.save()
    _save_questions(survey, questions, keep_template=survey.is_expectations)
    record_event(actor, "survey.updated", survey)
    refresh_follow_up(survey.community)
    return survey


@transaction.atomic
def delete_survey(actor, survey):
    _locked(survey)
    ensure_writable(survey)
    _require(actor, "surveys.delete_survey", survey)
    record_event(actor, "survey.deleted", survey.community, title=survey.display_title)
    survey.delete()


# --- opening, closing, skipping ---------------------------------------------------------------


@transaction.atomic
def open_survey(actor, survey):
    """Open a prepared survey now, or on its opening date when that is still to come."""
    _locked(survey)
    ensure_writable(survey)
    _require(actor, "surveys.open_survey", survey)
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    today = timezone.localdate()
    if survey.closes_on <= today:
        raise ValidationError({"closes_on": _("This closing date is already past.")})
    if survey.opens_on > today:
        survey.status = Status.SCHEDULED
        survey.save(update_fields=["status", "updated_at"])
        record_event(actor, "survey.scheduled", survey)
        return survey
    _open(survey, actor=actor)
    return survey


def _open(survey, *, actor=None):
    now = timezone.now()
    survey.status = Status.OPEN
    survey.opened_at = now
    survey.opens_on = min(survey.opens_on, timezone.localdate())
    members = list(community_services.active_members_of(survey.community))
    survey.invited_count = len(members)
    survey.save(update_fields=["status", "opened_at", "opens_on", "invited_count", "updated_at"])
    record_event(actor, "survey.opened", survey)
    _notify_after_commit(members, "surveys.opened", actor=actor, **_survey_params(survey))
    if survey.is_expectations:
        schedule_expectations_survey(survey.community, add_months(survey.due_on, 4))
    refresh_follow_up(survey.community)


@transaction.atomic
def close_survey(actor, survey):
    _locked(survey)
    ensure_writable(survey)
    _require(actor, "surveys.close_survey", survey)
    _close(survey, actor=actor)
    return survey


def _close(survey, *, actor=None):
    survey.status = Status.CLOSED
    survey.closed_at = timezone.now()
    survey.closes_on = max(
        min(survey.closes_on, timezone.localdate()), survey.opens_on + datetime.timedelta(days=1)
    )
    survey.save(update_fields=["status", "closed_at", "closes_on", "updated_at"])
    record_event(actor, "survey.closed", survey, answers=survey.response_count)
    if survey.is_expectations:
        count = _gather_needs(survey)
        if count:
            _notify_after_commit(
                community_services.leaders_of(survey.community),
                "surveys.needs",
                count=count,
                **{**_survey_params(survey), "url": needs_url(survey.community)},
            )
    refresh_follow_up(survey.community)


def _gather_needs(survey):
    """The non-empty answers to the needs and change questions, as needs for the lead (in the
    order of their random keys, which says nothing of who wrote them or when)."""
    rows = (
        AnswerValue.objects.filter(question__survey=survey, question__role__in=NEED_ROLES)
        .exclude(text="")
        .order_by("question__position", "id")
        .values_list("question__role", "text")
    )
    needs = [
        Need(community=survey.community, survey=survey, role=role, text=text.strip())
        for role, text in rows
        if text.strip()
    ]
    Need.objects.bulk_create(needs)
    return len(needs)


@transaction.atomic
def skip_survey(actor, survey, *, reason):
    """Skip a scheduled expectations survey; the reason is kept and shown to the coordinators."""
    _locked(survey)
    ensure_writable(survey)
    _require(actor, "surveys.skip_survey", survey)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the survey is skipped: the coordinators will read it.")}
        )
    survey.status = Status.SKIPPED
    survey.skip_reason = reason
    survey.save(update_fields=["status", "skip_reason", "updated_at"])
    record_event(actor, "survey.skipped", survey, reason=reason)
    schedule_expectations_survey(survey.community, add_months(survey.due_on, 4))
    refresh_follow_up(survey.community)
    _notify_after_commit(
        User.objects.filter(is_coordinator=True, is_active=True),
        "surveys.skipped",
        actor=actor,
        note=reason,
        **_survey_params(survey),
    )
    return survey


def template_questions():
    """The network's template; the shipped one when the table is empty (a flushed database)."""
    questions = list(TemplateQuestion.objects.all())
    if not questions:
        questions = TemplateQuestion.objects.bulk_create(
            TemplateQuestion(
                position=position,
                role=role,
                kind=kind,
                required=required,
                choices=role_choices(role),
            )
            for position, (role, kind, required) in enumerate(DEFAULT_TEMPLATE)
        )
    return questions


def schedule_expectations_survey(community, due_on):
    """The community's next expectations survey, from the network's template as it is now."""
    if Survey.objects.filter(
        community=community, kind=SurveyKind.EXPECTATIONS, status=Status.SCHEDULED
    ).exists():
        return None
    survey = Survey.objects.create(
        community=community,
        kind=SurveyKind.EXPECTATIONS,
        opens_on=due_on,
        closes_on=due_on + datetime.timedelta(days=EXPECTATIONS_OPEN_DAYS),
        due_on=due_on,
        anonymous=True,
        results_audience=ResultsAudience.MEMBERS,
        status=Status.SCHEDULED,
    )
    Question.objects.bulk_create(
        Question(survey=survey, from_template=True, **question.copy_fields())
        for question in template_questions()
    )
    return survey


def on_community_state_changed(sender, community, previous, **kwargs):
    """A community that becomes active gets its first expectations survey, opened by the next
    run of the job; one that ends has nothing more scheduled."""
    with transaction.atomic():
        if community.state == State.ACTIVE:
            schedule_expectations_survey(community, timezone.localdate())
        elif community.state not in (State.OPEN, State.ACTIVE):
            Survey.objects.filter(
                community=community, status__in=[Status.DRAFT, Status.SCHEDULED]
            ).delete()
        refresh_follow_up(community)


# --- answering --------------------------------------------------------------------------------


def clean_answers(survey, questions, raw):
    """Check the answers {question id: value} against the questions; returns them cleaned, or
    raises ValidationError {question id: message}. Scale: an int; single: a choice value;
    multiple: a list of choice values; text: a string."""
    errors, cleaned = {}, {}
    for question in questions:
        value = raw.get(question.pk)
        empty = value in (None, "", [], ())
        if empty:
            if question.required:
                errors[question.pk] = _("This question needs an answer.")
            continue
        if question.kind == QuestionKind.SCALE:
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = None
            if number is None or not SCALE_MIN <= number <= SCALE_MAX:
                errors[question.pk] = _("Choose a value from %(low)s to %(high)s.") % {
                    "low": SCALE_MIN,
                    "high": SCALE_MAX,
                }
            else:
                cleaned[question.pk] = number
        elif question.has_choices:
            known = {v for v, _label in question.choices}
            values = value if isinstance(value, list | tuple) else [value]
            if question.kind == QuestionKind.SINGLE and len(values) > 1:
                errors[question.pk] = _("Choose only one answer.")
            elif not set(values) <= known:
                errors[question.pk] = _("This choice is not one of the survey's.")
            else:
                cleaned[question.pk] = list(dict.fromkeys(values))
        else:
            text = str(value).strip()
            if len(text) > 5000:
                errors[question.pk] = _("Keep the answer under 5,000 characters.")
            elif text:
                cleaned[question.pk] = text
            elif question.required:
                errors[question.pk] = _("This question needs an answer.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def has_answered(user, survey):
    return Participation.objects.filter(survey=survey, user=user).exists()


def named_answers_of(user, survey):
    """{question id: value} of the person's answer to a named survey (for editing it)."""
    values = AnswerValue.objects.filter(response__survey=survey, response__user=user)
    answers = {}
    kinds = {q.pk: q.kind for q in survey.questions.all()}
    for row in values:
        kind = kinds.get(row.question_id)
        if kind == QuestionKind.SCALE:
            answers[row.question_id] = row.number
        elif kind == QuestionKind.MULTIPLE:
            answers.setdefault(row.question_id, []).append(row.choice)
        elif kind == QuestionKind.SINGLE:
            answers[row.question_id] = row.choice
        else:
            answers[row.question_id] = row.text
    return answers


@transaction.atomic
def answer_survey(actor, survey, answers):
    """Record the person's answers. A named survey's second answer replaces the first; an
    anonymous survey's answer cannot be found again, so it cannot be changed either.

    Returns the cleaned answers."""
    _locked(survey)
    if survey.status != Status.OPEN or survey.closes_on < timezone.localdate():
        raise ValidationError(_("This survey is closed: answers are no longer taken."))
    ensure_writable(survey)
    _require(actor, "surveys.answer_survey", survey)
    questions = list(survey.questions.all())
    cleaned = clean_answers(survey, questions, answers)
    already = has_answered(actor, survey)
    if survey.anonymous and already:
        raise ValidationError(
            _(
                "You have already answered this anonymous survey. Your answers are not linked "
                "to you, so they cannot be changed."
            )
        )
    if survey.anonymous:
        response = Response.objects.create(survey=survey)
    else:
        response, _created = Response.objects.get_or_create(survey=survey, user=actor)
        response.values.all().delete()
    by_pk = {q.pk: q for q in questions}
    rows = []
    for question_pk, value in cleaned.items():
        question = by_pk[question_pk]
        if question.kind == QuestionKind.SCALE:
            rows.append(AnswerValue(response=response, question=question, number=value))
        elif question.has_choices:
            rows += [AnswerValue(response=response, question=question, choice=v) for v in value]
        else:
            rows.append(AnswerValue(response=response, question=question, text=value))
    AnswerValue.objects.bulk_create(rows)
    if not already:
        Participation.objects.create(survey=survey, user=actor)
        survey.response_count = Participation.objects.filter(survey=survey).count()
        Survey.objects.filter(pk=survey.pk).update(response_count=survey.response_count)
    record_event(actor, "survey.answered", survey, edited=already)
    return cleaned


def involvement_answer(survey, cleaned):
    """The involvement chosen in the answers to an expectations survey, if any."""
    for question in survey.questions.all():
        if question.role == Role.INVOLVEMENT and cleaned.get(question.pk):
            return cleaned[question.pk][0]
    return None


def update_involvement(actor, community, involvement):
    """The member chose, after answering, to update their declared involvement (and circle)."""
    if involvement not in Involvement.values:
        raise ValidationError(_("This level of involvement is not one of the choices."))
    membership = membership_of(actor, community)
    if membership is None:
        raise PermissionDenied
    return community_services.change_involvement(
        actor, community, involvement=involvement, objective=membership.objective
    )


# --- needs ------------------------------------------------------------------------------------


@transaction.atomic
def decide_need(actor, need, *, status, note="", milestone_date=None):
    """The lead takes a need into the next steps, turns it into a milestone or sets it aside."""
    community = need.community
    ensure_writable(community)
    _require(actor, "surveys.handle_needs", community)
    need = Need.objects.select_for_update().get(pk=need.pk)
    need.community = community
    note = note.strip()
    if status == NeedStatus.NEXT_STEPS:
        text = community.next_steps.rstrip()
        line = "- " + " ".join(need.text.split())
        community_services.update_next_steps(actor, community, f"{text}\n{line}".strip())
    elif status == NeedStatus.MILESTONE:
        if milestone_date is None:
            raise ValidationError({"milestone_date": _("Give the milestone a date.")})
        title = " ".join(need.text.split())
        need.milestone = planning.add_milestone(
            actor,
            community,
            title=title[:157] + "…" if len(title) > 160 else title,
            due_date=milestone_date,
            description=note,
        )
    elif status == NeedStatus.SET_ASIDE:
        if not note:
            raise ValidationError({"note": _("Say in a word why it is set aside.")})
    else:
        raise ValidationError(_("Choose what to do with this need."))
    need.status = status
    need.note = note
    need.decided_by = actor
    need.full_clean()
    need.save()
    record_event(actor, "survey.need_decided", community, need=need.pk, status=status)
    return need


# --- the calendar, run by the periodic job ----------------------------------------------------


def run_calendar(today=None):
    """Open the surveys whose date has come (and schedule the first expectations survey of an
    active community that has none), remind once after 7 days those who have not answered,
    close the surveys whose closing date is past. Each step claims its rows, so two workers
    running it at once do not repeat it. Returns what it did, as counts."""
    today = today or timezone.localdate()
    done = {"scheduled": 0, "opened": 0, "reminded": 0, "closed": 0}
    without = Community.objects.filter(state=State.ACTIVE).exclude(
        pk__in=Survey.objects.expectations().values("community_id")
    )
    for community in without:
        with transaction.atomic():
            if schedule_expectations_survey(community, today):
                done["scheduled"] += 1
                refresh_follow_up(community)
    due = Survey.objects.filter(status=Status.SCHEDULED, opens_on__lte=today).filter(
        Q(kind=SurveyKind.EXPECTATIONS, community__state=State.ACTIVE)
        | Q(kind=SurveyKind.CUSTOM, community__state__in=[State.OPEN, State.ACTIVE])
    )
    for survey in due.select_related("community"):
        with transaction.atomic():
            if Survey.objects.filter(pk=survey.pk, status=Status.SCHEDULED).update(
                status=Status.OPEN
            ):
                _open(survey)
                done["opened"] += 1
    now = timezone.now()
    for survey in Survey.objects.filter(
        status=Status.OPEN,
        reminded_at__isnull=True,
        opened_at__lte=now - REMINDER_AFTER,
        closes_on__gte=today,
    ).select_related("community"):
        with transaction.atomic():
            if Survey.objects.filter(pk=survey.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                answered = Participation.objects.filter(survey=survey).values("user_id")
                recipients = community_services.active_members_of(survey.community).exclude(
                    pk__in=answered
                )
                _notify_after_commit(
                    recipients,
                    "surveys.reminder",
                    closes_on=date_format(survey.closes_on),
                    **_survey_params(survey),
                )
                done["reminded"] += 1
    for survey in Survey.objects.filter(status=Status.OPEN, closes_on__lt=today).select_related(
        "community"
    ):
        with transaction.atomic():
            if Survey.objects.filter(pk=survey.pk, status=Status.OPEN).update(status=Status.CLOSED):
                _close(survey)
                done["closed"] += 1
    return done


# --- follow-up signals ------------------------------------------------------------------------


def satisfaction_mean(survey):
    return AnswerValue.objects.filter(
        question__survey=survey, question__role=Role.SATISFACTION, number__isnull=False
    ).aggregate(mean=Avg("number"))["mean"]


def refresh_follow_up(community, today=None):
    """Recompute the community's survey signals for the coordinators' follow-up."""
    today = today or timezone.localdate()
    surveys = list(
        Survey.objects.filter(community=community, kind=SurveyKind.EXPECTATIONS).order_by(
            "-due_on", "-id"
        )[:5]
    )
    scheduled = next((s for s in surveys if s.status == Status.SCHEDULED), None)
    opened = next((s for s in surveys if s.status == Status.OPEN), None)
    latest = next((s for s in surveys if s.status != Status.SCHEDULED), None)
    last_closed = next((s for s in surveys if s.status == Status.CLOSED), None)
    follow_up = SurveyFollowUp(community=community)
    follow_up.next_due_on = scheduled.opens_on if scheduled else None
    if community.state != State.ACTIVE:
        state = ExpectationsState.NONE
    elif opened:
        state = ExpectationsState.DUE
    elif latest is not None and latest.status == Status.SKIPPED:
        state = ExpectationsState.SKIPPED
        follow_up.skip_reason = latest.skip_reason
    elif scheduled is not None:
        if scheduled.opens_on < today:
            state = ExpectationsState.OVERDUE
        elif (scheduled.opens_on - today).days <= DUE_SOON_DAYS:
            state = ExpectationsState.DUE
        else:
            state = ExpectationsState.UP_TO_DATE
    elif latest is None:
        state = ExpectationsState.DUE
    else:
        state = ExpectationsState.OVERDUE
    follow_up.expectations_state = state
    if last_closed is not None:
        follow_up.last_survey = last_closed
        follow_up.last_closed_on = last_closed.closes_on
        follow_up.last_response_rate = last_closed.response_rate
        follow_up.last_satisfaction_mean = satisfaction_mean(last_closed)
    follow_up.save()
    return follow_up


def refresh_all_follow_ups(today=None):
    """Every day: "due" and "overdue" change with the date alone."""
    count = 0
    for community in Community.objects.filter(
        Q(state=State.ACTIVE) | Q(survey_follow_up__isnull=False)
    ).distinct():
        refresh_follow_up(community, today=today)
        count += 1
    return count


def needs_url(community):
    return reverse("communities:detail", args=[community.slug]) + "#survey-needs"


# --- the network's expectations template ------------------------------------------------------


@transaction.atomic
def save_template(actor, *, wordings, questions):
    """Coordinators reword the template's fixed questions ({id: {text, help_text, required}})
    and replace the network's own extra questions. Only surveys scheduled from now on change."""
    if not actor.has_perm("surveys.edit_template"):
        raise PermissionDenied
    fixed = list(TemplateQuestion.objects.exclude(role=""))
    for question in fixed:
        for name, value in wordings.get(question.pk, {}).items():
            setattr(question, name, value.strip() if isinstance(value, str) else value)
        question.full_clean()
        question.save()
    TemplateQuestion.objects.filter(role="").delete()
    for position, question in enumerate(questions, start=len(fixed)):
        question.position = position
        problems = check_question(question)
        if problems:
            raise ValidationError(problems)
        question.full_clean()
        question.save()
    record_event(actor, "surveys.template_updated", actor, questions=len(fixed) + len(questions))
