"""XSS in the quarterly report's PDF (issue 19, deliverable 2): the HTML fed to WeasyPrint
(`reporting.pdf.render_report_html`) renders every payload of the corpus inert, written as
the coordinators' introduction and highlights, a block's title, members' contributions and
their images' descriptions."""

import pytest
from django.utils import timezone

from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.reporting.models import (
    Contribution,
    ContributionStatus,
    QuarterlyReport,
    ReportBlock,
    ReportStatus,
)
from cercles.reporting.pdf import render_report_html

from .xss_corpus import MARK, injections, payloads

pytestmark = pytest.mark.django_db


def test_the_report_pdf_renders_every_payload_inert():
    corpus = payloads()
    community = CommunityFactory()
    author = add_member(community).user
    report = QuarterlyReport.objects.create(
        year=2025, quarter=3, status=ReportStatus.PUBLISHED, published_at=timezone.now(),
        introduction=corpus[0], highlights=corpus[1],
    )  # fmt: skip
    block = ReportBlock.objects.create(report=report, community=community, title=corpus[2][:160])
    Contribution.objects.bulk_create(
        Contribution(
            block=block,
            author=author,
            text=payload[:3000],
            image_alt=payload[:200],
            status=ContributionStatus.ACCEPTED,
        )  # fmt: skip
        for payload in corpus
    )
    html = render_report_html(report, "fr")
    assert html.count(MARK) >= len(corpus)  # the control: every payload is in the document
    assert injections(html) == []
