from django import forms
from django.utils.translation import gettext_lazy as _

from cercles.communities.models import Involvement

from .models import (
    SCALE_MAX,
    SCALE_MIN,
    NeedStatus,
    Question,
    QuestionKind,
    ResultsAudience,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEEDS_AN_ANSWER = {"required": _("This question needs an answer.")}


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you ask, and what you will do with the answers."),
    )
    opens_on = forms.DateField(label=_("Opening date"), widget=DATE)
    closes_on = forms.DateField(
        label=_("Closing date"), widget=DATE, help_text=_("Answers are taken until this day.")
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous: nobody, not even the lead, can tell who gave which answer"),
        required=False,
    )
    results_audience = forms.ChoiceField(
        label=_("Who sees the results"),
        choices=ResultsAudience.choices,
        widget=forms.RadioSelect,
        initial=ResultsAudience.MEMBERS,
    )

    def clean(self):
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on <= opens_on:
            self.add_error("closes_on", _("The survey must close after it opens."))
        return data


class ExpectationsDateForm(forms.Form):
    opens_on = forms.DateField(
        label=_("Opening date"),
        widget=DATE,
        help_text=_("It stays open 21 days; the date may move up to 30 days around the due date."),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Kind of answer"), choices=QuestionKind.choices, initial="scale"
    )
    required = forms.BooleanField(label=_("Answer required"), required=False)
    choices = forms.CharField(
        label=_("Choices, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For single and multiple choice questions."),
    )
    scale_low_label = forms.CharField(
        label=_("Label of 1"),
        max_length=60,
        required=False,
        help_text=_("For scales, e.g. “not at all”."),
    )
    scale_high_label = forms.CharField(
        label=_("Label of 5"),
        max_length=60,
        required=False,
        help_text=_("For scales, e.g. “completely”."),
    )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        lines = [line.strip() for line in data.get("choices", "").splitlines() if line.strip()]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(lines) < 2:
                self.add_error("choices", _("Give at least two choices, one per line."))
            elif len({line.lower() for line in lines}) != len(lines):
                self.add_error("choices", _("Each choice must be different."))
            elif any(len(line) > 200 for line in lines):
                self.add_error("choices", _("Keep each choice under 200 characters."))
            elif len(lines) > MAX_CHOICES:
                self.add_error(
                    "choices",
                    _("A question has at most %(max)d choices.") % {"max": MAX_CHOICES},
                )
        data["choice_lines"] = lines
        return data

    def question(self, model=Question):
        data = self.cleaned_data
        kind = data["kind"]
        has_choices = kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
        scale = kind == QuestionKind.SCALE
        return model(
            text=data["text"].strip(),
            kind=kind,
            required=data["required"],
            choices=[[str(i), line] for i, line in enumerate(data["choice_lines"], 1)]
            if has_choices
            else [],
            scale_low_label=data["scale_low_label"].strip() if scale else "",
            scale_high_label=data["scale_high_label"].strip() if scale else "",
        )

    @classmethod
    def initial_from(cls, question):
        return {
            "text": question.text,
            "kind": question.kind,
            "required": question.required,
            "choices": "\n".join(label for _value, label in question.choices),
            "scale_low_label": question.scale_low_label,
            "scale_high_label": question.scale_high_label,
        }


# A question's choices have a ceiling, as the questions of a survey do (the formset's max_num).
MAX_CHOICES = 30


class BaseQuestionFormSet(forms.BaseFormSet):
    def questions(self, model=Question):
        return [
            form.question(model)
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]


QuestionFormSet = forms.formset_factory(
    QuestionForm,
    formset=BaseQuestionFormSet,
    extra=2,
    can_delete=True,
    max_num=40,
    validate_max=True,
)


def field_name(question):
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One field per question, named after it."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[field_name(question)] = self._field(question)

    def _field(self, question):
        common = {
            "label": question.wording,
            "required": question.required,
            "help_text": question.help_text,
            "error_messages": NEEDS_AN_ANSWER,
        }
        if question.kind == QuestionKind.SCALE:
            choices = [(str(n), str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]
            if question.low_label:
                choices[0] = ("1", f"1 — {question.low_label}")
            if question.high_label:
                choices[-1] = (str(SCALE_MAX), f"{SCALE_MAX} — {question.high_label}")
            return forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, **common
            )
        if question.kind == QuestionKind.SINGLE:
            return forms.ChoiceField(
                choices=question.labelled_choices(), widget=forms.RadioSelect, **common
            )
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=question.labelled_choices(), widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)

    def answers(self):
        """{question id: value} as the answering service takes them."""
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}

    def add_service_errors(self, errors):
        for question_pk, messages in errors.items():
            name = f"q{question_pk}"
            self.add_error(name if name in self.fields else None, messages)


class InvolvementForm(forms.Form):
    involvement = forms.ChoiceField(choices=Involvement.choices)


class SkipForm(forms.Form):
    reason = forms.CharField(
        label=_("Why skip it? The coordinators will read it."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NeedForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What to do with it"),
        choices=[c for c in NeedStatus.choices if c[0] != NeedStatus.NEW],
        widget=forms.RadioSelect,
    )
    milestone_date = forms.DateField(
        label=_("Date of the milestone"),
        required=False,
        widget=DATE,
        help_text=_("For a milestone."),
    )
    note = forms.CharField(
        label=_("A word about it"),
        max_length=300,
        required=False,
        help_text=_("Required to set it aside."),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == NeedStatus.MILESTONE and not data.get("milestone_date"):
            self.add_error("milestone_date", _("Give the milestone a date."))
        if data.get("status") == NeedStatus.SET_ASIDE and not data.get("note", "").strip():
            self.add_error("note", _("Say in a word why it is set aside."))
        return data


class TemplateWordingForm(forms.Form):
    """The wording of one of the template's fixed questions (blank keeps the default)."""

    text = forms.CharField(label=_("Wording"), max_length=300, required=False)
    help_text = forms.CharField(label=_("Explanation"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Answer required"), required=False)
