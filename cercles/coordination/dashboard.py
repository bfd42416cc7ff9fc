"""The coordinators' dashboard as data: its columns and its flags, each registered once.

Other apps add a column or a flag without touching this module's callers:

    register_column("stage", _("Stage of life"), display=lambda row: …, loader=…)
    register_flag("stage_stuck", _("Stuck"), _("Stuck at %(stage)s"), check=…)

A column's `display(row)` gives the text shown in the table and written in the CSV, `sort(row)`
what the table is sorted by (the text when omitted). A `loader(communities)` is called once per
request with the communities shown and returns {community id: value}, found in
`row.extra[key]`: one query for the whole table, never one per row.

A flag's `check(community, figures, thresholds, today)` returns None when the flag is not
raised, or a dict of the values its `reason` is written with. Flags are computed by
`figures.refresh_figures` and stored with the figures; the dashboard only reads them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from cercles.communities.lifecycle import State

RUNNING = (State.OPEN, State.ACTIVE)


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    display: Callable
    sort: Callable | None = None
    loader: Callable | None = None
    order: int = 100
    # A short explanation shown as the header's title.
    help: Any = ""

    def sort_key(self, row):
        value = (self.sort or self.display)(row)
        # None sorts last whatever the direction is handled by the caller.
        return value


@dataclass(frozen=True)
class Flag:
    code: str
    label: Any
    reason: Any  # a lazy format string filled with the check's values
    check: Callable
    order: int = 100

    def reason_for(self, params):
        try:
            return str(self.reason % params)
        except (KeyError, TypeError, ValueError):
            return str(self.label)


COLUMNS: dict[str, Column] = {}
FLAGS: dict[str, Flag] = {}


def register_column(key, label, display, *, sort=None, loader=None, order=100, help=""):
    COLUMNS[key] = Column(key, label, display, sort, loader, order, help)
    return COLUMNS[key]


def register_flag(code, label, reason, check, *, order=100):
    FLAGS[code] = Flag(code, label, reason, check, order)
    return FLAGS[code]


def columns():
    return sorted(COLUMNS.values(), key=lambda c: (c.order, c.key))


def flags():
    return sorted(FLAGS.values(), key=lambda f: (f.order, f.code))


@dataclass
class Row:
    """One community on the dashboard: the community (with its lead and survey follow-up), its
    stored figures, and what the columns' loaders found for it."""

    community: Any
    figures: Any
    extra: dict = field(default_factory=dict)

    @property
    def flags(self):
        """[(flag, reason in words)] of the stored flags still registered."""
        out = []
        for item in self.figures.flags:
            flag = FLAGS.get(item.get("code"))
            if flag is not None:
                out.append((flag, flag.reason_for(item.get("params") or {})))
        return out


# --- Helpers for the columns ---------------------------------------------------------------------


def format_date(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "SHORT_DATE_FORMAT")


def days_since(value, today=None):
    if value is None:
        return None
    today = today or timezone.localdate()
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return (today - value).days


def _age(value):
    days = days_since(value)
    if days is None:
        return str(_("never"))
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


def _age_sort(value):
    days = days_since(value)
    return 10**6 if days is None else days


def _survey_display(row):
    follow_up = getattr(row.community, "survey_follow_up", None)
    if follow_up is None:
        return ""
    text = follow_up.get_expectations_state_display()
    if follow_up.last_response_rate is not None:
        text += f" · {round(follow_up.last_response_rate * 100)} %"
    return text


def _survey_sort(row):
    follow_up = getattr(row.community, "survey_follow_up", None)
    if follow_up is None or follow_up.last_response_rate is None:
        return -1
    return follow_up.last_response_rate


def _health_display(row):
    from cercles.communities.models import HealthDecision

    decision = row.figures.health_decision
    if not decision:
        return ""
    labels = {
        HealthDecision.CONTINUE: _("Continue"),
        HealthDecision.EVOLVE: _("Evolve"),
        HealthDecision.DISSOLVE: _("Dissolve"),
    }
    return f"{labels.get(decision, decision)} ({format_date(row.figures.health_review_at)})"


