"""Every change to a community goes through one of these functions (views, commands, API, jobs)."""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cercles.accounts.models import User
from cercles.core import public_pages
from cercles.core.audit import record_event
from cercles.core.models import ArchiveStatus
from cercles.notifications.services import notify

from .archive import ensure_writable
from .framing import framing_problems, framing_snapshot
from .health import CRITERIA_KEYS
from .lifecycle import ENDED_STATES, JOINABLE_STATES, TRANSITIONS, State
from .models import (
    LEADING_ROLES,
    Community,
    CommunityExport,
    Decision,
    FinalRecord,
    FramingVersion,
    HealthDecision,
    HealthReview,
    ImportStatus,
    Invitation,
    InvitationStatus,
    Involvement,
    MemberImport,
    Membership,
    MembershipStatus,
    Rating,
    Review,
    Role,
    StateChange,
)
from .rules import membership_of
from .signals import community_state_changed

# --- helpers ----------------------------------------------------------------------------------

REVIEW_OUTCOMES = {
    Decision.VALIDATE: "validated",
    Decision.REQUEST_CHANGES: "changes_requested",
    Decision.DECLINE: "declined",
}


def _require(actor, permission, community):
    if not actor.has_perm(permission, community):
        raise PermissionDenied


def _forget_memberships(community):
    for cached in ("_membership_cache", "_final_record", "_latest_health_review"):
        community.__dict__.pop(cached, None)


def _locked(community):
    """Re-read the community under a row lock, so concurrent changes are applied one at a time."""
    locked = Community.objects.select_for_update().get(pk=community.pk)
    community.state = locked.state
    community.lead_id = locked.lead_id
    return community


def leaders_of(community):
    return User.objects.filter(
        memberships__community=community,
        memberships__status=MembershipStatus.ACTIVE,
        memberships__role__in=LEADING_ROLES,
    )


def active_members_of(community):
    return User.objects.filter(
        memberships__community=community, memberships__status=MembershipStatus.ACTIVE
    )


def refresh_member_count(community):
    """Recount the community's active members, in all and per circle: every service that adds,
    removes or moves a member calls it, so that pages read the counts instead of counting."""
    per_circle = dict(
        community.memberships.active().order_by().values_list("role").annotate(n=Count("id"))
    )
    community.member_count = sum(per_circle.values())
    community.members_per_circle = per_circle
    Community.objects.filter(pk=community.pk).update(
        member_count=community.member_count, members_per_circle=per_circle
    )
    public_pages.forget_after_commit()  # .update() sends no signal


def unique_slug(title):
    base = slugify(title)[:170] or "communaute"
    slug, n = base, 2
    while Community.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def role_for_involvement(involvement):
    """Active contributors start in the inner circle, others in the outer one (seed 001)."""
    return Role.INNER if involvement == Involvement.ACTIVE else Role.OUTER


def _notify_after_commit(recipients, kind, **kwargs):
    recipients = list(recipients)
    transaction.on_commit(lambda: notify(recipients, kind, **kwargs))


# --- lifecycle --------------------------------------------------------------------------------


def transition(actor, community, name, *, reason=""):
    """Move a community along its lifecycle; the only place where `state` changes. `actor` None
    is the platform itself (the archiving job): no permission is asked of it."""
    spec = TRANSITIONS[name]
    with transaction.atomic():
        _locked(community)
        if name != "reopen":
            ensure_writable(community)
        if community.state not in spec.sources:
            raise ValidationError(
                _("This community is “%(state)s”: it cannot be moved that way.")
                % {"state": community.get_state_display()}
            )
        if actor is not None:
            _require(actor, spec.permission, community)
        if spec.reason_required and not reason.strip():
            raise ValidationError(_("Please give a reason."))
        if spec.needs_final_record:
            _check_final_record(community, dissolving=name == "dissolve")
        previous = community.state
        community.state = spec.target
        fields = ["state", "updated_at"]
        if spec.target in (State.CLOSED, State.DISSOLVED):
            community.closed_on = timezone.localdate()
            fields.append("closed_on")
        elif name == "reopen":
            community.closed_on = None
            fields.append("closed_on")
        community.save(update_fields=fields)
        StateChange.objects.create(
            community=community,
            from_state=previous,
            to_state=spec.target,
            actor=actor,
            reason=reason,
        )
        record_event(actor, f"community.{name}", community, reason=reason)
        _forget_memberships(community)
        transaction.on_commit(
            lambda: community_state_changed.send(
                sender=Community,
                community=community,
                previous=previous,
                actor=actor,
                transition=name,
            )
        )
        if spec.announced_to_members:
            _notify_after_commit(
                active_members_of(community),
                "community.state_changed",
                actor=actor,
                url=community.get_absolute_url(),
                community=community.title,
                community_id=community.pk,
                state=community.state,
                **({"note": reason} if reason else {}),
            )
    return community


