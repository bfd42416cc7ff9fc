"""The coordinators' review form: checklist, comments per framing field, decision."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .framing import SNAPSHOT_FIELDS
from .models import Decision, MembershipStatus, Role

# Checklist of seed 000 (DESIGN §2 step 2): key → (question, what it means). Keys are stored in
# Review.checklist; keep them stable.
CHECKLIST = {
    "not_too_tight": (
        _("Not too tight"),
        _("The project is collective and leaves room for the members."),
    ),
    "sufficient": (
        _("Sufficient"),
        _("Members can commit to it and a realisation is reasonably likely."),
    ),
    "lead": (_("Lead identified"), _("Someone carries the community.")),
    "co_lead": (_("Co-lead present"), _("Someone shares the lead's work.")),
    "milestones": (_("Milestones present"), _("The way to the result is marked out.")),
    "size": (_("Size realistic"), _("The target size suits the purpose (usually 5 to 20).")),
    "end": (
        _("End date or season set"),
        _("The community has a determined lifetime, or is open-ended by choice."),
    ),
}

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

DECISION_COMMENT_REQUIRED = {
    Decision.REQUEST_CHANGES: _("Say what the lead should change."),
    Decision.DECLINE: _("Give the reasons for declining."),
}


def checklist_facts(community):
    """What can be checked automatically, per checklist item: (hint, pre-selected answer)."""
    co_leads = [
        m.user.name
        for m in community.memberships.filter(
            role=Role.CO_LEAD, status=MembershipStatus.ACTIVE
        ).select_related("user")
    ]
    milestones = list(community.milestones.all())
    if community.end_date:
        end = _("end date %(date)s") % {
            "date": formats.date_format(community.end_date, "SHORT_DATE_FORMAT")
        }
    elif community.duration_months:
        end = ngettext(
            "planned duration %(count)d month",
            "planned duration %(count)d months",
            community.duration_months,
        ) % {"count": community.duration_months}
    elif community.open_ended:
        end = _("open-ended by choice")
    else:
        end = _("no end date and no duration")
    if milestones:
        first = formats.date_format(milestones[0].due_date, "SHORT_DATE_FORMAT")
        milestone_hint = ngettext(
            "%(count)d milestone, on %(first)s",
            "%(count)d milestones, the first on %(first)s",
            len(milestones),
        ) % {"count": len(milestones), "first": first}
    else:
        milestone_hint = _("no milestone")
    return {
        "lead": (_("lead: %(name)s") % {"name": community.lead.name}, True),
        "co_lead": (
            _("co-lead: %(names)s") % {"names": ", ".join(co_leads)}
            if co_leads
            else _("co-lead: none"),
            bool(co_leads),
        ),
        "milestones": (milestone_hint, bool(milestones)),
        "size": (
            _("target size %(min)d–%(max)d members")
            % {"min": community.target_size_min, "max": community.target_size_max},
            None,
        ),
        # Open-ended is allowed: the coordinators weigh it, nothing is pre-selected.
        "end": (
            end,
            None if community.open_ended else bool(community.end_date or community.duration_months),
        ),
    }


class ReviewForm(forms.Form):
    """A decision on one submitted version; `versions` are the community's own versions."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Validating opens the community to members; requesting changes sends the framing back "
            "to the lead with your comments; declining ends the process."
        ),
    )
    comment = forms.CharField(
        label=_("Comment to the lead"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes or decline: what to change, or why."),
    )

    confirm_contradictions = forms.BooleanField(
        label=_("I have read these warnings and keep my answers"), required=False
    )

    def __init__(self, *args, versions, facts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = versions
        self.facts = facts = facts or {}
        self.contradictions = []
        for key, (question, meaning) in CHECKLIST.items():
            hint, answer = facts.get(key, ("", None))
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=question,
                choices=YES_NO,
                widget=forms.RadioSelect,
                help_text=(
                    _("%(meaning)s Automatic check: %(hint)s.") % {"meaning": meaning, "hint": hint}
                    if hint
                    else meaning
                ),
                initial=None if answer is None else ("yes" if answer else "no"),
            )
            self.fields[f"check_{key}_comment"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for key, label in SNAPSHOT_FIELDS.items():
            self.fields[f"field_{key}"] = forms.CharField(
                label=label,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def checklist_rows(self):
        """Per item: (question, answer field, comment field), for the template."""
        return [
            (question, self[f"check_{key}"], self[f"check_{key}_comment"])
            for key, (question, _meaning) in CHECKLIST.items()
        ]

    def field_comment_fields(self):
        return [self[f"field_{key}"] for key in SNAPSHOT_FIELDS]

    def field_comment(self, key):
        return self[f"field_{key}"]

    def error_summary(self):
        """[(field id or "", label, message)] of every error, for the list at the top."""
        summary = []
        for name, errors in self.errors.items():
            if name == "__all__" or name not in self.fields:
                summary.extend(("", "", str(error)) for error in errors)
                continue
            bound = self[name]
            radio = getattr(bound.field.widget, "input_type", "") == "radio"
            target = f"{bound.auto_id}_0" if radio else bound.auto_id
            summary.extend((target, bound.label, str(error)) for error in errors)
        return summary

    def _contradictions(self, cleaned):
        """Where the checklist goes against what the platform checked ("co-lead present: yes"
        when the community has none): said at the top, and recorded only once confirmed."""
        found = []
        for key, (hint, fact) in self.facts.items():
            if fact is None or key not in CHECKLIST:
                continue
            answer = cleaned.get(f"check_{key}")
            question = CHECKLIST[key][0]
            if answer in ("yes", "no") and (answer == "yes") != fact:
                found.append(
                    _(
                        "Checklist: “%(question)s: %(answer)s”, but the automatic check "
                        "found: %(hint)s."
                    )
                    % {
                        "question": question,
                        "answer": _("yes") if answer == "yes" else _("no"),
                        "hint": hint,
                    }
                )
        return found

    def has_field_comments(self):
        return any(self[f"field_{key}"].value() for key in SNAPSHOT_FIELDS) or any(
            self.errors.get(f"field_{key}") for key in SNAPSHOT_FIELDS
        )

    def clean_version(self):
        return self.versions.filter(pk=self.cleaned_data["version"]).first()

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision in DECISION_COMMENT_REQUIRED and not cleaned.get("comment", "").strip():
            self.add_error("comment", DECISION_COMMENT_REQUIRED[decision])
        self.contradictions = self._contradictions(cleaned)
        if self.contradictions and not cleaned.get("confirm_contradictions"):
            self.add_error(
                "confirm_contradictions",
                _("Check the warnings above, then tick this box to record the decision as it is."),
            )
        if cleaned.get("version") is None:
            # Said at the top of the form: a hidden field has no place to show its error.
            self.add_error(
                None, _("This form does not belong to this community's framing. Reload the page.")
            )
        return cleaned

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "checklist": {
                key: {"ok": data[f"check_{key}"] == "yes", "comment": data[f"check_{key}_comment"]}
                for key in CHECKLIST
            },
            "field_comments": {key: data[f"field_{key}"] for key in SNAPSHOT_FIELDS},
            "comment": data["comment"],
        }
