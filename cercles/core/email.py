from .tasks import deliver_email


def queue_email(message):
    """Send an already rendered email through the job queue, so that no page waits on SMTP."""
    html = next(
        (content for content, mime in getattr(message, "alternatives", []) if mime == "text/html"),
        None,
    )
    deliver_email(
        str(message.subject),
        message.body,
        message.from_email,
        list(message.to),
        html=html,
        headers=dict(message.extra_headers),
    )
