"""Charts as SVG written on the server, for the pages, the PDF and nothing else: colours are
presentation attributes (WeasyPrint draws them without the site's stylesheet), every chart
names the table beside it that holds the same figures."""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 600
FONT = 18
COLOURS = ("#0b7a57", "#2c5fa8", "#b26a00", "#8e3b8e", "#6b7a75", "#b3261e", "#3a8fb7")
TEXT = "#1f2d27"
MUTED = "#5d6b66"
GRID = "#d5dedb"


def colour(index):
    return COLOURS[index % len(COLOURS)]


def _text(x, y, content, *, anchor="start", size=FONT, fill=TEXT, weight="normal"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}" font-weight="{weight}">{escape(content)}</text>'
    )


def _shorten(label, limit=40):
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(height, body, labelled_by):
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" '
        f'height="{height:.0f}" role="img" aria-labelledby="{escape(labelled_by)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">' + "".join(body) + "</svg>"
    )


def _legend(series, top):
    body = []
    for index, (_key, label) in enumerate(series):
        row, col = divmod(index, 3)
        x, y = col * (WIDTH / 3), top + row * 26
        body.append(f'<rect x="{x:.1f}" y="{y}" width="16" height="16" fill="{colour(index)}"/>')
        body.append(_text(x + 22, y + 14, _shorten(label, 22), size=15))
    return body, top + ((len(series) + 2) // 3) * 26


def stacked_bars(rows, series, *, labelled_by):
    """One horizontal bar per (label, {series key: count}), stacked by series, with its total."""
    top = 4
    body = []
    if len(series) > 1:
        body, top = _legend(series, top)
        top += 8
    peak = max((sum(values.values()) for _label, values in rows), default=0) or 1
    span = WIDTH - 60
    for label, values in rows:
        body.append(_text(0, top + FONT, _shorten(label, 56)))
        bar_y = top + FONT + 6
        x = 0.0
        for index, (key, _series_label) in enumerate(series):
            count = values.get(key, 0)
            if count:
                width = span * count / peak
                body.append(
                    f'<rect x="{x:.1f}" y="{bar_y}" width="{width:.1f}" height="20" '
                    f'fill="{colour(index)}"/>'
                )
                x += width
        body.append(_text(x + 6, bar_y + 16, str(sum(values.values())), size=16, fill=MUTED))
        top = bar_y + 32
    return _svg(top + 4, body, labelled_by)


def columns(points, series, *, labelled_by, height=220):
    """Vertical columns over time: points are (label, {series key: value}), stacked by series;
    a single series when `series` has one entry."""
    left, bottom = 44, 30
    body = []
    legend_bottom = 4
    if len(series) > 1:
        body, legend_bottom = _legend(series, 4)
    top = legend_bottom + 10
    count = max(1, len(points))
    step = (WIDTH - left) / count
    peak = max((sum(v.values()) for _label, v in points), default=0) or 1
    for fraction in (0, 0.5, 1):
        y = top + height - fraction * height
        body.append(f'<line x1="{left}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        value = peak * fraction
        shown = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
        body.append(_text(left - 6, y + 5, shown, anchor="end", size=14, fill=MUTED))
    every = max(1, math.ceil(count / 6))
    for index, (label, values) in enumerate(points):
        x = left + index * step + step * 0.15
        y = top + height
        for series_index, (key, _l) in enumerate(series):
            value = values.get(key, 0)
            if value:
                h = height * value / peak
                y -= h
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
                    f'fill="{colour(series_index)}"/>'
                )
        if index % every == 0:
            body.append(
                _text(left + index * step + step / 2, top + height + 20, label, anchor="middle",
                      size=14, fill=MUTED)
            )  # fmt: skip
    return _svg(top + height + bottom, body, labelled_by)


def line(points, *, labelled_by, height=200):
    """A line over time: points are (label, value)."""
    left = 52
    top = 14
    body = []
    count = max(1, len(points))
    step = (WIDTH - left - 10) / max(1, count - 1)
    peak = max((v for _l, v in points), default=0) or 1
    for fraction in (0, 0.5, 1):
        y = top + height - fraction * height
        body.append(f'<line x1="{left}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(
            _text(left - 6, y + 5, f"{peak * fraction:.0f}", anchor="end", size=14, fill=MUTED)
        )
    coords = [
        (left + i * step, top + height - height * v / peak) for i, (_l, v) in enumerate(points)
    ]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour(0)}" stroke-width="3"/>'
        )
    every = max(1, math.ceil(count / 6))
    for index, ((label, _v), (x, y)) in enumerate(zip(points, coords, strict=True)):
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour(0)}"/>')
        if index % every == 0:
            body.append(_text(x, top + height + 20, label, anchor="middle", size=14, fill=MUTED))
    return _svg(top + height + 30, body, labelled_by)
