"""Charts as SVG written on the server: no JavaScript, colours from the stylesheet (classes), and
always shown beside a table holding the same figures (the table is what assistive technologies
read; the chart names it)."""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH = 600
FONT = 20  # in the chart's own units: still readable when a 360 px phone shrinks it


def _text(x, y, content, *, anchor="start", css="chart-label"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}">'
        f"{escape(content)}</text>"
    )


def _shorten(label, limit=44):
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(height, body, labelled_by):
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(labelled_by)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{FONT}">' + "".join(body) + "</svg>"
    )


def bar_chart(rows, *, labelled_by):
    """Horizontal bars, one per (label, count, share from 0 to 1): the label above its bar, the
    count and percentage at its end."""
    row_height = 62
    bar_height = 22
    body = []
    for index, (label, count, share) in enumerate(rows):
        top = index * row_height + 6
        body.append(_text(0, top + FONT, _shorten(label)))
        bar_y = top + FONT + 8
        body.append(
            f'<rect x="0" y="{bar_y}" width="{WIDTH * 0.8:.1f}" height="{bar_height}" '
            f'class="chart-track"/>'
        )
        if share:
            body.append(
                f'<rect x="0" y="{bar_y}" width="{max(2.0, WIDTH * 0.8 * share):.1f}" '
                f'height="{bar_height}" class="chart-bar"/>'
            )
        body.append(
            _text(WIDTH, bar_y + bar_height - 4, f"{count} · {share * 100:.0f} %", anchor="end")
        )
    return _svg(len(rows) * row_height + 8, body, labelled_by)


SERIES_CLASSES = 6


def trend_chart(points, objective_labels, involvement_labels, *, labelled_by):
    """One chart of the expectations surveys in order: the satisfaction mean (1 to 5) as a line,
    then the shares of objectives and of involvement levels as stacked bars, over the same
    columns (one per survey)."""
    columns = max(1, len(points))
    left, right = 44, 8
    column_width = (WIDTH - left - right) / columns
    body = []

    def centre(index):
        return left + column_width * (index + 0.5)

    # Panel 1: satisfaction.
    top, height = 34, 150
    body.append(_text(0, 22, _("Satisfaction (mean, 1 to 5)"), css="chart-title"))
    for level in range(1, 6):
        y = top + height - (level - 1) / 4 * height
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" class="chart-grid"/>'
        )
        body.append(_text(left - 8, y + 6, str(level), anchor="end", css="chart-axis"))
    line = []
    for index, point in enumerate(points):
        if point["satisfaction"] is None:
            continue
        x = centre(index)
        y = top + height - (point["satisfaction"] - 1) / 4 * height
        line.append((x, y, point["satisfaction"]))
    if len(line) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v in line)
        body.append(f'<polyline points="{path}" class="chart-line"/>')
    for x, y, value in line:
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" class="chart-dot"/>')
        body.append(_text(x, y - 12, number_format(value, 1), anchor="middle"))

    # Panels 2 and 3: stacked shares.
    offset = top + height + 24
    for title, key, labels in (
        (_("Objectives (share of answers)"), "objectives", objective_labels),
        (_("Involvement wanted (share of answers)"), "involvement", involvement_labels),
    ):
        body.append(_text(0, offset + 22, title, css="chart-title"))
        bar_top, bar_height = offset + 34, 34
        for index, point in enumerate(points):
            shares = point[key]
            x = centre(index) - column_width * 0.35
            start = x
            for series, (value, _label) in enumerate(labels):
                share = shares.get(value, 0)
                if not share:
                    continue
                width = column_width * 0.7 * share
                body.append(
                    f'<rect x="{start:.1f}" y="{bar_top}" width="{width:.1f}" '
                    f'height="{bar_height}" '
                    f'class="chart-series-{series % SERIES_CLASSES}"/>'
                )
                start += width
            if start == x:
                body.append(
                    _text(centre(index), bar_top + 24, "–", anchor="middle", css="chart-axis")
                )
        legend_top = bar_top + bar_height + 10
        for series, (_value, label) in enumerate(labels):
            row, col = divmod(series, 2)
            lx = col * (WIDTH / 2)
            ly = legend_top + row * 28
            body.append(
                f'<rect x="{lx:.1f}" y="{ly}" width="18" height="18" '
                f'class="chart-series-{series % SERIES_CLASSES}"/>'
            )
            body.append(_text(lx + 26, ly + 16, _shorten(label, 24), css="chart-legend"))
        offset = legend_top + ((len(labels) + 1) // 2) * 28 + 8

    # The columns' dates, at the bottom.
    for index, point in enumerate(points):
        body.append(
            _text(centre(index), offset + 20, point["label"], anchor="middle", css="chart-axis")
        )
    return _svg(offset + 32, body, labelled_by)
