"""Recruiting with allies (issue 11, seeds 001 and 002): the lead's short list of key people to
approach, the relays who invite on the community's behalf, and who joined through whom."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from cercles.core.audit import record_event

from .archive import ensure_writable
from .models import Invitation, InvitationStatus, KeyPerson, KeyPersonStatus, Role
from .services import _forget_memberships, _notify_after_commit

KEY_PEOPLE_FIELDS = ("name", "user", "organisation", "reason", "status")


def _require(actor, permission, community):
    ensure_writable(community)
    if not actor.has_perm(permission, community):
        raise PermissionDenied


@transaction.atomic
def set_relay(actor, membership, is_relay):
    """Name a member relay (they may invite people on the community's behalf), or not any more."""
    community = membership.community
    _require(actor, "communities.manage_relays", community)
    if not membership.is_active:
        raise ValidationError(_("This person is not a member of the community."))
    if membership.role in (Role.LEAD, Role.CO_LEAD):
        raise ValidationError(_("The lead and the co-lead invite people already."))
    if membership.is_relay == bool(is_relay):
        return membership
    membership.is_relay = bool(is_relay)
    membership.save(update_fields=["is_relay", "updated_at"])
    _forget_memberships(community)
    record_event(actor, "membership.relay", community, member=membership.user_id, relay=is_relay)
    if is_relay:
        _notify_after_commit(
            [membership.user],
            "communities.relay_named",
            actor=actor,
            url=community.get_absolute_url(),
            community=community.title,
            community_id=community.pk,
        )
    return membership


@transaction.atomic
def add_key_person(actor, community, **fields):
    _require(actor, "communities.manage_key_people", community)
    person = KeyPerson(community=community, added_by=actor)
    for name in KEY_PEOPLE_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])
    person.full_clean()
    person.save()
    record_event(actor, "key_person.added", community, key_person=person.pk)
    return person


@transaction.atomic
def set_key_person_status(actor, person, status):
    _require(actor, "communities.manage_key_people", person.community)
    if status not in KeyPersonStatus.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    person.status = status
    person.save(update_fields=["status", "updated_at"])
    record_event(actor, "key_person.status", person.community, key_person=person.pk, status=status)
    return person


@transaction.atomic
def delete_key_person(actor, person):
    _require(actor, "communities.manage_key_people", person.community)
    record_event(actor, "key_person.deleted", person.community, name=person.name)
    person.delete()


def joined_through(community, limit=8):
    """[(inviter, number joined, [first names])]: who brought whom into the community, from the
    invitations accepted, the most fruitful first (two queries)."""
    accepted = Invitation.objects.filter(
        community=community,
        purpose=Invitation.Purpose.MEMBER,
        status=InvitationStatus.ACCEPTED,
        invited_by__isnull=False,
        invitee__isnull=False,
    )
    counts = list(
        accepted.values("invited_by").annotate(n=Count("id")).order_by("-n", "invited_by")[:limit]
    )
    if not counts:
        return []
    inviters = [row["invited_by"] for row in counts]
    rows = {pk: [] for pk in inviters}
    people = {}
    for invitation in accepted.filter(invited_by__in=inviters).select_related(
        "invited_by", "invitee"
    ):
        people[invitation.invited_by_id] = invitation.invited_by
        rows[invitation.invited_by_id].append(invitation.invitee)
    return [(people[pk], len(rows[pk]), rows[pk][:6]) for pk in inviters]


@transaction.atomic
def record_support(actor, community, *, support_from, letter=None, remove_letter=False):
    """A member records who in their organisation supports their participation (seed 001), with
    an optional letter; an empty `support_from` withdraws it."""
    from django.utils import timezone

    from cercles.core.uploads import validate_upload

    _require(actor, "communities.record_support", community)
    membership = community.memberships.select_for_update().get(user=actor)
    old = membership.support_letter.name if membership.support_letter else ""
    membership.support_from = (support_from or "").strip()
    if letter is not None:
        validate_upload(letter)
        membership.support_letter_name = letter.name[:200]
        membership.support_letter.save(letter.name, letter, save=False)
    elif remove_letter or not membership.support_from:
        membership.support_letter = None
        membership.support_letter_name = ""
    new = membership.support_letter.name if membership.support_letter else ""
    if old and old != new:
        storage = membership.support_letter.storage
        transaction.on_commit(lambda: storage.delete(old), robust=True)
    membership.support_recorded_at = timezone.now() if membership.support_from else None
    membership.full_clean(exclude=["community", "user"])
    membership.save()
    record_event(actor, "membership.support", community, supported=bool(membership.support_from))
    return membership


def support_counts(community):
    """(members with their organisation's support, active members), in one query."""
    from django.db.models import Q

    counts = community.memberships.active().aggregate(
        supported=Count("id", filter=~Q(support_from="")), members=Count("id")
    )
    return counts["supported"], counts["members"]
