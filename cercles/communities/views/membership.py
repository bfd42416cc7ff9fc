"""Joining, leaving and managing the members of a community; invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cercles.accounts.models import User
from cercles.accounts.services import set_time_zone
from cercles.core.decorators import post_only

from .. import services
from ..circles import circle_sizes, in_circle_order
from ..forms_membership import (
    AnswerRequestForm,
    HandOverForm,
    InvitationAnswerForm,
    InviteForm,
    InvolvementForm,
    JoinForm,
    LeaveForm,
    RemoveForm,
    RoleForm,
    WelcomeForm,
)
from ..freshness import remembered
from ..lifecycle import JOINABLE_STATES
from ..lookups import community_for, require
from ..models import (
    ROLE_ORDER,
    Invitation,
    InvitationStatus,
    MembershipStatus,
    Role,
)
from ..recruiting import support_counts
from ..rules import membership_of

MANAGER_PERMISSIONS = [
    "approve_members", "change_roles", "remove_members", "invite_members", "invite_co_lead",
    "hand_over_leadership", "leave_community", "change_own_involvement", "join_community",
    "import_members", "export_community", "manage_relays", "record_support", "view_support",
]  # fmt: skip


def _show_errors(request, error):
    for message in error.messages:
        messages.error(request, message)


def _membership_in(community, membership_id):
    """A membership of this community only: another community's id answers 404."""
    membership = get_object_or_404(community.memberships.select_related("user"), pk=membership_id)
    membership.community = community
    return membership


def _members_url(community):
    return reverse("communities:members", args=[community.slug])


MEMBERS_PER_PAGE = 60


def members(request, slug):
    community = community_for(request, slug, content=True)
    can = {
        name: request.user.has_perm(f"communities.{name}", community)
        for name in MANAGER_PERMISSIONS
    }
    paginator = Paginator(
        in_circle_order(community.memberships.active()).select_related("user"), MEMBERS_PER_PAGE
    )
    # Counted once per version of the community: 20,000 members take 2 ms to count.
    paginator.count = remembered(community, "active-members", community.memberships.active().count)
    page = paginator.get_page(request.GET.get("page"))
    active = list(page.object_list)
    for membership in active:
        membership.role_changeable = can["change_roles"] and (
            membership.role in services.ASSIGNABLE_ROLES
            or (membership.role == Role.CO_LEAD and can["hand_over_leadership"])
        )
        if membership.role_changeable:
            # Written out by the template: 60 form widgets would cost more than the whole page.
            membership.role_choices = RoleForm.choices_for(membership.role)
        membership.removable = (
            can["remove_members"]
            and membership.role != Role.LEAD
            and membership.user_id != request.user.pk
        )
    sizes = circle_sizes(community)
    circles = [
        (role.label, [m for m in active if m.role == role], sizes.get(role, 0))
        for role in ROLE_ORDER
    ]
    pending = (
        list(community.memberships.pending().select_related("user").order_by("created_at"))
        if can["approve_members"]
        else []
    )
    invitations = []
    if can["invite_members"] or can["invite_co_lead"]:
        invitations = community.invitations.filter(status=InvitationStatus.PENDING).select_related(
            "invited_by"
        )
    return render(
        request,
        "communities/membership_list.html",
        {
            "support_counts": (
                remembered(community, "support-counts", lambda: support_counts(community))
                if can["view_support"]
                else None
            ),
            "community": community,
            "circles": circles,
            "pending": pending,
            "invitations": invitations,
            "mine": membership_of(request.user, community),
            "can": can,
            "page": page,
        },
    )


def join(request, slug):
    community = community_for(request, slug)
    mine = membership_of(request.user, community)
    if mine is not None and mine.is_active:
        messages.info(request, _("You are already a member of this community."))
        return redirect(community)
    if mine is not None and mine.status == MembershipStatus.PENDING:
        messages.info(request, _("Your request to join is waiting for the lead's answer."))
        return redirect(community)
    if community.state not in JOINABLE_STATES:
        messages.error(
            request,
            _("This community is “%(state)s”: it does not welcome new members.")
            % {"state": community.get_state_display()},
        )
        return redirect(community)
    require(request, "communities.join_community", community)
    needs_approval = community.joining_needs_approval
    form = JoinForm(request.POST or None, needs_approval=needs_approval)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.join_community(
                request.user,
                community,
                objective=form.cleaned_data["objective"],
                involvement=form.cleaned_data["involvement"],
                message=form.cleaned_data.get("message", ""),
            )
        except ValidationError as error:
            _show_errors(request, error)
        else:
            if membership.is_active:
                messages.success(
                    request,
                    _("Welcome to “%(community)s”! Your place: %(circle)s.")
                    % {"community": community.title, "circle": membership.get_role_display()},
                )
            else:
                messages.success(
                    request, _("Your request has been sent to the lead, who will answer it.")
                )
            return redirect(community)
    return render(
        request,
        "communities/membership_join.html",
        {"community": community, "form": form, "needs_approval": needs_approval},
    )


