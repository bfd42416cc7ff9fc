from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*/15"))
def remind_upcoming_meetings():
    """Every quarter of an hour: remind the members of meetings starting within 24 hours."""
    return services.send_due_reminders()
