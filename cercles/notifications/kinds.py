"""The registry of notification kinds: what can be notified, how it reads and how it is delivered.

A kind's message is a lazy format string rendered when it is displayed, in the reader's language,
from the plain values stored with the notification (names, titles). Every message may use
`%(actor)s`, filled in by `notify()` with the actor's name. A kind with `variants` picks its
message by the value of one parameter (a decision, a role, a state), so that the word that changes
is translated too; `message` is the fallback when the stored value is no longer known. A `note`
parameter, when given, is free text written by the actor (a reason, a message to the person),
shown under the message as it was written.

Other apps register their kinds here, next to these ones, so that the settings page lists them all.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person receives one kind. Digests will add values; stored rows stay valid."""

    IMMEDIATE = "immediate", _("In the app and by email immediately")
    IN_APP = "in_app", _("In the app only")
    OFF = "off", _("Never")


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    message: Promise
    default_delivery: str = Delivery.IMMEDIATE
    variant_param: str = ""
    variants: Mapping[str, Promise] = field(default_factory=dict, hash=False)

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
    key, label, message, *, default_delivery=Delivery.IMMEDIATE, variant_param="", variants=None
):
    if key in KINDS:
        raise ValueError(f"notification kind {key!r} is already registered")
    if bool(variant_param) != bool(variants):
        raise ValueError("variant_param and variants go together")
    kind = Kind(key, label, message, default_delivery, variant_param, dict(variants or {}))
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


# --- Communities: lead and co-lead ----------------------------------------------------------

COLEAD_INVITED = register(
    "colead.invited",
    _("Invitation to co-lead a community"),
    _("%(actor)s invited you to co-lead “%(community)s”"),
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
)

# --- Communities: review and lifecycle ------------------------------------------------------

COMMUNITY_SUBMITTED = register(
    "community.submitted",
    _("Framing submitted for review"),
    _("%(actor)s submitted the framing of “%(community)s” for review"),
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
)

# --- Communities: membership ----------------------------------------------------------------

MEMBERSHIP_REQUESTED = register(
    "membership.requested",
    _("Request to join a community I lead"),
    _("%(actor)s asked to join “%(community)s”"),
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
)
MEMBERSHIP_INVITED = register(
    "membership.invited",
    _("Invitation to join a community"),
    _("%(actor)s invited you to join “%(community)s”"),
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
)
MEMBERSHIP_REMOVED = register(
    "membership.removed",
    _("Removal from a community"),
    _("%(actor)s removed you from “%(community)s”"),
)
