"""Periodic jobs of the communities app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="0"))
def remind_due_milestones():
    """Every morning: milestones and tasks due within three days, each reminded once."""
    from .planning import send_due_reminders

    return send_due_reminders()


@db_periodic_task(crontab(hour="2", minute="40"))
def archive_closed_communities():
    """Every night: archive the closed communities whose grace period is over."""
    from .services import archive_due_communities

    return archive_due_communities()