def involvement(request, slug):
    community = community_for(request, slug, content=True)
    require(request, "communities.change_own_involvement", community)
    mine = membership_of(request.user, community)
    form = InvolvementForm(
        request.POST or None,
        initial={"objective": mine.objective, "involvement": mine.involvement},
    )
    if request.method == "POST" and form.is_valid():
        services.change_involvement(
            request.user,
            community,
            involvement=form.cleaned_data["involvement"],
            objective=form.cleaned_data["objective"],
        )
        messages.success(request, _("Your involvement has been updated."))
        return redirect(_members_url(community))
    return render(
        request,
        "communities/membership_involvement.html",
        {"community": community, "form": form, "mine": mine},
    )


def leave(request, slug):
    community = community_for(request, slug)
    mine = membership_of(request.user, community)
    if mine is None or not mine.is_active:
        messages.info(request, _("You are not a member of this community."))
        return redirect(community)
    is_lead = mine.role == Role.LEAD
    if not is_lead:
        require(request, "communities.leave_community", community)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and not is_lead and form.is_valid():
        services.leave_community(request.user, community, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("You have left “%(community)s”.") % {"community": community.title}
        )
        return redirect("communities:catalogue")
    return render(
        request,
        "communities/membership_leave.html",
        {
            "community": community,
            "form": form,
            "is_lead": is_lead,
            "can_hand_over": request.user.has_perm("communities.hand_over_leadership", community),
        },
    )


