"""Accompaniment: `add_need`, `assign_mentor` (a person of the network or a third party invited as
a guest), `log_session`, `end_mentorship`, `save_mentor_profile`, and the mentors suggested for
a need (`suggest_mentors`)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cercles.accounts.models import User
from cercles.communities.archive import ensure_writable
from cercles.communities.lifecycle import State
from cercles.communities.models import LEADING_ROLES, Community, Membership, MembershipStatus
from cercles.core.audit import record_event
from cercles.notifications.services import notify

from .models import (
    MentoringSession,
    MentorKind,
    MentorProfile,
    Mentorship,
    NeedStatus,
    Subject,
    SupportNeed,
)

SUGGESTIONS = 8
# Lists people grow have a ceiling (issue 19: no page grows without bound): a community's needs
# (all on its accompaniment page) and the sessions of one accompaniment (on the need's page).
MAX_NEEDS = 50
MAX_SESSIONS = 100
# Communities whose former leads are suggested first (seed 000: "ex-leader ayant terminé").
ENDED = (State.CLOSED, State.ARCHIVED)


def _require(actor, permission, obj):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def _leading_ids(community):
    return set(
        Membership.objects.filter(
            community=community, role__in=LEADING_ROLES, status=MembershipStatus.ACTIVE
        ).values_list("user_id", flat=True)
    ) | {community.lead_id}


@transaction.atomic
def add_need(actor, community, *, subject, scope, urgency, description):
    ensure_writable(community)
    _require(actor, "mentoring.add_need", community)
    if SupportNeed.objects.filter(community=community).count() >= MAX_NEEDS:
        raise ValidationError(
            _("A community has at most %(max)d needs: close the ones that are met.")
            % {"max": MAX_NEEDS}
        )
    need = SupportNeed(
        community=community,
        subject=subject,
        scope=scope,
        urgency=urgency,
        description=description.strip(),
        created_by=actor,
    )
    need.full_clean()
    need.save()
    record_event(actor, "mentoring.need_added", community, need=need.pk)
    url = need.get_absolute_url()
    subject_label = need.get_subject_display()
    transaction.on_commit(
        lambda: notify(
            User.objects.coordinators(),
            "mentoring.need_added",
            actor=actor,
            url=url,
            community=community.title,
            community_id=community.pk,
            subject=str(subject_label),
        )
    )
    return need


def _guest_for(name, email):
    """The account of a third party: a guest who reads only the communities they accompany."""
    from allauth.account.models import EmailAddress

    guest = User.objects.create_user(
        username=f"guest-{User.objects.count() + 1}-{email.split('@')[0]}"[:150],
        email=email,
        display_name=name,
        is_guest=True,
    )
    guest.set_unusable_password()
    guest.save(update_fields=["password"])
    EmailAddress.objects.create(user=guest, email=email, verified=True, primary=True)
    return guest


@transaction.atomic
def assign_mentor(actor, need, *, mentor=None, name="", email=""):
    """Assign a mentor to a need: a person of the network (`mentor`, or found by `email`), or a
    third party (`name` and `email` of someone with no account), invited as a guest who reads
    that community only, for the time of the accompaniment."""
    community = need.community
    ensure_writable(community)
    _require(actor, "mentoring.assign_mentor", community)
    leading = _leading_ids(community)
    if actor.pk in leading:
        raise ValidationError(
            _("You lead this community: another coordinator assigns its mentors.")
        )
    email = (email or "").strip().lower()
    name = (name or "").strip()
    new_guest = False
    if mentor is None and email:
        mentor = User.objects.filter(email__iexact=email).first()
        if mentor is None:
            if not name:
                raise ValidationError(
                    {
                        "name": _(
                            "Give the third party's name: nobody in the network has this email."
                        )
                    }
                )
            mentor = _guest_for(name, email)
            new_guest = True
    if mentor is None:
        raise ValidationError(
            {"email": _("Choose a person of the network, or give a third party's name and email.")}
        )
    if not mentor.is_active or mentor.deleted_at is not None:
        raise ValidationError({"email": _("This person is no longer in the network.")})
    if mentor.pk in leading:
        raise ValidationError(_("The lead and co-lead of the community cannot be its mentors."))
    if Mentorship.objects.current().filter(need=need, mentor=mentor).exists():
        raise ValidationError(_("%(name)s already accompanies this need.") % {"name": mentor.name})
    if mentor.is_guest:
        kind = MentorKind.THIRD_PARTY
    elif mentor.is_coordinator:
        kind = MentorKind.COORDINATOR
    else:
        kind = MentorKind.PEER
    mentorship = Mentorship.objects.create(
        need=need, community=community, mentor=mentor, kind=kind, assigned_by=actor
    )
    if need.status == NeedStatus.OPEN:
        need.status = NeedStatus.ACCOMPANIED
        need.save(update_fields=["status", "updated_at"])
    record_event(
        actor, "mentoring.mentor_assigned", community, need=need.pk, mentor=mentor.pk, kind=kind
    )
    subject = str(need.get_subject_display())
    url = need.get_absolute_url()
    leads = list(User.objects.filter(pk__in=_leading_ids(community)))

    def tell():
        if new_guest:
            _email_guest(mentorship)
        else:
            notify(
                mentor,
                "mentoring.mentor_assigned",
                actor=actor,
                url=url,
                community=community.title,
                community_id=community.pk,
                subject=subject,
            )
        notify(
            leads,
            "mentoring.mentor_found",
            actor=actor,
            url=url,
            community=community.title,
            community_id=community.pk,
            subject=subject,
            mentor=mentor.name,
        )

    transaction.on_commit(tell)
    return mentorship


def _email_guest(mentorship):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string

    from cercles.core.email import queue_email

    guest = mentorship.mentor
    key_url = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(guest),
            "key": default_token_generator.make_token(guest),
        },
    )
    context = {
        "mentorship": mentorship,
        "community": mentorship.community,
        "password_url": settings.SITE_URL + key_url,
        "community_url": settings.SITE_URL + mentorship.need.get_absolute_url(),
    }
    subject = _("You are invited to accompany the community “%(community)s”") % {
        "community": mentorship.community.title
    }
    body = render_to_string("mentoring/emails/guest_invitation.txt", context)
    queue_email(EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [guest.email]))


@transaction.atomic
def log_session(actor, mentorship, *, held_on, format, notes, next_steps=""):
    ensure_writable(mentorship.community)
    _require(actor, "mentoring.log_session", mentorship)
    if mentorship.sessions.count() >= MAX_SESSIONS:
        raise ValidationError(
            _("An accompaniment logs at most %(max)d sessions: end it and assign a new one.")
            % {"max": MAX_SESSIONS}
        )
    if held_on and held_on > timezone.localdate() + datetime.timedelta(days=1):
        raise ValidationError({"held_on": _("Log a session once it was held.")})
    session = MentoringSession(
        mentorship=mentorship,
        held_on=held_on,
        format=format,
        notes=notes.strip(),
        next_steps=next_steps.strip(),
        author=actor,
    )
    session.full_clean()
    session.save()
    record_event(actor, "mentoring.session_logged", mentorship.community, session=session.pk)
    community = mentorship.community
    url = mentorship.need.get_absolute_url() + f"#session-{session.pk}"
    readers = list(User.objects.filter(pk__in=_leading_ids(community)))
    transaction.on_commit(
        lambda: notify(
            readers,
            "mentoring.session_logged",
            actor=actor,
            url=url,
            community=community.title,
            community_id=community.pk,
        )
    )
    return session


@transaction.atomic
def end_mentorship(actor, mentorship, *, assessment):
    ensure_writable(mentorship.community)
    _require(actor, "mentoring.end_mentorship", mentorship)
    assessment = assessment.strip()
    if not assessment:
        raise ValidationError({"assessment": _("Write a short assessment of the accompaniment.")})
    mentorship.assessment = assessment
    mentorship.ended_at = timezone.now()
    mentorship.full_clean()
    mentorship.save(update_fields=["assessment", "ended_at"])
    need = mentorship.need
    if not need.mentorships.current().exists():
        need.status = NeedStatus.CLOSED
        need.save(update_fields=["status", "updated_at"])
    record_event(
        actor, "mentoring.mentorship_ended", mentorship.community, mentorship=mentorship.pk
    )
    return mentorship


@transaction.atomic
def save_mentor_profile(actor, *, available, subjects, note=""):
    _require(actor, "mentoring.edit_mentor_profile", None)
    profile, _created = MentorProfile.objects.get_or_create(user=actor)
    profile.available = bool(available)
    profile.subjects = [s for s in subjects if s in Subject.values]
    profile.note = note.strip()
    profile.full_clean()
    profile.save()
    return profile


def suggest_mentors(need, limit=SUGGESTIONS):
    """[(person, [reasons])]: former leads of closed communities first, then people available to
    mentor on the need's subject, then people sharing the community's themes. Three queries."""
    community = need.community
    themes = community.themes.values("pk")
    ended = Community.objects.filter(lead=OuterRef("pk"), state__in=ENDED)
    candidates = list(
        User.objects.filter(is_active=True, is_guest=False, deleted_at__isnull=True)
        .exclude(pk__in=_leading_ids(community))
        .annotate(
            former_lead=Exists(ended),
            shared_themes=Count("themes", filter=Q(themes__in=themes), distinct=True),
        )
        .filter(Q(former_lead=True) | Q(shared_themes__gt=0) | Q(mentor_profile__available=True))
        .select_related("mentor_profile")
        .order_by("-former_lead", "-shared_themes", "display_name", "pk")[: limit * 4]
    )
    led = {}
    for pk, title in Community.objects.filter(
        lead__in=[c.pk for c in candidates if c.former_lead], state__in=ENDED
    ).values_list("lead_id", "title"):
        led.setdefault(pk, []).append(title)

    def profile_of(person):
        try:
            return person.mentor_profile
        except MentorProfile.DoesNotExist:
            return None

    scored = []
    for person in candidates:
        profile = profile_of(person)
        available = bool(profile and profile.available)
        on_subject = available and need.subject in profile.subjects
        reasons = []
        if person.former_lead:
            reasons.append(
                _("former lead of %(communities)s")
                % {"communities": ", ".join(led.get(person.pk, []))}
            )
        if on_subject:
            reasons.append(_("available to mentor on this subject"))
        elif available:
            reasons.append(_("available to mentor"))
        if person.shared_themes:
            reasons.append(
                ngettext(
                    "%(count)s theme in common", "%(count)s themes in common", person.shared_themes
                )
                % {"count": person.shared_themes}
            )
        key = (not person.former_lead, not on_subject, not available, -person.shared_themes)
        scored.append((key, person.name.casefold(), person, reasons))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [(person, reasons) for _key, _name, person, reasons in scored[:limit]]
