"""The registry of notification kinds and of the groups people choose a channel for.

A kind's message is a lazy format string rendered when it is displayed, in the reader's language,
from the plain values stored with the notification (names, titles). Every message may use
`%(actor)s`, filled in by `notify()` with the actor's name. A kind with `variants` picks its
message by the value of one parameter (a decision, a role, a state), so that the word that changes
is translated too; `message` is the fallback when the stored value is no longer known. A `note`
parameter, when given, is free text written by the actor (a reason, a message to the person),
shown under the message as it was written.

Kinds are gathered in a few groups named in plain words ("Meetings", "Mentions and replies to
me"): a person chooses one channel per group, and each group has defaults by the person's role
in the community concerned (the outer circle reads a weekly digest). Other apps register their
kinds here, next to these ones, in one of the groups below (or a group of their own).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person receives one group of kinds."""

    IN_APP = "in_app", _("In the app only")
    IMMEDIATE = "immediate", _("In the app and by email at once")
    DAILY = "daily", _("In the app and in the daily digest")
    WEEKLY = "weekly", _("In the app and in the weekly digest")
    OFF = "off", _("Never")


DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)

# The same channels in a few words, where the defaults are summed up.
SHORT_LABELS = {
    Delivery.IN_APP: _("app only"),
    Delivery.IMMEDIATE: _("email at once"),
    Delivery.DAILY: _("daily digest"),
    Delivery.WEEKLY: _("weekly digest"),
    Delivery.OFF: _("never"),
}


class Level(models.TextChoices):
    """How much a person hears from one community."""

    ALL = "all", _("Follow everything")
    MINE = "mine", _("Only what concerns me")
    MUTE = "mute", _("Mute")


# A person's role in the community a notification is about, as the communities app names it;
# "" when the notification is about no community or the person is not a member of it.
ROLE_LABELS = {
    "lead": _("lead"),
    "co_lead": _("co-lead"),
    "core": _("core group"),
    "inner": _("inner circle"),
    "outer": _("outer circle"),
    "": _("outside communities"),
}
ANY_ROLE = "*"


@dataclass(frozen=True)
class Group:
    """Kinds a person receives the same way: one channel per group on the settings page."""

    key: str
    label: Promise
    description: Promise
    # {role: delivery}; ANY_ROLE for every role not named.
    defaults: Mapping[str, str] = field(hash=False)
    order: int = 100
    # A mailing (the newsletter) is sent by email or not at all.
    mailing: bool = False

    def default_for(self, role=""):
        return self.defaults.get(role or "", self.defaults[ANY_ROLE])

    @property
    def choices(self):
        if self.mailing:
            return [(Delivery.IMMEDIATE.value, _("By email")), (Delivery.OFF.value, _("Never"))]
        return Delivery.choices

    def defaults_by_delivery(self):
        """[(short delivery label, [role labels])] for the settings page, in channel order."""
        roles = {}
        for role in ROLE_LABELS:
            roles.setdefault(self.default_for(role), []).append(ROLE_LABELS[role])
        if len(roles) == 1:
            return [(SHORT_LABELS[value], [_("whatever my role")]) for value in roles]
        return [(SHORT_LABELS[value], roles[value]) for value in Delivery.values if value in roles]


GROUPS: dict[str, Group] = {}


def register_group(key, label, description, *, defaults, order=100, mailing=False):
    if key in GROUPS:
        raise ValueError(f"notification group {key!r} is already registered")
    if ANY_ROLE not in defaults:
        raise ValueError(f"group {key!r} needs a default for every role ({ANY_ROLE!r})")
    group = Group(key, label, description, dict(defaults), order, mailing)
    GROUPS[key] = group
    return group


def get_group(key):
    try:
        return GROUPS[key]
    except KeyError:
        raise LookupError(f"unknown notification group {key!r}") from None


def all_groups():
    return sorted(GROUPS.values(), key=lambda g: (g.order, g.key))


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    message: Promise
    group: str
    variant_param: str = ""
    variants: Mapping[str, Promise] = field(default_factory=dict, hash=False)
    # Concerns the recipient personally (a mention, a decision on their request): still sent
    # when they follow a community for "only what concerns me".
    personal: bool = False
    # False when a digest section already tells the same news (a meeting planned is listed by
    # the meetings section of the digest): the notification then stays in the app.
    in_digest: bool = True
    # Shown in a digest only while the person is still a member of the community (invitations
    # and answers to requests reach people who are not members).
    member_only: bool = True

    def render(self, params):
        """The message in the current language; raises KeyError if a parameter is missing."""
        template = self.message
        if self.variant_param:
            template = self.variants.get(params.get(self.variant_param), self.message)
        return str(template) % params

    def check_params(self, params):
        if self.variant_param and params.get(self.variant_param) not in self.variants:
            raise ValueError(
                f"notification {self.key!r} needs {self.variant_param!r} among "
                f"{sorted(self.variants)}, got {params.get(self.variant_param)!r}"
            )
        self.render(params)


