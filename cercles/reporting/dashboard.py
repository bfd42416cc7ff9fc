"""The stage of life as a column of the coordinators' dashboard (cercles/coordination)."""

from django.utils.translation import gettext_lazy as _

from .models import Stage
from .stage import stages_for

STAGE_ORDER = {stage: index for index, stage in enumerate(Stage.values)}


def _load(communities):
    """{community id: StageReading}: three queries for the whole table."""
    return stages_for(communities)


def _display(row):
    reading = row.extra.get("stage")
    if reading is None:
        return ""
    label = str(reading.label)
    return f"{label} *" if reading.is_overridden else label


def _sort(row):
    reading = row.extra.get("stage")
    return STAGE_ORDER.get(reading.stage, 99) if reading is not None else 99


def register():
    from cercles.coordination.dashboard import register_column

    register_column(
        "stage",
        _("Stage of life"),
        _display,
        sort=_sort,
        loader=_load,
        order=25,
        help=_("Read from meetings, productions and the planned end; * set by the coordinators."),
    )
