from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="8", minute="0"))
def remind_follow_ups():
    """Daily: remind presenters whose co-development follow-up is due."""
    from .services import remind_follow_ups as remind

    return remind()


@db_periodic_task(crontab(hour="8", minute="5"))
def remind_closed_suggestions():
    """Daily: remind presenters whose session's suggestions have just closed."""
    from .services import remind_closed_suggestions as remind

    return remind()
