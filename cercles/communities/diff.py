"""Readable differences between two submitted framings, for the coordinators' review."""

import re
from difflib import SequenceMatcher

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .framing import SNAPSHOT_FIELDS

# Words (any script), runs of spaces, single punctuation marks: small enough units to read.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")


def _inserted(text):
    # <ins>/<del> are not announced by most screen readers: say it in hidden words.
    return format_html(
        '<ins><span class="visually-hidden">[{}] </span>{}<span class="visually-hidden"> [{}]'
        "</span></ins>",
        _("insertion start"),
        text,
        _("insertion end"),
    )


def _deleted(text):
    return format_html(
        '<del><span class="visually-hidden">[{}] </span>{}<span class="visually-hidden"> [{}]'
        "</span></del>",
        _("deletion start"),
        text,
        _("deletion end"),
    )


def _segments(old_items, new_items):
    """(kind, old text, new text) runs; changes separated by mere spaces read as one change."""
    matcher = SequenceMatcher(None, old_items, new_items, autojunk=False)
    opcodes = matcher.get_opcodes()
    merged = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        old, new = "".join(old_items[i1:i2]), "".join(new_items[j1:j2])
        after_change = bool(merged) and merged[-1][0] != "equal"
        space_between_changes = op == "equal" and not old.strip() and index < len(opcodes) - 1
        if after_change and (op != "equal" or space_between_changes):
            merged[-1] = ("replace", merged[-1][1] + old, merged[-1][2] + new)
        else:
            merged.append((op, old, new))
    return merged


def _render(segments):
    parts = []
    for op, old, new in segments:
        if op == "equal":
            parts.append(escape(old))
            continue
        if old:
            parts.append(_deleted(old))
        if new:
            parts.append(_inserted(new))
    return "".join(parts)


def diff_html(old, new):
    """The new text with deletions and insertions marked, every piece of it escaped.

    Lines are compared first, then the words of the lines that changed, so that a rewritten
    paragraph does not read as a salad of one-letter changes.
    """
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    parts = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_block, new_block = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if op == "equal":
            parts.append(escape(new_block))
        elif op == "replace":
            parts.append(_render(_segments(_TOKENS.findall(old_block), _TOKENS.findall(new_block))))
        else:
            parts.append(_render([(op, old_block, new_block)]))
    return mark_safe("".join(parts))


def framing_diff(old_snapshot, new_snapshot):
    """Per framing field: (key, label, html) for the fields that changed between two versions."""
    changes = []
    for key, label in SNAPSHOT_FIELDS.items():
        old, new = old_snapshot.get(key, ""), new_snapshot.get(key, "")
        if old != new:
            changes.append((key, label, diff_html(old, new)))
    return changes
