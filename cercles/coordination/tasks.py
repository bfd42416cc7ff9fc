from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .figures import refresh_figures


@db_periodic_task(crontab(minute="25"))
def refresh_follow_up_figures():
    """Every hour: the dashboard's figures and flags of every community followed."""
    return len(refresh_figures())
