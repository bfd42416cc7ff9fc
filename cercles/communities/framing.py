"""What a complete framing is, and its frozen text form used for versions and diffs."""

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Kind, ObjectiveType, ProductionKind, Visibility

# Field key → label, in reading order; the keys of every snapshot.
SNAPSHOT_FIELDS = {
    "title": gettext_lazy("Title"),
    "problem_statement": gettext_lazy("Problem statement"),
    "positioning": gettext_lazy("Positioning"),
    "purpose": gettext_lazy("Purpose"),
    "kind": gettext_lazy("Kind"),
    "themes": gettext_lazy("Themes"),
    "territories": gettext_lazy("Territories"),
    "objective_types": gettext_lazy("Objective types"),
    "expected_productions": gettext_lazy("Expected productions"),
    "target_size": gettext_lazy("Target size"),
    "dates": gettext_lazy("Planned start and end"),
    "duration": gettext_lazy("Planned duration (months)"),
    "visibility": gettext_lazy("Visibility"),
    "co_lead": gettext_lazy("Co-lead"),
    "milestones": gettext_lazy("Milestones"),
    "action_plan": gettext_lazy("Action plan and timeline"),
    "partnerships": gettext_lazy("Partnerships"),
    "budget": gettext_lazy("Budget"),
    "support_needs": gettext_lazy("Support needs"),
}


def _date(value):
    return value.isoformat() if value else ""


def framing_snapshot(community):
    """The framing as plain text per field, stored with each submitted version.

    Written in the network's default language whoever submits, so that two versions differ only
    where the framing changed.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _snapshot(community)


def _snapshot(community):
    co_lead = community.memberships.filter(role="co_lead", status="active").select_related("user")
    objectives = dict(ObjectiveType.choices)
    productions = dict(ProductionKind.choices)
    return {
        "title": community.title,
        "problem_statement": community.problem_statement,
        "positioning": community.positioning,
        "purpose": community.purpose,
        "kind": str(dict(Kind.choices).get(community.kind, "")),
        "themes": "\n".join(t.name_fr for t in community.themes.all()),
        "territories": "\n".join(t.name_fr for t in community.territories.all()),
        "objective_types": "\n".join(str(objectives.get(v, v)) for v in community.objective_types),
        "expected_productions": "\n".join(
            [str(productions.get(v, v)) for v in community.expected_production_kinds]
            + ([community.expected_productions] if community.expected_productions else [])
        ),
        "target_size": f"{community.target_size_min}–{community.target_size_max}",
        "dates": (
            f"{_date(community.start_date) or '…'} → {_date(community.end_date) or '…'}"
            if community.start_date or community.end_date
            else ""
        ),
        "duration": str(community.duration_months or ""),
        "visibility": str(dict(Visibility.choices).get(community.visibility, "")),
        "co_lead": "\n".join(m.user.name for m in co_lead),
        "milestones": "\n".join(
            f"{_date(m.due_date)} — {m.title}" + (f": {m.description}" if m.description else "")
            for m in community.milestones.all()
        ),
        "action_plan": community.action_plan,
        "partnerships": "\n".join(
            f"{p.partner}" + (f" — {p.contribution}" if p.contribution else "")
            for p in community.partnerships.all()
        ),
        "budget": "\n".join(
            f"{b.label}: {b.amount} {b.currency}" for b in community.budget_lines.all()
        ),
        "support_needs": community.support_needs,
    }


def framing_problems(community):
    """What prevents submitting the framing: a list of (field, message); empty when complete."""
    problems = []
    required_text = {
        "title": _("Give the community a title."),
        "problem_statement": _("State the problem the community works on."),
        "positioning": _("Describe the positioning of the community."),
        "purpose": _("Describe the purpose of the community."),
        "kind": _("Say whether the community is thematic or territorial."),
    }
    for field, message in required_text.items():
        if not str(getattr(community, field) or "").strip():
            problems.append((field, message))
    if not community.themes.exists():
        problems.append(("themes", _("Choose at least one theme.")))
    if community.kind == Kind.TERRITORIAL and not community.territories.exists():
        problems.append(("territories", _("A territorial community names its territory.")))
    if not community.objective_types:
        problems.append(("objective_types", _("Choose at least one objective type.")))
    if not community.expected_production_kinds:
        problems.append(("expected_production_kinds", _("Say what the community will produce.")))
    problems.extend(size_problems(community.target_size_min, community.target_size_max))
    problems.extend(date_problems(community.start_date, community.end_date))
    if not community.end_date and not community.duration_months:
        problems.append(("end_date", _("Set a planned end date or a duration.")))
    milestones = list(community.milestones.all())
    if not milestones:
        problems.append(("milestones", _("Plan at least one milestone.")))
    for milestone in (m for m in milestones if not m.done):
        problems.extend(
            ("milestones", message)
            for message in milestone_problems(milestone.due_date, community.end_date)
        )
    return problems


def size_problems(minimum, maximum):
    if minimum is not None and maximum is not None and minimum > maximum:
        return [("target_size_max", _("The maximum size cannot be below the minimum size."))]
    return []


def date_problems(start, end):
    if start and end and end <= start:
        return [("end_date", _("The planned end must come after the start."))]
    return []


def milestone_problems(due_date, end_date, *, today=None):
    today = today or timezone.localdate()
    problems = []
    if due_date and due_date < today:
        problems.append(
            _("The milestone date %(date)s is in the past.")
            % {"date": formats.date_format(due_date, "SHORT_DATE_FORMAT")}
        )
    if due_date and end_date and due_date > end_date:
        problems.append(
            _("The milestone date %(date)s is after the planned end.")
            % {"date": formats.date_format(due_date, "SHORT_DATE_FORMAT")}
        )
    return problems


def framing_fields(community):
    """[(label, text)] of the framing in the current language (exports)."""
    snapshot = _snapshot(community)
    return [(str(label), snapshot.get(key, "")) for key, label in SNAPSHOT_FIELDS.items()]
