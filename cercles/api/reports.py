"""The network's published quarterly reports, readable by every member (as on the site)."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from cercles.reporting.models import QuarterlyReport, ReportStatus
from cercles.reporting.reading import report_context

from .pagination import CursorPagination
from .schemas import absolute
from .security import people

router = Router(tags=["reports"])


class ReportSummaryOut(Schema):
    id: int
    year: int
    quarter: int
    title: str
    published_at: datetime.datetime | None
    url: str = Field(..., description="The report's page.")
    pdf_url: str | None = Field(None, description="The PDF, once made (null before).")

    @staticmethod
    def resolve_title(obj):
        return str(obj.title)

    @staticmethod
    def resolve_url(obj, context):
        return absolute(context, reverse("reporting:report", args=[obj.pk]))

    @staticmethod
    def resolve_pdf_url(obj, context):
        if not obj.pdf:
            return None
        return absolute(context, reverse("reporting:report_pdf", args=[obj.pk]))


class ContributionOut(Schema):
    text: str
    author: str | None
    has_image: bool


class BlockOut(Schema):
    community: str
    slug: str | None
    state: str | None
    stage: str | None
    stage_reason: str | None
    details: dict | None = Field(
        None, description="The figures compiled for the quarter; null for a private community "
        "whose lead did not share them.",
    )  # fmt: skip
    contributions: list[ContributionOut]


class ReportOut(ReportSummaryOut):
    introduction: str
    highlights: str
    network: dict
    blocks: list[BlockOut]


def _published(request):
    if not request.user.has_perm("reporting.view_published_reports"):
        raise Http404
    return QuarterlyReport.objects.filter(status=ReportStatus.PUBLISHED)


@router.get(
    "/reports",
    response=list[ReportSummaryOut],
    auth=people(),
    summary="The published quarterly reports",
    url_name="list_reports",
)
@paginate(CursorPagination, ordering=("-published_at", "-pk"))
def list_reports(request):
    """Newest first, each with its page and its PDF once made."""
    return _published(request)


@router.get(
    "/reports/{report_id}",
    response=ReportOut,
    auth=people(),
    summary="A published quarterly report",
    url_name="get_report",
)
def get_report(request, report_id: int):
    """The report as members read it: introduction, highlights, the network's figures and the
    communities' blocks with their accepted contributions (Markdown, as written)."""
    report = get_object_or_404(_published(request), pk=report_id)
    context = report_context(report)
    report.blocks_out = [
        {
            "community": block.title,
            "slug": block.data.get("slug"),
            "state": block.data.get("state"),
            "stage": block.data.get("stage"),
            "stage_reason": block.data.get("stage_reason"),
            "details": block.data if block.shows_details else None,
            "contributions": [
                {
                    "text": c.text,
                    "author": c.author.name if c.author else None,
                    "has_image": bool(c.image),
                }
                for c in block.contributions.all()
            ],
        }
        for block in context["blocks"]
    ]
    return {
        "id": report.pk,
        "year": report.year,
        "quarter": report.quarter,
        "title": str(report.title),
        "published_at": report.published_at,
        "url": absolute({"request": request}, reverse("reporting:report", args=[report.pk])),
        "pdf_url": absolute({"request": request}, reverse("reporting:report_pdf", args=[report.pk]))
        if report.pdf
        else None,
        "introduction": report.introduction,
        "highlights": report.highlights,
        "network": report.network,
        "blocks": report.blocks_out,
    }
