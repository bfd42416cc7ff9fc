"""Forms of the action plan: a milestone, a task, a task's status. They validate input only."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cercles.accounts.models import User

from .forms_framing import DATE_INPUT
from .models import MembershipStatus, Milestone, Task, TaskStatus

NOT_A_MEMBER = _("Choose an active member of the community.")


def owner_choices(community, current=None):
    """Active members by name, plus the current owner so that saving never drops them."""
    people = Q(memberships__community=community, memberships__status=MembershipStatus.ACTIVE)
    if current is not None:
        people |= Q(pk=current.pk)
    return User.objects.filter(people).distinct().order_by("display_name")


class _OwnerMixin:
    def _set_owners(self, community):
        field = self.fields["owner"]
        field.queryset = owner_choices(community, self.instance.owner if self.instance else None)
        field.label_from_instance = lambda user: user.name
        field.error_messages["invalid_choice"] = NOT_A_MEMBER
        field.empty_label = _("Nobody yet")


class MilestonePlanForm(_OwnerMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "owner", "description"]
        widgets = {"due_date": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"due_date": _("Date")}
        help_texts = {"owner": _("The member who watches over this milestone is told by email.")}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_owners(community)


class TaskForm(_OwnerMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "owner", "due_date", "status"]
        widgets = {"due_date": DATE_INPUT}
        help_texts = {"owner": _("The member in charge is told by email.")}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_owners(community)


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