@post_only
def answer_request(request, slug, membership_id):
    community = community_for(request, slug, content=True)
    require(request, "communities.approve_members", community)
    membership = _membership_in(community, membership_id)
    form = AnswerRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or decline the request."))
        return redirect(_members_url(community))
    accept = form.cleaned_data["decision"] == "approve"
    try:
        services.answer_join_request(
            request.user, membership, accept=accept, message=form.cleaned_data["message"]
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        if accept:
            message = _("%(name)s is now a member.")
        else:
            message = _("The request of %(name)s was declined.")
        messages.success(request, message % {"name": membership.user.name})
    return redirect(_members_url(community))


@post_only
def change_role(request, slug, membership_id):
    community = community_for(request, slug, content=True)
    require(request, "communities.change_roles", community)
    membership = _membership_in(community, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
        return redirect(_members_url(community))
    try:
        services.change_role(request.user, membership, form.cleaned_data["role"])
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is now in the role “%(role)s”.")
            % {"name": membership.user.name, "role": membership.get_role_display()},
        )
    return redirect(_members_url(community))


def remove(request, slug, membership_id):
    community = community_for(request, slug, content=True)
    require(request, "communities.remove_members", community)
    membership = _membership_in(community, membership_id)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_member(request.user, membership, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(
                request,
                _("%(name)s has been removed from the community.") % {"name": membership.user.name},
            )
            return redirect(_members_url(community))
    return render(
        request,
        "communities/membership_remove.html",
        {"community": community, "membership": membership, "form": form},
    )


def invite(request, slug):
    community = community_for(request, slug, content=True)
    purposes = [
        purpose
        for purpose, permission in [
            (Invitation.Purpose.MEMBER, "communities.invite_members"),
            (Invitation.Purpose.CO_LEAD, "communities.invite_co_lead"),
        ]
        if request.user.has_perm(permission, community)
    ]
    if not purposes:
        mine = membership_of(request.user, community)
        if (
            mine is not None
            and mine.is_active
            and mine.role not in (Role.LEAD, Role.CO_LEAD)
            and community.state in JOINABLE_STATES
        ):
            # A member who is not (or no longer) a relay: say why, change nothing.
            raise PermissionDenied(
                _(
                    "Only the leads and the relays they name invite people on the community's "
                    "behalf; you are not a relay of this community (or no longer)."
                )
            )
        require(request, "communities.invite_members", community)
    form = InviteForm(request.POST or None, purposes=purposes)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(
                request.user,
                community,
                email=form.cleaned_data["email"],
                purpose=form.cleaned_data["purpose"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            # Every refusal is about the address: already a member, already invited, no account.
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect(_members_url(community))
    return render(
        request, "communities/invitation_form.html", {"community": community, "form": form}
    )


def hand_over(request, slug):
    community = community_for(request, slug, content=True)
    require(request, "communities.hand_over_leadership", community)
    candidates = (
        User.objects.filter(
            is_active=True,
            memberships__community=community,
            memberships__status=MembershipStatus.ACTIVE,
        )
        .exclude(pk=request.user.pk)
        .order_by("display_name", "username")
    )
    form = HandOverForm(request.POST or None, members=candidates)
    if request.method == "POST" and form.is_valid():
        new_lead = form.cleaned_data["new_lead"]
        try:
            services.hand_over_leadership(request.user, community, new_lead)
        except ValidationError as error:
            form.add_error("new_lead", error)
        else:
            messages.success(
                request,
                _("%(name)s now leads the community; you are its co-lead.")
                % {"name": new_lead.name},
            )
            return redirect(_members_url(community))
    return render(
        request, "communities/community_hand_over.html", {"community": community, "form": form}
    )


@login_not_required
def invitation(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("community", "community__lead", "invited_by"),
        token=token,
    )
    community = invitation.community
    context = {"invitation": invitation, "community": community}
    if not request.user.is_authenticated:
        # The sign-up form comes filled with the address the invitation was sent to.
        signup_query = urlencode({"next": request.path, "email": invitation.email})
        context["signup_url"] = f"{reverse('account_signup')}?{signup_query}"
        context["login_url"] = f"{reverse('account_login')}?{urlencode({'next': request.path})}"
        return render(request, "communities/invitation_detail.html", context)
    if not services.invitation_addressed_to(request.user, invitation):
        raise Http404
    if invitation.status != InvitationStatus.PENDING:
        return _invitation_answered(request, invitation, context)
    for_member = invitation.purpose == Invitation.Purpose.MEMBER
    # An imported list may have said already what the person expects and how involved they are.
    initial = {key: getattr(invitation, key) for key in ("objective", "involvement")}
    form = InvitationAnswerForm(
        request.POST or None,
        for_member=for_member,
        person=request.user,
        initial={key: value for key, value in initial.items() if value},
    )
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["accept"]
        try:
            services.answer_invitation(
                request.user,
                invitation,
                accept=accept,
                objective=form.cleaned_data.get("objective", ""),
                **(
                    {"involvement": form.cleaned_data["involvement"]}
                    if for_member and form.cleaned_data.get("involvement")
                    else {}
                ),
            )
        except ValidationError as error:
            _show_errors(request, error)
        else:
            if not accept:
                messages.info(request, _("You have declined the invitation."))
                return redirect("communities:catalogue")
            if form.cleaned_data.get("timezone"):
                set_time_zone(request.user, form.cleaned_data["timezone"])
            messages.success(
                request, _("Welcome to “%(community)s”!") % {"community": community.title}
            )
            return redirect(community)
    context["form"] = form
    return render(request, "communities/invitation_detail.html", context)


def _invitation_answered(request, invitation, context):
    """An invitation accepted when its address was confirmed (sign-up from the invitation):
    the person is asked, once, what joining asks: objective, involvement, and their zone."""
    community = invitation.community
    membership = membership_of(request.user, community)
    welcome = (
        invitation.invitee_id == request.user.pk
        and invitation.status == InvitationStatus.ACCEPTED
        and invitation.purpose == Invitation.Purpose.MEMBER
        and membership is not None
        and membership.is_active
        and not membership.objective
        and request.user.has_perm("communities.change_own_involvement", community)
    )
    if not welcome:
        return render(request, "communities/invitation_detail.html", context)
    form = WelcomeForm(
        request.POST or None,
        person=request.user,
        initial={"involvement": membership.involvement},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_involvement(
                request.user,
                community,
                involvement=form.cleaned_data["involvement"],
                objective=form.cleaned_data["objective"],
            )
            if form.cleaned_data.get("timezone"):
                set_time_zone(request.user, form.cleaned_data["timezone"])
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(
                request, _("Welcome to “%(community)s”!") % {"community": community.title}
            )
            return redirect(community)
    context.update(form=form, welcome=True)
    return render(request, "communities/invitation_detail.html", context)
