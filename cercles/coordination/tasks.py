from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .figures import refresh_figures


@db_periodic_task(crontab(minute="25"))
def refresh_follow_up_figures():
    """Every hour: the dashboard's figures and flags of every community followed."""
    return len(refresh_figures())


@db_periodic_task(crontab(minute="35"))
def sync_the_leads_circle():
    """Every hour: the leads' circle follows the running communities' leads and co-leads."""
    from .leads_circle import sync_leads_circle

    circle = sync_leads_circle()
    return circle.member_count if circle else 0


@db_periodic_task(crontab(hour="9", minute="30"))
def send_friendly_reminders():
    """Every morning: a reminder to the leads of quiet communities, at most once a week."""
    from .nudges import send_nudges

    return send_nudges()
