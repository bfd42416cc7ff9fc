import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from cercles.core.timezones import time_zone_choices
from cercles.core.widgets import LongSelect

from .models import Answer, Meeting, MeetingKind

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class WallClockField(forms.DateTimeField):
    """A date and time as read on a clock, without a zone: the form applies the meeting's own
    zone, not the zone of the person filling the form in."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    input_formats = [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None)
        try:
            result = parse_datetime(value.strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if result is None:
            result = BaseTemporalField.to_python(self, value)
        return result.replace(tzinfo=None)

    def prepare_value(self, value):
        return value


class WebAddressField(forms.URLField):
    """A web address: http or https only (no ftp:, no javascript:)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


def wall_clock(moment, zone):
    """An aware datetime as the naive time shown on a clock in `zone`."""
    return moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)


class MeetingForm(forms.ModelForm):
    starts_at = WallClockField(label=_("Starts"))
    ends_at = WallClockField(label=_("Ends"))
    online_url = WebAddressField(
        label=_("Link to join online"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("An address starting with https:// (video call, room booking…)."),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "ends_at", "time_zone", "place", "online_url",
                  "agenda"]  # fmt: skip
        help_texts = {
            "time_zone": _("The zone of the times above; everyone sees the meeting in their own."),
            "place": _("Address or room, for a meeting in person."),
            "agenda": _("Markdown: **bold**, *italics*, lists with -, links."),
        }
        widgets = {"agenda": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, creating, **kwargs):
        self.creating = creating
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {}).update(
                starts_at=wall_clock(instance.starts_at, instance.tzinfo),
                ends_at=wall_clock(instance.ends_at, instance.tzinfo),
            )
        super().__init__(*args, **kwargs)
        self.fields["place"].required = False
        # Readable zones with their offsets, obsolete aliases left out; the one in use kept.
        self.fields["time_zone"].widget = LongSelect()
        self.fields["time_zone"].choices = time_zone_choices(
            current=self.initial.get("time_zone") or (instance.time_zone if instance else "")
        )
        if creating:
            SeriesFieldsMixin.add_series_fields(self)

    def _aware(self, name, zone):
        value = self.cleaned_data.get(name)
        return timezone.make_aware(value, zone) if value else None

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("time_zone")
        if not name:
            return cleaned
        zone = zoneinfo.ZoneInfo(name)
        starts_at, ends_at = self._aware("starts_at", zone), self._aware("ends_at", zone)
        if starts_at:
            cleaned["starts_at"] = starts_at
            if self.creating and starts_at <= timezone.now():
                self.add_error("starts_at", _("This date and time are already past."))
        if ends_at:
            cleaned["ends_at"] = ends_at
            if starts_at and ends_at <= starts_at:
                self.add_error("ends_at", _("The meeting must end after it starts."))
        no_place = not cleaned.get("place", "").strip() and not cleaned.get("online_url")
        if no_place and "online_url" not in self.errors:
            self.add_error(None, _("Give a place, a link to join online, or both."))
        if self.creating:
            SeriesFieldsMixin.clean_series(self, cleaned)
        return cleaned

    def _post_clean(self):
        # The service validates the model (and says the same things): do not do it twice.
        pass

    def meeting_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def series_fields(self):
        """{interval_weeks, until, rotate_roles} when the meeting repeats, else None."""
        weeks = self.cleaned_data.get("repeat_every_weeks")
        if not weeks:
            return None
        return {
            "interval_weeks": weeks,
            "until": self.cleaned_data.get("repeat_until"),
            "rotate_roles": self.cleaned_data.get("rotate_roles", False),
        }


class SeriesFieldsMixin:
    """Regular meetings (issue 11): repeat every N weeks on the same weekday, until a date."""

    def add_series_fields(self):
        self.fields["repeat_every_weeks"] = forms.IntegerField(
            label=_("Repeat every … weeks"),
            required=False,
            min_value=1,
            max_value=52,
            help_text=_(
                "Leave empty for a single meeting. The meetings fall on the weekday of the first."
            ),
        )
        self.fields["repeat_until"] = forms.DateField(
            label=_("Until"),
            required=False,
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            help_text=_("The date of the last meeting (at most 200 meetings)."),
        )
        self.fields["rotate_roles"] = forms.BooleanField(
            label=_("Rotate facilitator, note-taker and time-keeper among the inner circle"),
            required=False,
            initial=True,
        )

    def clean_series(self, cleaned):
        weeks = cleaned.get("repeat_every_weeks")
        if not weeks or not cleaned.get("starts_at") or not cleaned.get("time_zone"):
            return
        from .services import series_problems

        problems = series_problems(
            cleaned["starts_at"],
            zoneinfo.ZoneInfo(cleaned["time_zone"]),
            weeks,
            cleaned.get("repeat_until"),
        )
        for field, messages in problems.items():
            self.add_error(field, messages)


class RolesForm(forms.ModelForm):
    """Who facilitates, takes notes and keeps time at one meeting."""

    class Meta:
        model = Meeting
        fields = ["facilitator", "note_taker", "time_keeper"]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].queryset = members
            self.fields[name].label_from_instance = lambda user: user.name
            self.fields[name].empty_label = _("Nobody yet")

    def _post_clean(self):
        pass  # the service checks the members


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (sent to the members, optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RSVPForm(forms.Form):
    answer = forms.ChoiceField(choices=Answer.choices)


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(user.pk, user.name) for user in members]


def _minutes_part(label, help_text, *, rows=4, max_length=5000):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class MinutesForm(forms.Form):
    topics = _minutes_part(_("Topics"), _("Which subjects and themes the community will work on."))
    expectations = _minutes_part(
        _("Expectations"), _("What the members expect from the community.")
    )
    objectives = _minutes_part(
        _("Objectives"), _("What the community commits to achieve, and by when.")
    )
    minutes = _minutes_part(
        _("Minutes"),
        _("Markdown. What was said and decided, and the next steps."),
        rows=14,
        max_length=50000,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting.kind != MeetingKind.KICK_OFF:
            for name in ("topics", "expectations", "objectives"):
                del self.fields[name]
        else:
            for name in ("topics", "expectations", "objectives"):
                self.fields[name].required = True
        self.fields["minutes"].required = meeting.kind != MeetingKind.KICK_OFF
