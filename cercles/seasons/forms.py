"""Forms of seasons, season reviews, health reviews, closing and reopening: input checks only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cercles.communities.forms_framing import DATE_INPUT
from cercles.communities.health import CRITERIA
from cercles.communities.lifecycle import PUBLISHED_STATES
from cercles.communities.models import Community, FinalRecord, HealthDecision, Rating
from cercles.communities.services import MAX_GRACE_DAYS

from .models import ObjectiveStatus, Season
from .services import milestones_for_choice, productions_for_choice

TEXT = {"rows": 4}


class SeasonForm(forms.ModelForm):
    class Meta:
        model = Season
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    def _post_clean(self):
        # Overlaps and order are checked by the service, with the other seasons under a lock.
        pass


class NewSeasonForm(SeasonForm):
    suggestions = forms.MultipleChoiceField(
        label=_("Objectives suggested by the last review and the expectations survey"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_objectives = forms.CharField(
        label=_("Other objectives, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestion_titles = [title for _kind, title, _why in suggestions]
        self.fields["suggestions"].choices = [
            (str(index), f"{title} ({why})")
            for index, (_kind, title, why) in enumerate(suggestions)
        ]
        if not suggestions:
            del self.fields["suggestions"]

    def objective_titles(self):
        chosen = [self.suggestion_titles[int(i)] for i in self.cleaned_data.get("suggestions", [])]
        others = [line.strip() for line in self.cleaned_data["other_objectives"].splitlines()]
        return [title[:200] for title in chosen + others if title]


class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("Objective"), max_length=200)
    description = forms.CharField(
        label=_("In detail"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    milestone = forms.ModelChoiceField(
        label=_("Linked milestone"), queryset=None, required=False, empty_label=_("None")
    )
    production = forms.ModelChoiceField(
        label=_("Linked production"), queryset=None, required=False, empty_label=_("None")
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones_for_choice(community)
        self.fields["production"].queryset = productions_for_choice(community)
        invalid = _("Choose one of this community's own.")
        self.fields["milestone"].error_messages["invalid_choice"] = invalid
        self.fields["production"].error_messages["invalid_choice"] = invalid


class ObjectiveStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ObjectiveStatus.choices)


class SeasonLengthForm(forms.Form):
    season_months = forms.IntegerField(
        label=_("Length of a season (months)"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("Leave empty to run the community in one season for its whole life."),
    )


class SeasonReviewForm(forms.Form):
    achievements = forms.CharField(
        label=_("What we are proud of"),
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Shown first on the celebration page. Needed to publish."),
    )
    learnt = forms.CharField(
        label=_("What we learnt"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    keep_doing = forms.CharField(
        label=_("What we keep doing"), required=False, widget=forms.Textarea(attrs=TEXT)
    )

    def __init__(self, *args, objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = list(objectives)
        for objective in self.objectives:
            self.fields[f"objective_{objective.pk}"] = forms.ChoiceField(
                label=objective.title,
                choices=ObjectiveStatus.choices,
                initial=objective.status,
            )

    def objective_fields(self):
        return [self[f"objective_{o.pk}"] for o in self.objectives]

    def text_fields(self):
        return [self["achievements"], self["learnt"], self["keep_doing"]]

    def statuses(self):
        return {o.pk: self.cleaned_data[f"objective_{o.pk}"] for o in self.objectives}


class HealthReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Our decision"), choices=HealthDecision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Why this decision"),
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Needed to evolve or dissolve: the members and the coordinators read it."),
    )

    def __init__(self, *args, facts=None, **kwargs):
        super().__init__(*args, **kwargs)
        facts = facts or {}
        self.criteria = []
        for criterion in CRITERIA:
            fact = facts.get(criterion.key)
            rating = forms.ChoiceField(
                label=criterion.label,
                choices=Rating.choices,
                widget=forms.RadioSelect,
                help_text=criterion.help,
                initial=fact.suggestion if fact is not None and fact.suggestion else None,
                error_messages={"required": _("Rate this criterion: OK, to watch or problem.")},
            )
            comment = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"{criterion.key}_rating"] = rating
            self.fields[f"{criterion.key}_comment"] = comment
            self.criteria.append((criterion, fact))

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision and decision != HealthDecision.CONTINUE and not data.get("comment", "").strip():
            self.add_error("comment", _("Say why: the members and the coordinators will read it."))
        return data

    def rows(self):
        return [
            (criterion, fact, self[f"{criterion.key}_rating"], self[f"{criterion.key}_comment"])
            for criterion, fact in self.criteria
        ]

    def ratings(self):
        data = self.cleaned_data
        return {
            c.key: {
                "rating": data.get(f"{c.key}_rating", ""),
                "comment": data.get(f"{c.key}_comment", ""),
            }
            for c, _fact in self.criteria
        }


class FinalRecordForm(forms.ModelForm):
    legacy_items = forms.MultipleChoiceField(
        label=_("Notes, files and links kept for the network"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    legacy_productions = forms.MultipleChoiceField(
        label=_("Productions kept for the network"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FinalRecord
        fields = ["achievements", "lessons", "thanks", "continues", "continued_by", "reason"]
        widgets = {name: forms.Textarea(attrs=TEXT) for name in
                   ["achievements", "lessons", "thanks", "continues", "reason"]}  # fmt: skip
        help_texts = {
            "achievements": _("The heart of the record: what the community achieved together."),
            "reason": _("Needed to dissolve; kept in the record and sent to the members."),
        }

    def __init__(self, *args, community, items=(), productions=(), choose_legacy=True, **kwargs):
        super().__init__(*args, **kwargs)
        continued = self.fields["continued_by"]
        continued.queryset = (
            Community.objects.filter(state__in=PUBLISHED_STATES)
            .exclude(pk=community.pk)
            .order_by("title")
        )
        continued.required = False
        continued.empty_label = _("None")
        continued.help_text = _("A community of the network that carries on the work, if any.")
        if choose_legacy:
            self.fields["legacy_items"].choices = [
                (str(i.pk), f"{i.title} ({i.get_kind_display()})") for i in items
            ]
            self.fields["legacy_productions"].choices = [
                (str(p.pk), f"{p.title} ({p.get_status_display()})") for p in productions
            ]
            if not self.is_bound:
                self.initial["legacy_items"] = [str(i.pk) for i in items if i.keep_in_legacy]
                self.initial["legacy_productions"] = [
                    str(p.pk) for p in productions if p.keep_in_legacy
                ]
        else:
            del self.fields["legacy_items"], self.fields["legacy_productions"]

    def _post_clean(self):
        pass  # the service checks and saves the record

    def record_fields(self):
        data = self.cleaned_data
        fields = {name: data.get(name, "") for name in
                  ["achievements", "lessons", "thanks", "continues", "reason"]}  # fmt: skip
        fields["continued_by"] = data.get("continued_by")
        if "legacy_items" in self.fields:
            fields["legacy_items"] = [int(pk) for pk in data["legacy_items"]]
            fields["legacy_productions"] = [int(pk) for pk in data["legacy_productions"]]
        return fields


class GraceForm(forms.Form):
    archive_grace_days = forms.IntegerField(
        label=_("Archive it this many days after closing"),
        min_value=0,
        max_value=MAX_GRACE_DAYS,
        help_text=_("0 archives it at once, once its final record is written."),
    )


class ReopenForm(SeasonForm):
    reason = forms.CharField(
        label=_("Why it starts again"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
