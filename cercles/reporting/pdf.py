"""The printable quarterly report, made with WeasyPrint by a background job: A4, the network's
name on every page, a table of contents with page numbers, the charts as SVG."""

import base64

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import QuarterlyReport
from .reading import report_context


def _data_uri(contribution):
    """The image inside the document: WeasyPrint fetches nothing from outside."""
    try:
        with contribution.image.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):
        return ""
    kind = "png" if contribution.image_extension == "png" else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(content).decode()


def render_report_html(report, language):
    context = report_context(report)
    for block in context["blocks"]:
        for contribution in block.contributions.all():
            if contribution.image:
                contribution.print_src = _data_uri(contribution)
    with translation.override(language):
        return render_to_string(
            "reporting/report_print.html",
            {
                **context,
                "language": language,
                "network_name": settings.NETWORK_NAME,
                "site_url": settings.SITE_URL.rstrip("/"),
            },
        )


def render_report_pdf(report, language=None):
    """The report as PDF bytes, in `language` (the site's default when not given)."""
    from weasyprint import HTML  # heavy: imported by the job only

    language = language or settings.LANGUAGE_CODE
    html = render_report_html(report, language)
    return HTML(string=html, url_fetcher=inline_only()).write_pdf()


def inline_only():
    """WeasyPrint's fetcher limited to what the document carries (data: URIs): whatever the
    members wrote, the job never fetches an address, inside the network or out."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


def make_pdf(report_id):
    """Render the published report and keep its PDF (replacing an earlier one)."""
    report = QuarterlyReport.objects.filter(pk=report_id).first()
    if report is None or not report.is_published:
        return False
    content = render_report_pdf(report)
    if report.pdf:
        report.pdf.delete(save=False)
    report.pdf.save(f"report-{report.year}-q{report.quarter}.pdf", ContentFile(content), save=False)
    report.pdf_generated_at = timezone.now()
    report.save(update_fields=["pdf", "pdf_generated_at"])
    return True
