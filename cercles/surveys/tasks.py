from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="7"))
def run_survey_calendar():
    """Every hour: open the surveys whose day has come, remind, close the finished ones."""
    return services.run_calendar()


@db_periodic_task(crontab(hour="3", minute="17"))
def refresh_survey_follow_ups():
    """Every night: the follow-up signals that change with the date alone (due, overdue)."""
    return services.refresh_all_follow_ups()
