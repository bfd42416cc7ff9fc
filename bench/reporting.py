"""Reporting at network scale, part of `make bench` (bench/run.py calls `measure_reporting`).

1. The quarterly report's draft of the current quarter compiled for every running community
   (200 at scale M): queries (must not grow with the number of communities) and seconds.
2. The printable report of that draft rendered by WeasyPrint (what the job does): seconds and
   pages.
3. The coordinators' statistics over the whole network: queries and seconds.

Runs on the bench database of the scale with Django set up by the caller; leaves no report.
"""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


def measure_reporting(env=None):
    from cercles.accounts.models import User
    from cercles.reporting import reports
    from cercles.reporting.compilation import compile_quarter, quarter_of
    from cercles.reporting.models import QuarterlyReport, ReportStatus
    from cercles.reporting.pdf import inline_only, render_report_html
    from cercles.reporting.statistics import network_statistics

    year, quarter = quarter_of(timezone.localdate())
    started = time.monotonic()
    with CaptureQueriesContext(connection) as compiled:
        network, blocks = compile_quarter(year, quarter)
    compile_seconds = time.monotonic() - started

    coordinator = User.objects.filter(is_coordinator=True, is_active=True).first()
    pdf_seconds = pages = None
    if coordinator is not None:
        QuarterlyReport.objects.filter(year=1999).delete()
        report = QuarterlyReport.objects.create(
            year=1999, quarter=1, status=ReportStatus.PUBLISHED, introduction="[bench]"
        )
        try:
            reports._fill(report)
            from weasyprint import HTML

            started = time.monotonic()
            document = HTML(
                string=render_report_html(report, "fr"), url_fetcher=inline_only()
            ).render()
            document.write_pdf()
            pdf_seconds = time.monotonic() - started
            pages = len(document.pages)
        finally:
            report.delete()

    started = time.monotonic()
    with CaptureQueriesContext(connection) as stats_queries:
        network_statistics()
    stats_seconds = time.monotonic() - started
    result = {
        "communities": len(blocks),
        "compile_queries": len(compiled.captured_queries),
        "compile_seconds": compile_seconds,
        "pdf_seconds": pdf_seconds,
        "pdf_pages": pages,
        "statistics_queries": len(stats_queries.captured_queries),
        "statistics_seconds": stats_seconds,
    }
    print(
        f"  quarterly draft of {result['communities']} communities: "
        f"{result['compile_queries']} queries, {compile_seconds * 1000:.0f} ms; "
        f"PDF {pdf_seconds or 0:.1f} s ({pages} pages); "
        f"statistics {result['statistics_queries']} queries, "
        f"{stats_seconds * 1000:.0f} ms"
    )
    return result


def reporting_lines(scales):
    rows = [(scale, data["reporting"]) for scale, data in scales.items() if "reporting" in data]
    if not rows:
        return []
    lines = [
        "## Reporting",
        "",
        "The quarterly report's draft of the current quarter compiled for every running "
        "community (the queries do not grow with the communities), its PDF rendered by "
        "WeasyPrint as the job does, and the coordinators' statistics over the network.",
        "",
        "| scale | communities | compile queries | compile ms | PDF s | PDF pages "
        "| statistics queries | statistics ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, r in rows:
        pdf = f"{r['pdf_seconds']:.1f}" if r["pdf_seconds"] is not None else "–"
        lines.append(
            f"| {scale} | {r['communities']} | {r['compile_queries']} "
            f"| {r['compile_seconds'] * 1000:.0f} | {pdf} | {r['pdf_pages'] or '–'} "
            f"| {r['statistics_queries']} "
            f"| {r['statistics_seconds'] * 1000:.0f} |"
        )
    return lines + [""]
