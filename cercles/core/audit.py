from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def record_event(actor, action, target, **details):
    """Append an audit event; called by services inside their transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        details=details,
    )


def events_for(target):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")