def _check_final_record(community, *, dissolving):
    """Closing and archiving need the final record with what was achieved; dissolving needs at
    least the record of why (the lead may write the rest afterwards, and is reminded)."""
    record = FinalRecord.objects.filter(community=community).first()
    if dissolving:
        if record is None or not record.reason.strip():
            raise ValidationError(_("Dissolving keeps a record: please give the reason."))
    elif record is None or not record.is_given:
        raise ValidationError(
            _("Write the final record first: what the community achieved, for the network.")
        )


@transaction.atomic
def propose_community(actor, *, title, **fields):
    """A member proposes a new community and becomes its lead; it starts as a draft."""
    if not actor.has_perm("communities.propose_community"):
        raise PermissionDenied
    community = Community(title=title.strip(), slug=unique_slug(title), lead=actor, **fields)
    community.full_clean()
    community.save()
    Membership.objects.create(
        community=community,
        user=actor,
        role=Role.LEAD,
        involvement=Involvement.ACTIVE,
        joined_at=timezone.now(),
    )
    refresh_member_count(community)
    StateChange.objects.create(community=community, to_state=State.DRAFT, actor=actor)
    record_event(actor, "community.proposed", community)
    return community


@transaction.atomic
def save_framing(actor, community, form, *formsets):
    """Save the framing form and its inline parts (milestones, partnerships, budget lines)."""
    ensure_writable(community)
    _require(actor, "communities.edit_framing", community)
    community = form.save()
    for formset in formsets:
        formset.instance = community
        formset.save()
    record_event(actor, "community.framing_saved", community)
    return community


