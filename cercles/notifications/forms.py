import datetime

from django import forms
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .kinds import Level, all_groups, kinds_of
from .sections import DIGEST_SECTIONS

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
AUTOMATIC = pgettext_lazy("notification channel", "Automatic, according to my role")


def groups_shown():
    """Groups with something in them: kinds, digest sections, or a mailing."""
    with_sections = {section.group for section in DIGEST_SECTIONS.values()}
    return [
        group
        for group in all_groups()
        if group.mailing or kinds_of(group.key) or group.key in with_sections
    ]


class SettingsForm(forms.Form):
    """The settings page: a channel per group, a level per community, the time of the digests."""

    hour = forms.TypedChoiceField(label=_("Time of my digests"), coerce=int)
    weekday = forms.TypedChoiceField(
        label=_("Day of my weekly digest"), coerce=int, choices=WEEKDAYS
    )

    def __init__(self, *args, current, places, levels, schedule, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hour"].choices = [
            (hour, time_format(datetime.time(hour), "TIME_FORMAT")) for hour in range(24)
        ]
        self.fields["hour"].initial = schedule.hour
        self.fields["weekday"].initial = schedule.weekday
        self.group_names = {}
        for group in groups_shown():
            name = f"group__{group.key}"
            self.group_names[name] = group
            if group.mailing:
                choices = group.choices
                initial = current.get(group.key) or group.default_for("")
            else:
                choices = [("", AUTOMATIC), *group.choices]
                initial = current.get(group.key, "")
            self.fields[name] = forms.ChoiceField(
                label=group.label,
                choices=choices,
                initial=initial,
                required=False,
                help_text=group.description,
            )
            self.fields[name].defaults = [] if group.mailing else group.defaults_by_delivery()
        self.community_names = {}
        for place in places:
            name = f"community__{place.id}"
            self.community_names[name] = place
            self.fields[name] = forms.ChoiceField(
                label=place.title,
                choices=Level.choices,
                initial=levels.get(place.id, Level.ALL),
            )

    def group_fields(self):
        return [self[name] for name in self.group_names]

    def community_fields(self):
        return [self[name] for name in self.community_names]

    def deliveries(self):
        """{group: delivery}, "" where the defaults apply (a mailing left at its default too)."""
        chosen = {}
        for name, group in self.group_names.items():
            value = self.cleaned_data.get(name) or ""
            if group.mailing and value == group.default_for(""):
                value = ""
            chosen[group.key] = value
        return chosen

    def levels(self):
        return {place.id: self.cleaned_data[name] for name, place in self.community_names.items()}
