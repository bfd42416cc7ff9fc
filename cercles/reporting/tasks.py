"""Jobs of reporting: the printable quarterly report (WeasyPrint is slow)."""

from huey.contrib.djhuey import db_task


@db_task(retries=2, retry_delay=60)
def make_report_pdf(report_id):
    from .pdf import make_pdf

    return make_pdf(report_id)
