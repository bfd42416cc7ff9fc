"""The communities' part of a person's data: memberships and invitations; leaving everything
when the account is deleted (registered in accounts.personal_data by the app config)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .lifecycle import State
from .models import Invitation, InvitationStatus, Membership, MembershipStatus, Role

# A lead hands over before leaving; in these states there is nothing left to hand over.
HANDED_OVER_STATES = (State.DRAFT, State.IN_REVIEW, State.CHANGES_REQUESTED, State.OPEN,
                      State.ACTIVE)  # fmt: skip


def _led(person):
    return Membership.objects.filter(
        user=person,
        role=Role.LEAD,
        status=MembershipStatus.ACTIVE,
        community__state__in=HANDED_OVER_STATES,
    ).select_related("community")


def blockers(person):
    return [
        _("You lead “%(community)s”: hand leadership over to another member first.")
        % {"community": membership.community.title}
        for membership in _led(person)
    ]


def warnings(person):
    return [
        _("%(name)s leads “%(community)s”: it will have no lead; the coordinators are told.")
        % {"name": person.name, "community": membership.community.title}
        for membership in _led(person)
    ]


def export(person, writer):
    memberships = Membership.objects.filter(user=person).select_related("community")
    writer.json_list(
        "memberships/memberships.json",
        (
            {
                "community": m.community.title,
                "address": m.community.get_absolute_url(),
                "role": m.role,
                "status": m.status,
                "objective": m.objective,
                "involvement": m.involvement,
                "request_message": m.request_message,
                "answer_message": m.answer_message,
                "joined_at": m.joined_at,
                "ended_at": m.ended_at,
                "end_reason": m.end_reason,
                "relay": m.is_relay,
                "support_from": m.support_from,
                "support_letter": m.support_letter_name,
            }
            for m in memberships.iterator(chunk_size=500)
        ),
    )
    writer.json_list(
        "memberships/invitations.json",
        (
            {
                "community": invitation.community.title,
                "purpose": invitation.purpose,
                "status": invitation.status,
                "message": invitation.message,
                "sent_at": invitation.created_at,
                "answered_at": invitation.answered_at,
            }
            for invitation in Invitation.objects.filter(invitee=person).select_related("community")
        ),
    )


def erase(person, actor):
    """Leave every community; pending invitations and requests end; the coordinators are told
    of the communities that lose their lead."""
    from cercles.accounts.models import User

    from .services import _notify_after_commit, refresh_member_count

    led = [membership.community for membership in _led(person)]
    now = timezone.now()
    memberships = Membership.objects.filter(
        user=person, status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING]
    ).select_related("community")
    communities = []
    for membership in memberships:
        membership.status = MembershipStatus.LEFT
        membership.ended_at = now
        membership.end_reason = "account deleted"
        membership.save(update_fields=["status", "ended_at", "end_reason", "updated_at"])
        communities.append(membership.community)
    for community in communities:
        community.__dict__.pop("_membership_cache", None)
        refresh_member_count(community)
    Invitation.objects.filter(invitee=person, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.CANCELLED, answered_at=now
    )
    Invitation.objects.filter(email__iexact=person.email, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.CANCELLED, answered_at=now
    )
    # The support of their organisation (who, the letter) goes with the account.
    for membership in Membership.objects.filter(user=person).exclude(support_letter=""):
        storage, name = membership.support_letter.storage, membership.support_letter.name
        transaction.on_commit(lambda s=storage, n=name: s.delete(n), robust=True)
    Membership.objects.filter(user=person).update(
        support_from="",
        support_letter="",
        support_letter_name="",
        support_recorded_at=None,
        is_relay=False,
    )
    # What invitations said of the person (address, name, expectations) goes with the account.
    Invitation.objects.filter(Q(invitee=person) | Q(email__iexact=person.email)).update(
        email=f"deleted-{person.pk}@deleted.invalid", name="", organisation="", objective=""
    )
    coordinators = list(User.objects.coordinators().exclude(pk=person.pk))
    for community in led:
        _notify_after_commit(
            coordinators,
            "community.lead_deleted",
            actor=actor,
            url=community.get_absolute_url(),
            community=community.title,
        )
