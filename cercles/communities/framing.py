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
        "dates": " · ".join(
            part
            for part in (
                f"{_date(community.start_date) or '…'} → {_date(community.end_date) or '…'}"
                if community.start_date or community.end_date
                else "",
                _("Open-ended (no planned end)") if community.open_ended else "",
            )
            if part
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


def readable_snapshot(snapshot):
    """A frozen version as its reader reads it: typed text as written, but dates in the reader's
    format and the labels the platform wrote (kind, visibility, objectives, productions,
    themes, territories) in the interface language. The stored snapshot stays in the network's
    language, so that versions compare field by field."""
    from cercles.core.words import localise_iso_dates
    from cercles.taxonomy.models import Territory, Theme

    labels = _labels_from_default_language(translation.get_language())
    readable = {}
    for key, value in snapshot.items():
        if not isinstance(value, str) or not value:
            readable[key] = value
            continue
        if key in ("kind", "visibility", "objective_types", "expected_productions"):
            value = "\n".join(labels.get(line, line) for line in value.split("\n"))
        elif key in ("themes", "territories"):
            model = Theme if key == "themes" else Territory
            names = {
                item.name_fr: item.name
                for item in model.objects.filter(name_fr__in=value.split("\n"))
            }
            value = "\n".join(names.get(line, line) for line in value.split("\n"))
        elif key in ("dates", "milestones"):
            value = localise_iso_dates(value)
            if key == "dates":
                for french, current in labels.items():
                    value = value.replace(french, current)
        readable[key] = value
    return readable


def _labels_from_default_language(language):
    """{label as written in the network's language: label in `language`} for the choices a
    snapshot writes out."""
    choices = [
        *Kind.choices, *Visibility.choices, *ObjectiveType.choices, *ProductionKind.choices,
    ]  # fmt: skip
    with translation.override(settings.LANGUAGE_CODE):
        written = [str(label) for _value, label in choices]
        written.append(_("Open-ended (no planned end)"))
    with translation.override(language):
        shown = [str(label) for _value, label in choices]
        shown.append(_("Open-ended (no planned end)"))
    return {w: s for w, s in zip(written, shown, strict=True) if w != s}


def framing_problems(community):
    """What prevents submitting the framing: a list of (field, message); empty when complete.

    Only the problem, the positioning, the purpose and the lead are required (with a title and a
    kind): seed 000 asks to "not overload the lead". The rest is recommended (see
    `framing_recommendations`) and weighed by the coordinators, never blocking; contradictions
    (sizes, dates) still are.
    """
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
    problems.extend(size_problems(community.target_size_min, community.target_size_max))
    problems.extend(date_problems(community.start_date, community.end_date))
    problems.extend(
        open_end_problems(community.open_ended, community.end_date, community.duration_months)
    )
    for milestone in (m for m in community.milestones.all() if not m.done):
        problems.extend(
            ("milestones", message)
            for message in milestone_problems(milestone.due_date, community.end_date)
        )
    return problems


# What the framing may still lack, and why it helps: key → (what is missing, why it helps).
RECOMMENDATIONS = {
    "milestones": (
        gettext_lazy("No milestone yet."),
        gettext_lazy(
            "Milestones mark out the way to the result and let the lead recall the next steps; "
            "seed 000 asks for them “if possible”."
        ),
    ),
    "end": (
        gettext_lazy("No planned end date or duration."),
        gettext_lazy(
            "A determined lifetime helps members commit and lets the community end on a positive "
            "note. You may also say it is open-ended."
        ),
    ),
    "themes": (
        gettext_lazy("No theme chosen."),
        gettext_lazy(
            "Themes let practitioners find the community in the catalogue and in their "
            "recommendations."
        ),
    ),
    "territories": (
        gettext_lazy("A territorial community without a territory."),
        gettext_lazy("Naming the territory tells its practitioners the community is theirs."),
    ),
    "objective_types": (
        gettext_lazy("No objective type chosen."),
        gettext_lazy("They tell members what kind of commitment to expect."),
    ),
    "expected_production_kinds": (
        gettext_lazy("No expected production."),
        gettext_lazy("What the community will deliver is what the network gains from it."),
    ),
}


def framing_recommendations(community):
    """Recommended parts the framing still lacks: [(key, label, what is missing, why it helps)].

    Shown in the framing editor and in the coordinators' review; never blocks a submission.
    """
    missing = []
    if not community.milestones.exists():
        missing.append("milestones")
    if not (community.end_date or community.duration_months or community.open_ended):
        missing.append("end")
    if not community.themes.exists():
        missing.append("themes")
    if community.kind == Kind.TERRITORIAL and not community.territories.exists():
        missing.append("territories")
    if not community.objective_types:
        missing.append("objective_types")
    if not community.expected_production_kinds:
        missing.append("expected_production_kinds")
    labels = {
        "end": _("Planned end or duration"),
        "expected_production_kinds": SNAPSHOT_FIELDS["expected_productions"],
    }
    return [
        (key, labels.get(key) or SNAPSHOT_FIELDS[key], *RECOMMENDATIONS[key]) for key in missing
    ]


def open_end_problems(open_ended, end_date, duration_months):
    if open_ended and (end_date or duration_months):
        return [
            (
                "open_ended",
                _(
                    "An open-ended community has no planned end: clear the end date and the "
                    "duration, or untick “open-ended”."
                ),
            )
        ]
    return []


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
