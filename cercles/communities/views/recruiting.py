"""Recruiting with allies: the lead's list of key people, relays named among the members."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cercles.core.uploads import protected_download

from .. import recruiting
from ..lookups import community_for, require
from ..models import KeyPerson, KeyPersonStatus
from ..rules import membership_of
from .membership import _members_url, _membership_in

KEY_PEOPLE_PER_PAGE = 30


class KeyPersonForm(forms.ModelForm):
    class Meta:
        model = KeyPerson
        fields = ["name", "organisation", "reason", "status"]
        help_texts = {
            "reason": gettext_lazy(
                "The role they play: a network head who will help recruit, a partner, an expert…"
            )
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=KeyPersonStatus.choices)


def _url(community):
    return reverse("communities:key_people", args=[community.slug])


def key_people(request, slug):
    community = community_for(request, slug)
    require(request, "communities.view_key_people", community)
    can_manage = request.user.has_perm("communities.manage_key_people", community)
    form = KeyPersonForm(request.POST or None)
    if request.method == "POST":
        require(request, "communities.manage_key_people", community)
        if form.is_valid():
            try:
                recruiting.add_key_person(request.user, community, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("%(name)s is on the list.") % {"name": form.cleaned_data["name"]}
                )
                return redirect(_url(community))
    page = Paginator(community.key_people.all(), KEY_PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "communities/key_people.html",
        {
            "community": community,
            "page": page,
            "form": form if can_manage else None,
            "can_manage": can_manage,
            "statuses": KeyPersonStatus.choices,
        },
    )


def _key_person(community, person_id):
    person = get_object_or_404(KeyPerson, community=community, pk=person_id)
    person.community = community
    return person


@require_POST
def key_person_status(request, slug, person_id):
    community = community_for(request, slug)
    person = _key_person(community, person_id)
    require(request, "communities.manage_key_people", community)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
    else:
        recruiting.set_key_person_status(request.user, person, form.cleaned_data["status"])
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": person.name, "status": person.get_status_display()},
        )
    return redirect(_url(community))


@require_POST
def key_person_delete(request, slug, person_id):
    community = community_for(request, slug)
    person = _key_person(community, person_id)
    require(request, "communities.manage_key_people", community)
    recruiting.delete_key_person(request.user, person)
    messages.success(request, _("%(name)s is off the list.") % {"name": person.name})
    return redirect(_url(community))


@require_POST
def set_relay(request, slug, membership_id):
    community = community_for(request, slug, content=True)
    require(request, "communities.manage_relays", community)
    membership = _membership_in(community, membership_id)
    relay = request.POST.get("relay") == "1"
    try:
        recruiting.set_relay(request.user, membership, relay)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if relay:
            messages.success(
                request,
                _("%(name)s is a relay: they may invite people on the community's behalf.")
                % {"name": membership.user.name},
            )
        else:
            messages.success(
                request, _("%(name)s is no longer a relay.") % {"name": membership.user.name}
            )
    return redirect(_members_url(community))


class SupportForm(forms.Form):
    support_from = forms.CharField(
        label=gettext_lazy("Who supports my participation"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Name and role in your organisation, for example: Awa Diop, director. Leave empty to "
            "withdraw it."
        ),
    )
    letter = forms.FileField(label=gettext_lazy("Letter of support (optional)"), required=False)
    remove_letter = forms.BooleanField(label=gettext_lazy("Remove the letter"), required=False)

    def clean_letter(self):
        from cercles.core.uploads import validate_upload

        letter = self.cleaned_data.get("letter")
        if letter:
            validate_upload(letter)
        return letter


def support(request, slug):
    """A member records the support of their organisation for their participation (seed 001)."""
    community = community_for(request, slug, content=True)
    require(request, "communities.record_support", community)
    mine = membership_of(request.user, community)
    form = SupportForm(
        request.POST or None, request.FILES or None, initial={"support_from": mine.support_from}
    )
    if request.method == "POST" and form.is_valid():
        try:
            recruiting.record_support(
                request.user,
                community,
                support_from=form.cleaned_data["support_from"],
                letter=form.cleaned_data["letter"],
                remove_letter=form.cleaned_data["remove_letter"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The support of your organisation is recorded."))
            return redirect(_members_url(community))
    return render(
        request,
        "communities/membership_support.html",
        {"community": community, "form": form, "mine": mine},
    )


def support_letter(request, slug, membership_id):
    community = community_for(request, slug, content=True)
    membership = _membership_in(community, membership_id)
    if membership.user_id != request.user.pk:
        require(request, "communities.view_support", community)
    if not membership.support_letter:
        raise Http404
    return protected_download(membership.support_letter, membership.support_letter_name)
