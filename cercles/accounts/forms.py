from functools import lru_cache

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cercles.core.timezones import TimeZoneField, time_zone_choices
from cercles.core.widgets import LongSelect
from cercles.taxonomy.choices import ObjectiveType
from cercles.taxonomy.models import Skill, Theme

from .avatars import reencode_avatar
from .languages import SPOKEN_LANGUAGES
from .models import TokenScope, User


class SignupForm(forms.Form):
    """Extra field of allauth's sign-up form: the name other members will see."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("As other members of the network will see it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["display_name", "email", "password1", "password2", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = TimeZoneField(
            initial=settings.TIME_ZONE,
            from_browser=True,
            help_text=_("Meetings are shown to you at this zone's time."),
        )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"].strip()
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        user.timezone = self.cleaned_data.get("timezone") or settings.TIME_ZONE
        user.save(update_fields=["display_name", "language", "timezone"])


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class ProfileForm(forms.ModelForm):
    themes = ThemeChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills_text = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=600,
        help_text=_("Separate skills with commas, e.g. facilitation, water management."),
    )
    spoken_languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sought_objectives = forms.MultipleChoiceField(
        label=_("What I look for in a community"),
        choices=ObjectiveType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Used to recommend communities to you."),
    )
    avatar_upload = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("A JPEG, PNG, GIF or WebP picture of at most 2 MB."),
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    class Meta:
        model = User
        fields = [
            "display_name", "organisation", "job_title", "country", "region", "themes",
            "spoken_languages", "sought_objectives", "bio", "looking_for", "language", "timezone",
        ]  # fmt: skip
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "looking_for": forms.Textarea(attrs={"rows": 3}),
            # 250 countries and 600 time zones: written out without a template per option.
            "country": LongSelect,
            "timezone": LongSelect,
        }
        help_texts = {"bio": _("Markdown is allowed: **bold**, *italics*, [links](https://…).")}

    field_order = [
        "display_name", "organisation", "job_title", "country", "region", "themes",
        "skills_text", "sought_objectives", "spoken_languages", "bio", "looking_for",
        "avatar_upload",
        "remove_avatar", "language", "timezone",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        current = self.instance.themes.all() if self.instance.pk else Theme.objects.none()
        self.fields["themes"].queryset = (Theme.objects.active() | current).distinct()
        if self.instance.pk and not self.is_bound:
            self.initial["skills_text"] = ", ".join(s.name for s in self.instance.skills.all())
        self.skill_suggestions = Skill.objects.order_by("name")[:40]
        # The person's country's zones first; obsolete aliases left out.
        self.fields["timezone"].choices = time_zone_choices(
            self.instance.country, self.instance.timezone
        )

    def clean_skills_text(self):
        names = [n.strip() for n in self.cleaned_data["skills_text"].split(",") if n.strip()]
        if len(names) > 20:
            raise forms.ValidationError(_("Keep to at most 20 skills."))
        if any(len(n) > 60 for n in names):
            raise forms.ValidationError(_("Each skill must be at most 60 characters long."))
        return names

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        return reencode_avatar(upload) if upload else None

    def service_arguments(self):
        data = dict(self.cleaned_data)
        return {
            "themes": data.pop("themes"),
            "skill_names": data.pop("skills_text"),
            "new_avatar": data.pop("avatar_upload"),
            "remove_avatar": data.pop("remove_avatar"),
            **data,
        }


class GrantCoordinatorForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the member"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("No member of the network has this email address."))
        self.person = person
        return email


def country_choices():
    """Every country, sorted by its name in the active language: sorted once per language and
    process rather than on each page (250 names, with the locale's collation)."""
    return _country_choices(translation.get_language())


@lru_cache(maxsize=8)
def _country_choices(language):
    return [(code, str(name)) for code, name in countries]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, organisation or skill"), required=False, max_length=100)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.active(), required=False, to_field_name="slug"
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LongSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *country_choices()]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=80,
        help_text=_("What it is for, e.g. “Website of the network”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        initial=90,
        choices=[
            (7, _("7 days")),
            (30, _("30 days")),
            (90, _("90 days")),
            (365, _("1 year")),
        ],
    )


class DeleteMyAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account will be deleted for good."), required=True
    )


class DeleteAccountForm(forms.Form):
    reason = forms.CharField(
        label=_("Who asked for the deletion, and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log, e.g. “Request by email of 3 March from the person”."),
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    person = forms.CharField(
        label=_("Done by"), required=False, max_length=100, help_text=_("Name or email address.")
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    address = forms.GenericIPAddressField(label=_("From the address"), required=False)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Every sensitive action")), *actions]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date comes before the start date."))
        return cleaned