KINDS: dict[str, Kind] = {}


def register(
    key,
    label,
    message,
    *,
    group,
    variant_param="",
    variants=None,
    personal=False,
    in_digest=True,
    member_only=True,
):
    if key in KINDS:
        raise ValueError(f"notification kind {key!r} is already registered")
    if bool(variant_param) != bool(variants):
        raise ValueError("variant_param and variants go together")
    get_group(group)
    kind = Kind(
        key,
        label,
        message,
        group,
        variant_param,
        dict(variants or {}),
        personal,
        in_digest,
        member_only,
    )
    KINDS[key] = kind
    return kind


def get_kind(key_or_kind):
    """The registered kind for a key (or the kind itself); LookupError if unknown."""
    if isinstance(key_or_kind, Kind):
        return key_or_kind
    try:
        return KINDS[key_or_kind]
    except KeyError:
        raise LookupError(f"unknown notification kind {key_or_kind!r}") from None


def all_kinds():
    return list(KINDS.values())


def kinds_of(group_key):
    return [kind for kind in KINDS.values() if kind.group == group_key]


# --- Groups --------------------------------------------------------------------------------------
# Defaults (seed 001): the outer circle follows from a distance, by a weekly digest; people at
# the centre hear at once; what is addressed to a person reaches them at once wherever they are.

_CENTRE = {"lead": Delivery.IMMEDIATE, "co_lead": Delivery.IMMEDIATE, "core": Delivery.IMMEDIATE}

DISCUSSIONS = register_group(
    "discussions",
    _("Discussions in my communities"),
    _("New threads, replies in the threads I follow, follow-ups of co-development sessions."),
    defaults={**_CENTRE, "inner": Delivery.DAILY, "outer": Delivery.WEEKLY,
              ANY_ROLE: Delivery.WEEKLY},
    order=10,
)  # fmt: skip
MENTIONS = register_group(
    "mentions",
    _("Mentions and replies to me"),
    _("When someone mentions me, answers the problem I presented or moderates my posts."),
    defaults={ANY_ROLE: Delivery.IMMEDIATE},
    order=20,
)
MEETINGS = register_group(
    "meetings",
    _("Meetings"),
    _("Meetings planned, moved or cancelled, reminders, minutes published."),
    defaults={**_CENTRE, "inner": Delivery.IMMEDIATE, "outer": Delivery.WEEKLY,
              ANY_ROLE: Delivery.IMMEDIATE},
    order=30,
)  # fmt: skip
LIBRARY = register_group(
    "library",
    _("Library and productions"),
    _("New notes, files and links, productions delivered by my communities."),
    defaults={**_CENTRE, "inner": Delivery.DAILY, "outer": Delivery.WEEKLY,
              ANY_ROLE: Delivery.WEEKLY},
    order=40,
)  # fmt: skip
PLAN = register_group(
    "plan",
    _("Next steps and milestones"),
    _("Next steps changed, milestones and tasks entrusted to me or due soon, reminders to leads."),
    defaults={**_CENTRE, "inner": Delivery.DAILY, "outer": Delivery.WEEKLY,
              ANY_ROLE: Delivery.IMMEDIATE},
    order=50,
)  # fmt: skip
MEMBERSHIP = register_group(
    "membership",
    _("Membership"),
    _("Requests to join, invitations, answers, changes of my role."),
    defaults={ANY_ROLE: Delivery.IMMEDIATE},
    order=60,
)
REVIEWS = register_group(
    "reviews",
    _("Reviews and the life of my communities"),
    _("Framings submitted and reviewed, communities opened, closed or archived."),
    defaults={**_CENTRE, "inner": Delivery.DAILY, "outer": Delivery.WEEKLY,
              ANY_ROLE: Delivery.IMMEDIATE},
    order=70,
)  # fmt: skip
SURVEYS = register_group(
    "surveys",
    _("Surveys"),
    _("Surveys opened in my communities and waiting for my answer."),
    defaults={**_CENTRE, "inner": Delivery.IMMEDIATE, "outer": Delivery.WEEKLY,
              ANY_ROLE: Delivery.IMMEDIATE},
    order=80,
)  # fmt: skip
COORDINATION = register_group(
    "coordination",
    _("Coordination"),
    _("Calls for help from communities and what the network's coordinators follow."),
    defaults={ANY_ROLE: Delivery.IMMEDIATE},
    order=90,
)
NEWSLETTER = register_group(
    "newsletter",
    _("The network newsletter"),
    _("News of the network with a part of my own: my next steps, meetings, recommendations."),
    defaults={ANY_ROLE: Delivery.IMMEDIATE},
    order=100,
    mailing=True,
)

