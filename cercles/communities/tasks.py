"""Periodic jobs of the communities app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="0"))
def remind_due_milestones():
    """Every morning: milestones and tasks due within three days, each reminded once."""
    from .planning import send_due_reminders

    return send_due_reminders()


@db_periodic_task(crontab(hour="9", minute="0"))
def remind_next_steps():
    """Every morning: leads whose next steps have not moved for a month get a nudge (once a
    month per community)."""
    from .notifying import remind_next_steps as remind

    return remind()
