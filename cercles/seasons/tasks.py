"""Jobs of seasons: the printable celebration, and the daily reminders of the rhythm."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=2, retry_delay=60)
def make_celebration_pdfs(season_id):
    """Render the celebration of a season as PDF, in every language (WeasyPrint is slow)."""
    from .pdf import make_pdfs

    return make_pdfs(season_id)


@db_periodic_task(crontab(hour="7", minute="20"))
def send_season_reminders():
    """Every morning: end of life in 30 days, season ending in 14 days or ended, health review
    due, a closed community still without its final record. Each reminder goes out once."""
    from .reminders import send_reminders

    return send_reminders()