@transaction.atomic
def submit_framing(actor, community):
    """Freeze the framing as a new version and send it to the coordinators."""
    ensure_writable(community)
    _require(actor, "communities.submit_framing", community)
    problems = framing_problems(community)
    if problems:
        raise ValidationError({field: [message] for field, message in _group(problems)})
    number = (community.framing_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    FramingVersion.objects.create(
        community=community,
        number=number,
        snapshot=framing_snapshot(community),
        submitted_by=actor,
    )
    community.submitted_at = timezone.now()
    community.save(update_fields=["submitted_at"])
    transition(actor, community, "submit")
    _notify_after_commit(
        User.objects.coordinators(),
        "community.submitted",
        actor=actor,
        url=reverse("communities:review", args=[community.slug]),
        community=community.title,
        community_id=community.pk,
    )
    return community


def _group(problems):
    grouped = {}
    for field, message in problems:
        grouped.setdefault(field, []).append(message)
    return [(field, " ".join(messages)) for field, messages in grouped.items()]


@transaction.atomic
def review_framing(
    actor, community, version, *, decision, checklist, field_comments=None, comment=""
):
    """Record a coordinator's decision on the submitted version and move the community on."""
    _locked(community)  # two coordinators deciding at once: the second one sees the first review
    ensure_writable(community)
    if (
        actor.has_perm("communities.view_review_queue")
        and Review.objects.filter(version=version).exists()
    ):
        # The loser of two coordinators deciding at once gets a message, not a 403 page.
        raise ValidationError(_("This version has already been reviewed."))
    _require(actor, "communities.review_community", community)
    latest = community.framing_versions.order_by("-number").first()
    if latest is None or version.pk != latest.pk:
        raise ValidationError(_("Only the latest submitted version can be reviewed."))
    if Review.objects.filter(version=version).exists():
        raise ValidationError(_("This version has already been reviewed."))
    if decision not in Decision.values:
        raise ValidationError(_("Choose a decision."))
    review = Review.objects.create(
        version=version,
        reviewer=actor,
        decision=decision,
        checklist=checklist,
        field_comments={k: v for k, v in (field_comments or {}).items() if v.strip()},
        comment=comment,
    )
    transition(actor, community, decision, reason=comment)
    _notify_after_commit(
        leaders_of(community),
        "community.reviewed",
        actor=actor,
        url=community.get_absolute_url(),
        community=community.title,
        community_id=community.pk,
        decision=REVIEW_OUTCOMES[decision],
        **({"note": comment} if comment else {}),
    )
    return review


def latest_review(community):
    return (
        Review.objects.filter(version__community=community)
        .select_related("version", "reviewer")
        .order_by("-version__number")
        .first()
    )


@transaction.atomic
def update_next_steps(actor, community, text):
    ensure_writable(community)
    _require(actor, "communities.edit_next_steps", community)
    community.next_steps = text
    community.next_steps_updated_at = timezone.now()
    community.save(update_fields=["next_steps", "next_steps_updated_at", "updated_at"])
    record_event(actor, "community.next_steps", community)


# --- membership -------------------------------------------------------------------------------


@transaction.atomic
def join_community(actor, community, *, objective, involvement, message=""):
    """Join an open community, or ask to join when it is private or requires approval."""
    _locked(community)
    _forget_memberships(community)
    ensure_writable(community)
    _require(actor, "communities.join_community", community)
    needs_approval = community.joining_needs_approval
    membership = membership_of(actor, community) or Membership(community=community, user=actor)
    membership.objective = objective
    membership.involvement = involvement
    membership.request_message = message
    membership.answer_message = ""
    membership.ended_at = None
    membership.end_reason = ""
    membership.role = role_for_involvement(involvement)
    if needs_approval:
        membership.status = MembershipStatus.PENDING
        membership.joined_at = None
    else:
        membership.status = MembershipStatus.ACTIVE
        membership.joined_at = timezone.now()
    membership.save()
    _forget_memberships(community)
    refresh_member_count(community)
    record_event(
        actor, "membership.requested" if needs_approval else "membership.joined", community
    )
    if needs_approval:
        _notify_after_commit(
            leaders_of(community),
            "membership.requested",
            actor=actor,
            url=reverse("communities:members", args=[community.slug]),
            community=community.title,
            community_id=community.pk,
            **({"note": message} if message else {}),
        )
    return membership


@transaction.atomic
def answer_join_request(actor, membership, *, accept, message=""):
    community = membership.community
    ensure_writable(community)
    _require(actor, "communities.approve_members", community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != MembershipStatus.PENDING:
        raise ValidationError(_("This request has already been answered."))
    membership.answer_message = message
    if accept:
        membership.status = MembershipStatus.ACTIVE
        membership.joined_at = timezone.now()
    else:
        membership.status = MembershipStatus.DECLINED
    membership.save()
    refresh_member_count(community)
    record_event(
        actor,
        "membership.accepted" if accept else "membership.declined",
        community,
        member=membership.user_id,
    )
    _notify_after_commit(
        [membership.user],
        "membership.answered",
        actor=actor,
        url=community.get_absolute_url(),
        community=community.title,
        community_id=community.pk,
        decision="approved" if accept else "declined",
        **({"note": message} if message else {}),
    )
    return membership


@transaction.atomic
def change_involvement(actor, community, *, involvement, objective):
    ensure_writable(community)
    _require(actor, "communities.change_own_involvement", community)
    membership = membership_of(actor, community)
    membership.involvement = involvement
    membership.objective = objective
    previous_role = membership.role
    if membership.role in (Role.INNER, Role.OUTER):
        membership.role = role_for_involvement(involvement)
    membership.save()
    if membership.role != previous_role:
        refresh_member_count(community)
    record_event(actor, "membership.involvement", community, involvement=involvement)
    return membership


@transaction.atomic
def leave_community(actor, community, reason=""):
    ensure_writable(community)
    _require(actor, "communities.leave_community", community)
    membership = membership_of(actor, community)
    membership.status = MembershipStatus.LEFT
    membership.ended_at = timezone.now()
    membership.end_reason = reason
    membership.save()
    _forget_memberships(community)
    refresh_member_count(community)
    record_event(actor, "membership.left", community)


ASSIGNABLE_ROLES = (Role.CORE, Role.INNER, Role.OUTER)


@transaction.atomic
def change_role(actor, membership, role):
    """Move a member between circles, or appoint them to the core group."""
    community = membership.community
    ensure_writable(community)
    _require(actor, "communities.change_roles", community)
    if role not in ASSIGNABLE_ROLES:
        raise ValidationError(
            _("The lead is changed by handing over; the co-lead is invited and accepts.")
        )
    if not membership.is_active:
        raise ValidationError(_("This person is not a member of the community."))
    if membership.role == Role.LEAD:
        raise ValidationError(_("The lead's role changes only when leadership is handed over."))
    if membership.role == Role.CO_LEAD and not actor.has_perm(
        "communities.hand_over_leadership", community
    ):
        raise ValidationError(_("Only the lead can change the co-lead's role."))
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    refresh_member_count(community)
    record_event(
        actor,
        "membership.role_changed",
        community,
        member=membership.user_id,
        previous=previous,
        role=role,
    )
    _notify_after_commit(
        [membership.user],
        "membership.role_changed",
        actor=actor,
        url=community.get_absolute_url(),
        community=community.title,
        community_id=community.pk,
        role=role,
    )
    return membership


@transaction.atomic
def remove_member(actor, membership, *, reason):
    community = membership.community
    ensure_writable(community)
    _require(actor, "communities.remove_members", community)
    if not reason.strip():
        raise ValidationError(_("Please give a reason."))
    if membership.role == Role.LEAD:
        raise ValidationError(_("The lead cannot be removed; leadership must be handed over."))
    if not membership.is_active:
        raise ValidationError(_("This person is not a member of the community."))
    membership.status = MembershipStatus.REMOVED
    membership.ended_at = timezone.now()
    membership.end_reason = reason
    membership.save()
    _forget_memberships(community)
    refresh_member_count(community)
    record_event(actor, "membership.removed", community, member=membership.user_id, reason=reason)
    _notify_after_commit(
        [membership.user],
        "membership.removed",
        actor=actor,
        url=reverse("communities:catalogue"),
        community=community.title,
        community_id=community.pk,
        note=reason,
    )


@transaction.atomic
def hand_over_leadership(actor, community, new_lead):
    """The lead hands over to another member; the former lead stays as co-lead."""
    ensure_writable(community)
    _require(actor, "communities.hand_over_leadership", community)
    successor = membership_of(new_lead, community)
    if successor is None or not successor.is_active or new_lead.pk == actor.pk:
        raise ValidationError(_("Leadership can only be handed over to another member."))
    current = membership_of(actor, community)
    community.memberships.filter(role=Role.CO_LEAD, status=MembershipStatus.ACTIVE).exclude(
        pk=successor.pk
    ).update(role=Role.CORE)
    current.role = Role.CO_LEAD
    current.save(update_fields=["role", "updated_at"])
    successor.role = Role.LEAD
    successor.save(update_fields=["role", "updated_at"])
    community.lead = new_lead
    community.save(update_fields=["lead", "updated_at"])
    _forget_memberships(community)
    refresh_member_count(community)
    record_event(actor, "community.leadership_handed_over", community, new_lead=new_lead.pk)
    _notify_after_commit(
        [new_lead],
        "membership.role_changed",
        actor=actor,
        url=community.get_absolute_url(),
        community=community.title,
        community_id=community.pk,
        role=Role.LEAD.value,
    )


# --- invitations ------------------------------------------------------------------------------

IMPORTED_FIELDS = ("name", "organisation", "objective", "involvement")


@transaction.atomic
def invite(
    actor, community, *, email, purpose=Invitation.Purpose.MEMBER, message="", imported=None
):
    """Invite someone by email to join, or a member of the network to become co-lead.

    `imported` holds what an imported list said of the person (name, organisation, objective,
    involvement); such invitations need the right to import members.
    """
    if purpose == Invitation.Purpose.CO_LEAD:
        permission = "communities.invite_co_lead"
    elif imported is not None:
        permission = "communities.import_members"
    else:
        permission = "communities.invite_members"
    ensure_writable(community)
    _require(actor, permission, community)
    email = email.strip().lower()
    invitee = User.objects.filter(email__iexact=email, is_active=True).first()
    if purpose == Invitation.Purpose.CO_LEAD:
        if invitee is None:
            raise ValidationError(_("The co-lead must already be a member of the network."))
        if community.memberships.filter(role=Role.CO_LEAD, status="active").exists():
            raise ValidationError(_("This community already has a co-lead."))
    if invitee is not None:
        existing = membership_of(invitee, community)
        if (
            existing
            and existing.is_active
            and (purpose == Invitation.Purpose.MEMBER or existing.role in LEADING_ROLES)
        ):
            raise ValidationError(_("%(name)s is already a member.") % {"name": invitee.name})
    if community.invitations.filter(
        email__iexact=email, purpose=purpose, status=InvitationStatus.PENDING
    ).exists():
        raise ValidationError(_("An invitation to this address is already waiting."))
    invitation = Invitation.objects.create(
        community=community,
        purpose=purpose,
        email=email,
        invitee=invitee,
        invited_by=actor,
        message=message,
        token=secrets.token_urlsafe(32),
        **{key: (imported or {}).get(key, "") for key in IMPORTED_FIELDS},
    )
    record_event(actor, f"invitation.{purpose}", community, email=email)
    url = reverse("communities:invitation", args=[invitation.token])
    kind = "colead.invited" if purpose == Invitation.Purpose.CO_LEAD else "membership.invited"
    if invitee is not None:
        _notify_after_commit(
            [invitee],
            kind,
            actor=actor,
            url=url,
            community=community.title,
            community_id=community.pk,
            **({"note": message} if message else {}),
        )
    else:
        transaction.on_commit(lambda: _email_unknown_invitee(invitation))
    return invitation


def _email_unknown_invitee(invitation):
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string

    from cercles.core.email import queue_email

    context = {
        "invitation": invitation,
        "signup_url": settings.SITE_URL
        + reverse("account_signup")
        + "?next="
        + reverse("communities:invitation", args=[invitation.token]),
        "invitation_url": settings.SITE_URL
        + reverse("communities:invitation", args=[invitation.token]),
    }
    subject = _("%(name)s invites you to the community “%(community)s”") % {
        "name": invitation.invited_by.name if invitation.invited_by else "Cercles",
        "community": invitation.community.title,
    }
    body = render_to_string("communities/emails/invitation.txt", context)
    queue_email(
        EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    )


def invitation_addressed_to(user, invitation):
    if invitation.invitee_id:
        return invitation.invitee_id == user.pk
    return user.emailaddress_set.filter(email__iexact=invitation.email, verified=True).exists()


@transaction.atomic
def answer_invitation(user, invitation, *, accept, objective="", involvement=""):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation_addressed_to(user, invitation):
        raise PermissionDenied
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been answered."))
    community = invitation.community
    if accept:
        ensure_writable(community)
    if (
        accept
        and invitation.purpose == Invitation.Purpose.MEMBER
        and community.state not in JOINABLE_STATES
    ):
        raise ValidationError(_("This community no longer welcomes new members."))
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.answered_at = timezone.now()
    invitation.invitee = user
    invitation.save()
    if accept:
        membership = membership_of(user, community) or Membership(community=community, user=user)
        if invitation.purpose == Invitation.Purpose.CO_LEAD:
            if (
                community.memberships.filter(role=Role.CO_LEAD, status="active")
                .exclude(user=user)
                .exists()
            ):
                raise ValidationError(_("This community already has a co-lead."))
            membership.role = Role.CO_LEAD
            membership.involvement = Involvement.ACTIVE
        elif not membership.is_active or membership.pk is None:
            involvement = involvement or invitation.involvement or Involvement.OCCASIONAL
            membership.role = role_for_involvement(involvement)
            membership.involvement = involvement
        objective = objective or invitation.objective
        if objective:
            membership.objective = objective
        if not membership.is_active or membership.pk is None:
            membership.joined_at = timezone.now()
        membership.status = MembershipStatus.ACTIVE
        membership.ended_at = None
        membership.save()
        _forget_memberships(community)
        refresh_member_count(community)
    record_event(
        user,
        "invitation.accepted" if accept else "invitation.declined",
        community,
        purpose=invitation.purpose,
    )
    if invitation.purpose == Invitation.Purpose.CO_LEAD and invitation.invited_by:
        _notify_after_commit(
            [invitation.invited_by],
            "colead.answered",
            actor=user,
            url=community.get_absolute_url(),
            community=community.title,
            community_id=community.pk,
            decision="accepted" if accept else "declined",
        )
    return invitation


def accept_invitations_for_new_address(user, email):
    """Once an address is confirmed, its pending member invitations are accepted (sign-up link)."""
    pending = Invitation.objects.filter(
        email__iexact=email,
        status=InvitationStatus.PENDING,
        purpose=Invitation.Purpose.MEMBER,
        community__state__in=JOINABLE_STATES,
    )
    for invitation in pending:
        answer_invitation(user, invitation, accept=True)


# --- import of members ------------------------------------------------------------------------


@transaction.atomic
def preview_member_import(actor, community, upload, *, message=""):
    """Read a list of people and keep, line by line, what will happen; nothing is sent yet."""
    from .imports import classify, read_rows

    _require(actor, "communities.import_members", community)
    rows = read_rows(upload)
    lines = classify(community, rows)
    member_import = MemberImport(
        community=community,
        created_by=actor,
        filename=(upload.name or "")[-200:],
        rows=lines,
        message=message,
    )
    member_import.full_clean()
    member_import.save()
    return member_import


@transaction.atomic
def confirm_member_import(actor, member_import):
    """Send the invitations of a previewed import, by a job."""
    member_import = MemberImport.objects.select_for_update().get(pk=member_import.pk)
    community = member_import.community
    _require(actor, "communities.import_members", community)
    if member_import.status != ImportStatus.PREVIEW:
        raise ValidationError(_("This import has already been confirmed or cancelled."))
    member_import.status = ImportStatus.SENDING
    member_import.confirmed_at = timezone.now()
    member_import.save(update_fields=["status", "confirmed_at", "updated_at"])
    to_invite = sum(1 for line in member_import.rows if line["outcome"] == "invite")
    record_event(
        actor,
        "members.imported",
        community,
        import_id=member_import.pk,
        file=member_import.filename,
        invitations=to_invite,
    )
    from .tasks import send_imported_invitations

    transaction.on_commit(lambda: send_imported_invitations(member_import.pk, actor.pk))
    return member_import


@transaction.atomic
def cancel_member_import(actor, member_import):
    _require(actor, "communities.import_members", member_import.community)
    if member_import.status != ImportStatus.PREVIEW:
        raise ValidationError(_("This import has already been confirmed or cancelled."))
    member_import.status = ImportStatus.CANCELLED
    member_import.save(update_fields=["status", "updated_at"])


def send_imported_invitations(member_import, actor):
    """Invite each line marked "invite", one transaction each; record what happened per line.

    Run by a job; a line refused now (the person joined meanwhile) is recorded, not retried.
    """
    community = member_import.community
    rows = member_import.rows
    sent = 0
    for line in rows:
        if line["outcome"] != "invite" or line.get("result"):
            continue
        _forget_memberships(community)
        try:
            invite(
                actor,
                community,
                email=line["email"],
                message=member_import.message,
                imported={key: line.get(key, "") for key in IMPORTED_FIELDS},
            )
        except (ValidationError, PermissionDenied) as error:
            line["result"] = "skipped"
            line["result_note"] = (
                " ".join(error.messages) if isinstance(error, ValidationError) else ""
            )
        else:
            line["result"] = "sent"
            sent += 1
        # Saved as it goes: a job that stops half-way resumes where it was.
        MemberImport.objects.filter(pk=member_import.pk).update(rows=rows)
    member_import.status = ImportStatus.DONE
    member_import.finished_at = timezone.now()
    member_import.save(update_fields=["status", "finished_at", "rows", "updated_at"])
    notify(
        [actor],
        "community.import_done",
        url=reverse("communities:import_detail", args=[community.slug, member_import.pk]),
        community=community.title,
        count=sent,
    )
    return sent


# --- export -----------------------------------------------------------------------------------


@transaction.atomic
def request_export(actor, community):
    """Start building the community's export; the person is notified when it is ready."""
    _require(actor, "communities.export_community", community)
    if community.exports.filter(requested_by=actor, status=ArchiveStatus.PENDING).exists():
        raise ValidationError(_("Your export of this community is already being prepared."))
    export = CommunityExport.objects.create(community=community, requested_by=actor)
    record_event(actor, "community.exported", community, export=export.pk)
    from .tasks import build_community_export

    transaction.on_commit(lambda: build_community_export(export.pk))
    return export


# --- the end of a community: final record, closing, archiving ---------------------------------

RECORD_FIELDS = ("achievements", "lessons", "thanks", "continues", "reason")
MAX_GRACE_DAYS = 365


def _write_record(actor, community, *, continued_by=None, **fields):
    record = FinalRecord.objects.filter(community=community).first() or FinalRecord(
        community=community, author=actor
    )
    for name in RECORD_FIELDS:
        if name in fields:
            setattr(record, name, (fields[name] or "").strip())
    if continued_by is not None and continued_by.pk == community.pk:
        raise ValidationError(
            {"continued_by": _("A community cannot carry on its own work: choose another one.")}
        )
    record.continued_by = continued_by
    if record.achievements and record.given_at is None:
        record.given_at = timezone.now()
    record.full_clean()
    record.save()
    community.__dict__["_final_record"] = record
    return record


@transaction.atomic
def close_community(
    actor, community, *, dissolve=False, url=None, continued_by=None, **record_fields
):
    """Close the community on a positive note (or dissolve it) with its final record, then tell
    the members warmly, with a link to the record (`url`, the community's home by default).

    Closing needs "what we achieved"; dissolving needs the reason (the lead may write the rest
    later). A community already closed or dissolved is refused with a clear message."""
    _locked(community)
    _forget_memberships(community)
    ensure_writable(community)
    if community.state in ENDED_STATES:
        raise ValidationError(_("This community has already been closed."))
    _require(
        actor,
        "communities.dissolve_community" if dissolve else "communities.close_community",
        community,
    )
    errors = {}
    if not dissolve and not (record_fields.get("achievements") or "").strip():
        errors["achievements"] = _(
            "Say what the community achieved: it is the heart of the record."
        )
    if dissolve and not (record_fields.get("reason") or "").strip():
        errors["reason"] = _("Please give the reason for dissolving.")
    if errors:
        raise ValidationError(errors)
    record = _write_record(actor, community, continued_by=continued_by, **record_fields)
    record.dissolved = dissolve
    record.save(update_fields=["dissolved", "updated_at"])
    transition(
        actor,
        community,
        "dissolve" if dissolve else "close",
        reason=record.reason if dissolve else "",
    )
    _notify_after_commit(
        active_members_of(community),
        "communities.closed",
        actor=actor,
        community_id=community.pk,
        url=url or community.get_absolute_url(),
        community=community.title,
        outcome="dissolved" if dissolve else "closed",
    )
    return record


@transaction.atomic
def save_final_record(actor, community, *, continued_by=None, **record_fields):
    """Complete the final record of a closed or dissolved community (until it is archived)."""
    _locked(community)
    _forget_memberships(community)
    ensure_writable(community)
    _require(actor, "communities.write_final_record", community)
    record = _write_record(actor, community, continued_by=continued_by, **record_fields)
    record_event(actor, "community.final_record", community)
    return record


@transaction.atomic
def set_archive_grace(actor, community, days):
    """Coordinators choose how long a closed community waits before being archived."""
    ensure_writable(community)
    _require(actor, "communities.set_archive_grace", community)
    if days is None or not 0 <= days <= MAX_GRACE_DAYS:
        raise ValidationError(
            {"archive_grace_days": _("Choose between 0 (at once) and %(max)s days.")
             % {"max": MAX_GRACE_DAYS}}
        )  # fmt: skip
    community.archive_grace_days = days
    community.save(update_fields=["archive_grace_days", "updated_at"])
    record_event(actor, "community.archive_grace", community, days=days)
    return community


def archive_due_communities(today=None):
    """Archive the closed and dissolved communities whose grace period is over and whose final
    record has been given (the others wait, and their leads are reminded). Returns how many."""
    today = today or timezone.localdate()
    candidates = Community.objects.filter(
        state__in=[State.CLOSED, State.DISSOLVED],
        closed_on__isnull=False,
        final_record__given_at__isnull=False,
    )
    archived = 0
    for community in candidates:
        if community.archive_due_on and community.archive_due_on <= today:
            try:
                transition(None, community, "archive")
            except ValidationError:
                continue  # moved meanwhile by someone else
            archived += 1
    return archived


# --- health reviews ---------------------------------------------------------------------------


def clean_ratings(ratings):
    """{criterion: {"rating", "comment"}} checked against the checklist; ValidationError
    {criterion: message} names each criterion left without a rating."""
    errors, cleaned = {}, {}
    for key in CRITERIA_KEYS:
        value = ratings.get(key) or {}
        rating = value.get("rating", "")
        if rating not in Rating.values:
            errors[key] = _("Rate this criterion: OK, to watch or problem.")
            continue
        cleaned[key] = {"rating": rating, "comment": (value.get("comment") or "").strip()}
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def record_health_review(actor, community, *, ratings, decision, comment="", facts=None):
    """The lead or core group rate the checklist and decide. "Evolve" reopens the framing and
    sends it back to the coordinators' review; "dissolve" opens the way to the closing page."""
    _locked(community)
    _forget_memberships(community)
    ensure_writable(community)
    _require(actor, "communities.fill_health_review", community)
    errors = {}
    try:
        ratings = clean_ratings(ratings)
    except ValidationError as error:
        errors.update(error.message_dict)
    if decision not in HealthDecision.values:
        errors["decision"] = [_("Choose a decision: continue, evolve or dissolve.")]
    elif decision != HealthDecision.CONTINUE and not comment.strip():
        errors["comment"] = [_("Say why: the members and the coordinators will read it.")]
    if errors:
        raise ValidationError(errors)
    review = HealthReview.objects.create(
        community=community,
        author=actor,
        ratings=ratings,
        facts={k: str(v) for k, v in (facts or {}).items()},
        decision=decision,
        comment=comment.strip(),
    )
    community.__dict__["_latest_health_review"] = review
    record_event(actor, "community.health_review", community, decision=decision)
    if decision == HealthDecision.EVOLVE:
        transition(actor, community, "reframe", reason=comment)
    if decision != HealthDecision.CONTINUE:
        _notify_after_commit(
            User.objects.coordinators(),
            "communities.health_decision",
            actor=actor,
            url=community.get_absolute_url(),
            community=community.title,
            decision=decision,
            note=comment,
        )
    return review


@transaction.atomic
def set_season_length(actor, community, months):
    """One season for the whole life (None), or seasons of `months` months."""
    ensure_writable(community)
    _require(actor, "communities.edit_framing", community)
    if months is not None and not 1 <= months <= 60:
        raise ValidationError({"season_months": _("A season lasts from 1 to 60 months.")})
    community.season_months = months
    community.save(update_fields=["season_months", "updated_at"])
    record_event(actor, "community.season_length", community, months=months)
    return community
