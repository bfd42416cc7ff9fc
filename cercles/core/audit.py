"""The audit log: who did what to which object, when, from which address.

Services call `record_event` inside their transaction. The address is the one of the request
being served (set by `AuditAddressMiddleware`); jobs and commands record none. Apps register the
actions that coordinators read in the audit log (role changes, removals, reviews, deletions,
exports, tokens, restores) with `register_actions`, each with a label in the reader's language.
"""

import contextvars

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent

_address = contextvars.ContextVar("audit_address", default=None)

# {action: label}: the sensitive actions listed in the coordinators' audit log.
SENSITIVE_ACTIONS: dict[str, object] = {}


def register_actions(actions):
    """Add sensitive actions ({"membership.removed": _("Member removed")}) to the audit log."""
    SENSITIVE_ACTIONS.update(actions)


def action_label(action):
    return SENSITIVE_ACTIONS.get(action, action)


def client_address(request):
    """The address the request came from; behind a trusted proxy, the one the proxy saw."""
    if getattr(settings, "AUDIT_TRUST_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class AuditAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _address.reset(token)


def record_event(actor, action, target=None, **details):
    """Append an audit event; called by services inside their transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        details=details,
        ip_address=_address.get(),
    )


def events_for(target):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")