# --- Communities: lead and co-lead ---------------------------------------------------------------

COLEAD_INVITED = register(
    "colead.invited",
    _("Invitation to co-lead a community"),
    _("%(actor)s invited you to co-lead “%(community)s”"),
    group="membership",
    personal=True,
    member_only=False,
)
COLEAD_ANSWERED = register(
    "colead.answered",
    _("Answer to my co-lead invitation"),
    _("%(actor)s answered your invitation to co-lead “%(community)s”"),
    variant_param="decision",
    variants={
        "accepted": _("%(actor)s accepted to co-lead “%(community)s”"),
        "declined": _("%(actor)s declined your invitation to co-lead “%(community)s”"),
    },
    group="membership",
    personal=True,
)

# --- Communities: review and lifecycle -----------------------------------------------------------

COMMUNITY_SUBMITTED = register(
    "community.submitted",
    _("Framing submitted for review"),
    _("%(actor)s submitted the framing of “%(community)s” for review"),
    group="reviews",
    personal=True,
    member_only=False,
)
COMMUNITY_REVIEWED = register(
    "community.reviewed",
    _("Review decision on my community"),
    _("%(actor)s reviewed the framing of “%(community)s”"),
    variant_param="decision",
    variants={
        "validated": _("%(actor)s validated “%(community)s”: it is now open to members"),
        "changes_requested": _("%(actor)s requested changes to the framing of “%(community)s”"),
        "declined": _("%(actor)s declined the framing of “%(community)s”"),
    },
    group="reviews",
    personal=True,
)
COMMUNITY_STATE_CHANGED = register(
    "community.state_changed",
    _("Change of state of my communities"),
    _("The state of “%(community)s” has changed"),
    variant_param="state",
    variants={
        "draft": _("“%(community)s” is back to draft"),
        "in_review": _("“%(community)s” is in review"),
        "changes_requested": _("Changes were requested to “%(community)s”"),
        "open": _("“%(community)s” is now open to members"),
        "active": _("“%(community)s” is now active"),
        "closed": _("“%(community)s” has been closed"),
        "archived": _("“%(community)s” has been archived"),
        "declined": _("“%(community)s” has been declined"),
        "dissolved": _("“%(community)s” has been dissolved"),
        "reframing": _("“%(community)s” is revising its framing, to be reviewed again"),
    },
    group="reviews",
)

# --- Communities: membership ---------------------------------------------------------------------

MEMBERSHIP_REQUESTED = register(
    "membership.requested",
    _("Request to join a community I lead"),
    _("%(actor)s asked to join “%(community)s”"),
    group="membership",
    personal=True,
)
MEMBERSHIP_ANSWERED = register(
    "membership.answered",
    _("Answer to my request to join"),
    _("%(actor)s answered your request to join “%(community)s”"),
    variant_param="decision",
    variants={
        "approved": _("%(actor)s approved your request to join “%(community)s”"),
        "declined": _("%(actor)s declined your request to join “%(community)s”"),
    },
    group="membership",
    personal=True,
    member_only=False,
)
MEMBERSHIP_INVITED = register(
    "membership.invited",
    _("Invitation to join a community"),
    _("%(actor)s invited you to join “%(community)s”"),
    group="membership",
    personal=True,
    member_only=False,
)
MEMBERSHIP_ROLE_CHANGED = register(
    "membership.role_changed",
    _("Change of my role in a community"),
    _("%(actor)s changed your role in “%(community)s”"),
    variant_param="role",
    variants={
        "lead": _("%(actor)s made you the lead of “%(community)s”"),
        "co_lead": _("%(actor)s made you co-lead of “%(community)s”"),
        "core": _("%(actor)s made you a core member of “%(community)s”"),
        "inner": _("%(actor)s moved you to the inner circle of “%(community)s”"),
        "outer": _("%(actor)s moved you to the outer circle of “%(community)s”"),
    },
    group="membership",
    personal=True,
)
MEMBERSHIP_REMOVED = register(
    "membership.removed",
    _("Removal from a community"),
    _("%(actor)s removed you from “%(community)s”"),
    group="membership",
    personal=True,
    member_only=False,
)
