"""What a report shows, read from its snapshot: the blocks kept, each with its accepted
contributions, and the charts. A fixed number of queries whatever the number of blocks."""

from django.db.models import Prefetch

from . import charts
from .models import VALUE_SHORT_LABELS, Contribution, ContributionStatus, Stage, ValueKind


def report_context(report, *, include_cut=False, only_accepted=True):
    contributions = Contribution.objects.select_related("author")
    if only_accepted:
        contributions = contributions.filter(status=ContributionStatus.ACCEPTED)
    blocks = report.blocks.prefetch_related(Prefetch("contributions", queryset=contributions))
    if not include_cut:
        blocks = blocks.filter(included=True)
    blocks = list(blocks)
    if not include_cut:
        # A private community shows only what its lead chose to share.
        blocks = [b for b in blocks if b.shows_details or b.contributions.all()]
    network = report.network or {}
    stage_labels = dict(Stage.choices)
    stages = [(stage_labels.get(s, s), n) for s, n in network.get("stages", [])]
    stories = [
        (str(VALUE_SHORT_LABELS.get(k, k)), n) for k, n in network.get("stories_per_kind", [])
    ]
    months = [(m, n) for m, n in network.get("meetings_per_month", [])]
    chart_data = {
        "stages": stages,
        "stories": stories,
        "months": months,
        "stages_chart": charts.stacked_bars(
            [(label, {"n": n}) for label, n in stages], [("n", "")], labelled_by="chart-stages"
        )
        if any(n for _l, n in stages)
        else "",
        "stories_chart": charts.stacked_bars(
            [(label, {"n": n}) for label, n in stories], [("n", "")], labelled_by="chart-stories"
        )
        if any(n for _l, n in stories)
        else "",
        "meetings_chart": charts.columns(
            [(m, {"n": n}) for m, n in months], [("n", "")], labelled_by="chart-meetings"
        )
        if months
        else "",
    }
    return {
        "report": report,
        "network": network,
        "blocks": blocks,
        "charts": chart_data,
        "value_kinds": ValueKind.choices,
    }
