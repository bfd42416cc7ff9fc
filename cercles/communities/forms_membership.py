from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cercles.accounts.models import User
from cercles.core.timezones import TimeZoneField

from .models import Invitation, Involvement, Role
from .services import ASSIGNABLE_ROLES

INVOLVEMENT_HELP = _(
    "Active contributors join the inner circle, which meets regularly; occasional contributors "
    "and observers join the outer circle, which follows the community and may take part. You "
    "can change this at any time."
)


class InvolvementForm(forms.Form):
    """What a person expects from a community and how involved they want to be (seed 000)."""

    objective = forms.CharField(
        label=_("What do you expect from this community?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For instance: learn from other water committees, share our guide…"),
    )
    involvement = forms.ChoiceField(
        label=_("How involved do you want to be?"),
        choices=Involvement.choices,
        initial=Involvement.OCCASIONAL,
        widget=forms.RadioSelect,
        help_text=INVOLVEMENT_HELP,
    )


class JoinForm(InvolvementForm):
    message = forms.CharField(
        label=_("Message to the lead"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The lead reads it before answering your request."),
    )

    def __init__(self, *args, needs_approval=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_approval:
            del self.fields["message"]


class AnswerRequestForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    message = forms.CharField(
        label=_("Message to the person"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[])

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = self.choices_for(current)
        self.fields["role"].initial = current

    @staticmethod
    def choices_for(current):
        """The roles a lead may give, with a present role that cannot be given (co-lead) shown
        first as the selected, invalid, choice so that the list reads right."""
        labels = dict(Role.choices)
        choices = [(role, labels[role]) for role in ASSIGNABLE_ROLES]
        if current and current not in ASSIGNABLE_ROLES:
            choices.insert(0, ("", labels[current]))
        return choices


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person receives it with the notification of their removal."),
    )


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you leaving? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the lead and co-lead read it; it helps them improve the community."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    purpose = forms.ChoiceField(
        label=_("Invite to"), choices=Invitation.Purpose.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, purposes=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Invitation.Purpose.choices)
        self.fields["purpose"].choices = [(p, labels[p]) for p in purposes]
        if len(purposes) == 1:
            self.fields["purpose"].initial = purposes[0]
        self.fields["purpose"].help_text = _(
            "A co-lead must already have an account on the network; anyone may be invited to join."
        )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class HandOverForm(forms.Form):
    new_lead = MemberChoiceField(
        label=_("New lead"),
        queryset=User.objects.none(),
        help_text=_("You stay in the community as co-lead."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_lead"].queryset = members


class TimeZoneMixin:
    """The person's time zone, asked on an invitation: the browser's by default, said so."""

    def add_time_zone(self, person):
        self.fields["timezone"] = TimeZoneField(
            country=person.country,
            current=person.timezone,
            initial=person.timezone,
            from_browser=True,
            # A zone other than the network's default was chosen already: the browser's does
            # not replace it.
            chosen=person.timezone != settings.TIME_ZONE,
            help_text=_("Meetings are shown to you at this zone's time."),
        )


class InvitationAnswerForm(TimeZoneMixin, InvolvementForm):
    """Accept or decline (the button pressed); joining also asks objective and involvement."""

    def __init__(self, *args, for_member=True, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:
            self.add_time_zone(person)
        if for_member:
            self.fields["involvement"].required = False
            self.fields["objective"].required = False
            self.fields["objective"].help_text = _("Needed to accept.")
        else:
            del self.fields["objective"]
            del self.fields["involvement"]

    def clean(self):
        cleaned = super().clean()
        cleaned["accept"] = self.data.get("decision") == "accept"
        if cleaned["accept"] and "objective" in self.fields and not cleaned.get("objective"):
            self.add_error("objective", _("Tell the community what you expect from it."))
        return cleaned


class WelcomeForm(TimeZoneMixin, InvolvementForm):
    """After an invitation accepted by confirming one's address: what the joining form asks."""

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_time_zone(person)


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("List of people (CSV or Excel)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        help_text=_(
            "First line: the names of the columns. Needed: email. Optional: name, organisation, "
            "objective, involvement (active, occasional or observer). Comma or semicolon, UTF-8 "
            "or Latin-1; at most 2,000 lines."
        ),
    )
    message = forms.CharField(
        label=_("Message to the people invited"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
