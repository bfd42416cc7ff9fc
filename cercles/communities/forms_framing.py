"""Forms of the framing (cadrage): proposing a community, editing its framing and inline parts."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cercles.accounts.models import User
from cercles.taxonomy.models import Territory, Theme

from .framing import date_problems, milestone_problems, open_end_problems, size_problems
from .models import (
    BudgetLine,
    Community,
    Kind,
    MembershipStatus,
    Milestone,
    ObjectiveType,
    Partnership,
    ProductionKind,
    Visibility,
)

CURRENCIES = [(code, code) for code in ("EUR", "XOF", "CAD", "USD", "MGA", "HTG", "CHF")]

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class LabelledThemeField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class ProposeForm(forms.ModelForm):
    """The first step: a title is enough, the rest can be written later in the framing editor."""

    class Meta:
        model = Community
        fields = ["title", "purpose", "problem_statement"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "problem_statement": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("You can change it later; the address of the community will not change."),
            "purpose": _("What the community will do together, in a few sentences."),
        }


REQUIRED_TO_SUBMIT = ("problem_statement", "positioning", "purpose", "kind")


class FramingForm(forms.ModelForm):
    """Every framing field of a community. Accepts an incomplete draft, refuses contradictions."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=Kind.choices, required=False, widget=forms.RadioSelect
    )
    themes = LabelledThemeField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    territories = forms.ModelMultipleChoiceField(
        label=_("Territories"),
        queryset=Territory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objective_types = forms.MultipleChoiceField(
        label=_("Objective types"),
        choices=ObjectiveType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expected_production_kinds = forms.MultipleChoiceField(
        label=_("Expected productions"),
        choices=ProductionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Community
        fields = [
            "title", "problem_statement", "positioning", "purpose", "kind", "themes",
            "territories", "objective_types", "expected_production_kinds",
            "expected_productions", "target_size_min", "target_size_max", "start_date",
            "end_date", "duration_months", "open_ended", "visibility", "requires_approval",
            "action_plan", "support_needs",
        ]  # fmt: skip
        widgets = {
            "problem_statement": forms.Textarea(attrs={"rows": 4}),
            "positioning": forms.Textarea(attrs={"rows": 4}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "expected_productions": forms.Textarea(attrs={"rows": 3}),
            "action_plan": forms.Textarea(attrs={"rows": 5}),
            "support_needs": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "target_size_min": forms.NumberInput(attrs={"min": 1}),
            "target_size_max": forms.NumberInput(attrs={"min": 1}),
            "duration_months": forms.NumberInput(attrs={"min": 1}),
        }
        help_texts = {
            "problem_statement": _("The problem the community works on, as its members see it."),
            "positioning": _("How the community relates to what already exists in the network."),
            "purpose": _("What the community will do together."),
            "expected_productions": _("In detail: titles, audiences, formats…"),
            "target_size_min": _("Below this number the community is flagged as too small."),
            "target_size_max": _("Above this number the community is flagged as too large."),
            "duration_months": _(
                "Recommended: an end date or a duration (seed 002: a community with a determined "
                "lifetime). Not needed to submit."
            ),
            "action_plan": _("Optional, now or later. Markdown is allowed."),
            "support_needs": _(
                "Optional: the accompaniment the lead and co-lead would like from the network."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        # Marked for the lead; checked at submission so that a draft can be saved incomplete.
        for name in REQUIRED_TO_SUBMIT:
            self.fields[name].label = _("%(label)s (required to submit)") % {
                "label": self.fields[name].label
            }
        current = self.instance.themes.all() if self.instance.pk else Theme.objects.none()
        self.fields["themes"].queryset = (Theme.objects.active() | current).distinct()

    def clean(self):
        data = super().clean()
        for field, message in size_problems(
            data.get("target_size_min"), data.get("target_size_max")
        ):
            self.add_error(field, message)
        for field, message in date_problems(data.get("start_date"), data.get("end_date")):
            self.add_error(field, message)
        for field, message in open_end_problems(
            data.get("open_ended"), data.get("end_date"), data.get("duration_months")
        ):
            self.add_error(field, message)
        return data


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "description", "owner", "done"]
        widgets = {"due_date": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, owners=None, owner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: user.name
        if owner_choices is not None:
            # Read once for every row of the editor rather than once per row.
            self.fields["owner"].choices = owner_choices

    def check_dates(self, end_date, today=None):
        """Add errors for a date in the past (when newly set) or after the planned end."""
        due_date = self.cleaned_data.get("due_date")
        if not due_date or self.cleaned_data.get("DELETE"):
            return
        # A milestone already planned may lie in the past now; only new dates must be ahead.
        newly_dated = self.instance.pk is None or "due_date" in self.changed_data
        today = (today or timezone.localdate()) if newly_dated else due_date
        for message in milestone_problems(due_date, end_date, today=today):
            self.add_error("due_date", message)


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["partner", "contribution"]


class BudgetLineForm(forms.ModelForm):
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES, initial="EUR")

    class Meta:
        model = BudgetLine
        fields = ["label", "amount", "currency"]
        widgets = {"amount": forms.NumberInput(attrs={"min": 0, "step": "0.01"})}

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return amount


class NextStepsForm(forms.Form):
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown is allowed. Members see it on the community's page."),
    )


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


def possible_owners(community):
    """Active members, plus the current owners so that saving never drops them."""
    return (
        User.objects.filter(
            Q(
                memberships__community=community,
                memberships__status=MembershipStatus.ACTIVE,
            )
            | Q(pk__in=community.milestones.exclude(owner=None).values("owner"))
        )
        .distinct()
        .order_by("display_name")
    )


PARTS = {
    "milestones": (Milestone, MilestoneForm),
    "partnerships": (Partnership, PartnershipForm),
    "budget_lines": (BudgetLine, BudgetLineForm),
}


# Rows of each part the editor shows: a framing holds a few milestones; a long action plan is
# edited on its own page, and 250 rows made the editor take seconds (issue 19).
EDITOR_ROWS = 40
# At most this many rows in each part (issue 19: no page grows without bound), like the action
# plan's milestones (planning.MAX_MILESTONES).
MAX_PART_ROWS = 50


class CappedPartFormSet(forms.BaseInlineFormSet):
    """A part of the framing with a ceiling, said in words rather than as a number of forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted now, in the person's language; Django's own "% {num}" then leaves it as is.
        self.error_messages["too_many_forms"] = _(
            "This part takes at most %(max)d rows: remove or group some before adding more."
        ) % {"max": MAX_PART_ROWS}


def framing_formsets(community, data=None, *, extra=1):
    """The inline parts of the framing, keyed by their prefix.

    Each shows its first EDITOR_ROWS rows; `formset.hidden_count` says how many more there are.
    """
    formsets = {}
    for prefix, (model, form) in PARTS.items():
        rows = model.objects.filter(community=community) if community.pk else model.objects.none()
        shown = list(rows.values_list("pk", flat=True)[: EDITOR_ROWS + 1])
        hidden_count = rows.count() - EDITOR_ROWS if len(shown) > EDITOR_ROWS else 0
        formset_class = forms.inlineformset_factory(
            Community,
            model,
            form=form,
            extra=extra,
            can_delete=True,
            formset=CappedPartFormSet,
            # New rows up to the ceiling; a longer list from before still saves as it is.
            max_num=max(MAX_PART_ROWS - hidden_count, len(shown[:EDITOR_ROWS])),
            validate_max=True,
        )
        kwargs = {}
        if model is Milestone:
            owners = possible_owners(community)
            choices = [("", "---------"), *((user.pk, user.name) for user in owners)]
            kwargs = {"form_kwargs": {"owners": owners, "owner_choices": choices}}
        formsets[prefix] = formset_class(
            data,
            instance=community,
            prefix=prefix,
            queryset=model.objects.filter(pk__in=shown[:EDITOR_ROWS]),
            **kwargs,
        )
        formsets[prefix].hidden_count = hidden_count
    return formsets


def validate_framing(form, formsets):
    """Validate the framing form and its parts together (milestones against the end date)."""
    valid = form.is_valid()
    for formset in formsets.values():  # every part validated, so every error is shown at once
        valid = formset.is_valid() and valid
    end_date = None if "end_date" in form.errors else form.cleaned_data.get("end_date")
    for milestone_form in formsets["milestones"].forms:
        if hasattr(milestone_form, "cleaned_data"):
            milestone_form.check_dates(end_date)
    return valid and not any(formset.total_error_count() for formset in formsets.values())
