"""Bounces that arrive after a message left: delivery status notifications (RFC 3464)."""

from django.db import transaction

from .models import EmailDelivery, EmailStatus, SuppressedAddress
from .sending import record_id_of


def _fields(part):
    """The header blocks of a message/delivery-status part, as a list of dicts."""
    blocks = []
    payload = part.get_payload()
    for block in payload if isinstance(payload, list) else []:
        blocks.append({key.lower(): str(value) for key, value in block.items()})
    return blocks


@transaction.atomic
def record_report(report):
    """Record each failed recipient of a DSN: the copy it is about is marked bounced and, for a
    permanent failure (status 5.x.x), the address is stopped. Returns [(address, status)]."""
    original_id = ""
    failed = []
    for part in report.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            for block in _fields(part):
                if block.get("action", "").lower() != "failed":
                    continue
                address = block.get("final-recipient", "").split(";")[-1].strip().lower()
                status = block.get("status", "").strip()
                diagnostic = block.get("diagnostic-code", "")
                if address:
                    failed.append((address, status, diagnostic))
        elif content_type in ("message/rfc822", "text/rfc822-headers") and not original_id:
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                original_id = inner[0].get("Message-ID", "")
            elif isinstance(inner, str):
                for line in inner.splitlines():
                    if line.lower().startswith("message-id:"):
                        original_id = line.split(":", 1)[1].strip()
                        break
    record_id = record_id_of(original_id) if original_id else None
    recorded = []
    for address, status, diagnostic in failed:
        permanent = status.startswith("5")
        detail = f"bounce {status} {diagnostic}".strip()[:2000]
        if record_id is not None:
            EmailDelivery.objects.filter(pk=record_id, address__iexact=address).update(
                status=EmailStatus.BOUNCED if permanent else EmailStatus.FAILED, error=detail
            )
        if permanent:
            SuppressedAddress.objects.get_or_create(address=address, defaults={"reason": detail})
        recorded.append((address, "stopped" if permanent else "temporary failure"))
    return recorded