def _members_display(row):
    c = row.community
    return f"{c.member_count} / {c.target_size_min}–{c.target_size_max}"


def _overdue_display(row):
    f = row.figures
    return f"{f.overdue_milestones} / {f.overdue_tasks}"


def _mentor_display(row):
    if row.figures.mentors:
        return ", ".join(row.figures.mentors)
    if row.figures.needs_without_mentor:
        return str(_("needed, none yet"))
    return str(_("no"))


def _register_columns():
    register_column(
        "title",
        _("Community"),
        lambda r: r.community.title,
        order=10,
        sort=lambda r: r.community.title.casefold(),
    )
    register_column("state", _("State"), lambda r: r.community.get_state_display(), order=20)
    register_column("season", _("Season"), lambda r: r.figures.season, order=30)
    register_column("lead", _("Lead"), lambda r: r.community.lead.name, order=40)
    register_column("co_lead", _("Co-lead"), lambda r: ", ".join(r.figures.co_leads), order=50)
    register_column(
        "members",
        _("Members / target"),
        _members_display,
        order=60,
        sort=lambda r: r.community.member_count,
    )
    register_column(
        "activity_30",
        _("Activity 30 d"),
        lambda r: r.figures.activity(30),
        order=70,
        help=_("Posts, meetings held, notes and updates in 30 days"),
    )
    register_column(
        "activity_90",
        _("Activity 90 d"),
        lambda r: r.figures.activity(90),
        order=80,
        help=_("Posts, meetings held, notes and updates in 90 days"),
    )
    register_column(
        "last_meeting",
        _("Last meeting"),
        lambda r: format_date(r.figures.last_meeting_at),
        sort=lambda r: _age_sort(r.figures.last_meeting_at),
        order=90,
    )
    register_column(
        "next_meeting",
        _("Next meeting"),
        lambda r: format_date(r.figures.next_meeting_at),
        sort=lambda r: (
            r.figures.next_meeting_at.timestamp() if r.figures.next_meeting_at else 10**12
        ),
        order=100,
    )
    register_column(
        "overdue",
        _("Overdue milestones / tasks"),
        _overdue_display,
        order=110,
        sort=lambda r: (r.figures.overdue_milestones, r.figures.overdue_tasks),
    )
    register_column(
        "last_update",
        _("Last progress update"),
        lambda r: _age(r.figures.last_update_at),
        sort=lambda r: _age_sort(r.figures.last_update_at),
        order=120,
    )
    register_column(
        "next_steps",
        _("Next steps updated"),
        lambda r: _age(r.community.next_steps_updated_at),
        sort=lambda r: _age_sort(r.community.next_steps_updated_at),
        order=130,
    )
    register_column(
        "survey",
        _("Expectations survey"),
        _survey_display,
        sort=_survey_sort,
        order=140,
        help=_("State of the survey and response rate of the last one"),
    )
    register_column("health", _("Latest health review"), _health_display, order=150)
    register_column(
        "mentor", _("Mentor"), _mentor_display, order=160, sort=lambda r: len(r.figures.mentors)
    )
    register_column("flags", _("Flags"), lambda r: " · ".join(reason for _f, reason in r.flags),
                    sort=lambda r: r.figures.flag_count, order=15)  # fmt: skip


# --- The flags -----------------------------------------------------------------------------------


def _running(community):
    return community.state in RUNNING


def _since_start(community, value):
    """The date from which a silence is counted: the last event, or the community's start."""
    return value or community.created_at


def check_no_activity(community, figures, thresholds, today):
    if not _running(community):
        return None
    days = days_since(_since_start(community, figures.last_activity_at), today)
    if days is not None and days >= thresholds.inactivity_days:
        return {"days": days}
    return None


def check_no_meeting(community, figures, thresholds, today):
    if not _running(community):
        return None
    days = days_since(_since_start(community, figures.last_meeting_at), today)
    if days is not None and days >= thresholds.meeting_gap_days:
        return {"days": days}
    return None


def check_overdue_milestones(community, figures, thresholds, today):
    if _running(community) and figures.overdue_milestones:
        return {"count": figures.overdue_milestones}
    return None


