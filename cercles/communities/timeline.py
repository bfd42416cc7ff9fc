"""The geometry of the timeline (chronogramme), drawn as inline SVG by the template.

Months run across; each milestone is a row with its marker at its date, its tasks as rows below
it. Computed here so that the page needs no JavaScript and no inline style (the CSP forbids it).
"""

import datetime

WIDTH = 1000
LABEL_WIDTH = 290  # titles on the left
TRACK_START = 300
TRACK_END = WIDTH - 15
HEADER = 44
MILESTONE_ROW = 30
TASK_ROW = 24
LABEL_CHARS = 38
MAX_MONTH_LABELS = 14


def _month_start(day):
    return day.replace(day=1)


def _next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _short(text, limit):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_timeline(community, plan, today):
    """{width, height, months, today_x, period, rows} for the template, or None without dates."""
    dates = [m.due_date for m in plan]
    dates += [t.due_date for m in plan for t in m.tasks.all() if t.due_date]
    if not dates:
        return None
    dates += [today] + [d for d in (community.start_date, community.end_date) if d]
    start = _month_start(min(dates))
    end = _next_month(max(dates))
    span = (end - start).days

    def x(day):
        return round(TRACK_START + (day - start).days / span * (TRACK_END - TRACK_START), 1)

    month_starts = []
    month = start
    while month < end:
        month_starts.append(month)
        month = _next_month(month)
    every = max(1, -(-len(month_starts) // MAX_MONTH_LABELS))  # ceiling division
    months = [
        {
            "date": m,
            "x": x(m),
            "label_x": round((x(m) + x(_next_month(m))) / 2, 1),
            "labelled": i % every == 0,
            "year_start": m.month == 1 or i == 0,
        }
        for i, m in enumerate(month_starts)
    ]

    rows = []
    y = HEADER
    for milestone in plan:
        state = (
            "done" if milestone.done else "overdue" if milestone.is_overdue(today) else "planned"
        )
        rows.append(
            {
                "kind": "milestone",
                "item": milestone,
                "state": state,
                "y": y,
                "mid": y + MILESTONE_ROW // 2,
                "top": y + MILESTONE_ROW // 2 - 8,
                "x": x(milestone.due_date),
                "label": _short(milestone.title, LABEL_CHARS),
            }
        )
        y += MILESTONE_ROW
        for task in milestone.tasks.all():
            task_state = (
                "done" if task.done else "overdue" if task.is_overdue(today) else task.status
            )
            rows.append(
                {
                    "kind": "task",
                    "item": task,
                    "state": task_state,
                    "y": y,
                    "mid": y + TASK_ROW // 2,
                    "x": x(task.due_date) if task.due_date else None,
                    "label": _short(task.title, LABEL_CHARS - 3),
                }
            )
            y += TASK_ROW
    period = None
    if community.start_date and community.end_date:
        period = {
            "x": x(community.start_date),
            "width": x(community.end_date) - x(community.start_date),
        }
    return {
        "width": WIDTH,
        "height": y + 8,
        "header": HEADER,
        "label_width": LABEL_WIDTH,
        "track_start": TRACK_START,
        "track_end": TRACK_END,
        "months": months,
        "today_x": x(today),
        "period": period,
        "rows": rows,
        "start": start,
        "end": end - datetime.timedelta(days=1),
        "overdue": sum(1 for row in rows if row["state"] == "overdue"),
    }
