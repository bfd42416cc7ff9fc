"""Signed one-click unsubscribe links (RFC 8058), valid without logging in.

A link names one person and one scope ("group:meetings", "digest:weekly"); the signature covers
both, so a link cannot be turned into another person's or another scope's.
"""

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .kinds import DIGESTS, GROUPS, Delivery

SALT = "cercles.notifications.unsubscribe"


def make_token(user, scope):
    return signing.Signer(salt=SALT).sign(f"{user.pk}.{scope}")


def read_token(token):
    """(user id, scope) of a valid token; raises signing.BadSignature otherwise."""
    value = signing.Signer(salt=SALT).unsign(token)
    user_id, _sep, scope = value.partition(".")
    if not user_id.isdigit() or not is_known_scope(scope):
        raise signing.BadSignature("unknown unsubscribe scope")
    return int(user_id), scope


def is_known_scope(scope):
    kind, _sep, value = scope.partition(":")
    return (kind == "group" and value in GROUPS) or (kind == "digest" and value in DIGESTS)


def unsubscribe_path(user, scope):
    return reverse("notifications:unsubscribe", args=[make_token(user, scope)])


def describe(scope):
    """What a scope stops, in plain words (lazy)."""
    kind, _sep, value = scope.partition(":")
    if kind == "digest":
        return _("the daily digest") if value == Delivery.DAILY else _("the weekly digest")
    return GROUPS[value].label
