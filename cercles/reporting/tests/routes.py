"""Reporting routes for cercles/core/tests/test_routes.py: stories and stage of a community
the network reads, the coordinators' pages (under /coordination/: 404 to anyone else signed
in), and a draft quarterly report with the community's block and a member's contribution
(published reports have their own tests)."""

from cercles.core.tests.test_routes import statuses

EXPECTED = {
    "reporting:stories": statuses(302, 200, 200),
    "reporting:feature": statuses(302, 405, 405),
    "reporting:delete": statuses(302, 405, 405),
    "reporting:stage": statuses(302, 403, 200),
    "reporting:story_counts": statuses(302, 404, 200),
    "reporting:stages": statuses(302, 404, 200),
    "reporting:statistics": statuses(302, 404, 200),
    "reporting:statistics_csv": statuses(302, 404, 200),
    "reporting:report_list": statuses(302, 404, 200),
    "reporting:published_list": statuses(302, 200, 200),
    # A draft: coordinators are sent to its editing page, members do not see it.
    "reporting:report": statuses(302, 404, 302),
    "reporting:report_pdf": statuses(302, 404, 404),
    "reporting:report_edit": statuses(302, 404, 200),
    "reporting:report_preview": statuses(302, 404, 200),
    "reporting:report_recompile": statuses(302, 404, 405),
    "reporting:report_publish": statuses(302, 404, 405),
    "reporting:block_arrange": statuses(302, 404, 405),
    "reporting:block_share": statuses(302, 405, 405),
    "reporting:contribution_review": statuses(302, 404, 405),
    # Only the community's own members contribute to its block.
    "reporting:contribute": statuses(302, 403, 403),
    "reporting:contribution_image": statuses(302, 404, 404),
}


def route_values(community, member):
    from cercles.reporting.models import Contribution, QuarterlyReport, ReportBlock

    report = QuarterlyReport.objects.create(year=2025, quarter=2)
    block = ReportBlock.objects.create(report=report, community=community, title=community.title)
    contribution = Contribution.objects.create(block=block, author=member, text="Nos nouvelles")
    return {"report_id": report.pk, "block_id": block.pk, "contribution_id": contribution.pk}