def check_no_co_lead(community, figures, thresholds, today):
    if _running(community) and not figures.co_leads:
        return {}
    return None


def check_below_target(community, figures, thresholds, today):
    if _running(community) and community.member_count < community.target_size_min:
        return {"count": community.member_count, "target": community.target_size_min}
    return None


def check_above_target(community, figures, thresholds, today):
    if _running(community) and community.member_count > community.target_size_max:
        return {"count": community.member_count, "target": community.target_size_max}
    return None


def check_next_steps(community, figures, thresholds, today):
    if not _running(community):
        return None
    days = days_since(_since_start(community, community.next_steps_updated_at), today)
    if days is not None and days >= thresholds.next_steps_days:
        return {"days": days}
    return None


def _survey_state(community):
    follow_up = getattr(community, "survey_follow_up", None)
    return follow_up.expectations_state if follow_up is not None else ""


def check_survey_overdue(community, figures, thresholds, today):
    return {} if _survey_state(community) == "overdue" else None


def check_survey_skipped(community, figures, thresholds, today):
    return {} if _survey_state(community) == "skipped" else None


def check_review_waiting(community, figures, thresholds, today):
    if community.state != State.IN_REVIEW or community.submitted_at is None:
        return None
    days = days_since(community.submitted_at, today)
    if days >= thresholds.review_wait_days:
        return {"days": days}
    return None


def check_support_without_mentor(community, figures, thresholds, today):
    if figures.needs_without_mentor:
        return {"count": figures.needs_without_mentor}
    return None


def _register_flags():
    register_flag(
        "no_activity",
        _("No activity"),
        ngettext_lazy(
            "No post, meeting, note or update for %(days)s day.",
            "No post, meeting, note or update for %(days)s days.",
            "days",
        ),
        check_no_activity,
        order=10,
    )
    register_flag(
        "no_meeting",
        _("No meeting"),
        ngettext_lazy(
            "No meeting held for %(days)s day.", "No meeting held for %(days)s days.", "days"
        ),
        check_no_meeting,
        order=20,
    )
    register_flag(
        "overdue_milestones",
        _("Overdue milestones"),
        ngettext_lazy(
            "%(count)s milestone past its date and not reached.",
            "%(count)s milestones past their date and not reached.",
            "count",
        ),
        check_overdue_milestones,
        order=30,
    )
    register_flag(
        "no_co_lead",
        _("No co-lead"),
        _("The lead carries the community alone."),
        check_no_co_lead,
        order=40,
    )
    register_flag(
        "below_target",
        _("Below the target"),
        ngettext_lazy(
            "%(count)s member, fewer than the %(target)s aimed at.",
            "%(count)s members, fewer than the %(target)s aimed at.",
            "count",
        ),
        check_below_target,
        order=50,
    )
    register_flag(
        "above_target",
        _("Above the target"),
        _("%(count)s members, more than the %(target)s aimed at."),
        check_above_target,
        order=60,
    )
    register_flag(
        "next_steps_stale",
        _("Next steps not updated"),
        ngettext_lazy(
            "The lead's next steps have not changed for %(days)s day.",
            "The lead's next steps have not changed for %(days)s days.",
            "days",
        ),
        check_next_steps,
        order=70,
    )
    register_flag(
        "survey_overdue",
        _("Expectations survey overdue"),
        _("The expectations survey should have opened by now."),
        check_survey_overdue,
        order=80,
    )
    register_flag(
        "survey_skipped",
        _("Expectations survey skipped"),
        _("The last expectations survey was skipped."),
        check_survey_skipped,
        order=85,
    )
    register_flag(
        "review_waiting",
        _("Review waiting"),
        ngettext_lazy(
            "The framing has waited %(days)s day for the coordinators' review.",
            "The framing has waited %(days)s days for the coordinators' review.",
            "days",
        ),
        check_review_waiting,
        order=90,
    )
    register_flag("support_without_mentor", _("Support requested, no mentor"),
                  ngettext_lazy("%(count)s support need with no mentor assigned.",
                                "%(count)s support needs with no mentor assigned.", "count"),
                  check_support_without_mentor, order=100)  # fmt: skip


_register_columns()
_register_flags()
