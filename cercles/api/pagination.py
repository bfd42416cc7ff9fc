"""Cursor pagination on keys: a page is found from the last row of the previous one, through
the same index as the page of the site, however deep in the list.

The cursor is opaque to clients: the ordering values of the last row, encoded. Every ordering
ends with the primary key, so that rows never repeat or go missing between pages.
"""

import base64
import binascii
import json
from typing import Any
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from .problems import Problem

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def encode_cursor(values):
    raw = json.dumps(values, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor, size):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise Problem(
            "invalid-input", errors=[{"field": "cursor", "message": "This cursor is not valid."}]
        )
    return values


def after(ordering, values):
    """Rows that come after `values` in `ordering` (["-created_at", "-pk"])."""
    condition = Q()
    for position, field in enumerate(ordering):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") else "gt"
        step = Q(**{f"{name}__{lookup}": values[position]})
        for earlier, value in zip(ordering[:position], values[:position], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


class CursorPagination(PaginationBase):
    class Input(Schema):
        cursor: str | None = Field(None, description="The `next_cursor` of the previous page.")
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None = Field(None, description="Cursor of the next page, if any.")
        next: str | None = Field(None, description="Address of the next page, if any.")

    items_attribute = "items"

    def __init__(self, *, ordering, **kwargs):
        assert ordering[-1].lstrip("-") == "pk", "the ordering must end with the primary key"
        self.ordering = tuple(ordering)
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        queryset = queryset.order_by(*self.ordering)
        if pagination.cursor:
            values = decode_cursor(pagination.cursor, len(self.ordering))
            queryset = queryset.filter(after(self.ordering, values))
        rows = list(queryset[: pagination.limit + 1])
        next_cursor = next_url = None
        if len(rows) > pagination.limit:
            rows = rows[: pagination.limit]
            last = rows[-1]
            next_cursor = encode_cursor([getattr(last, f.lstrip("-")) for f in self.ordering])
            query = request.GET.copy()
            query["cursor"] = next_cursor
            next_url = request.build_absolute_uri(request.path + "?" + urlencode(query, doseq=True))
        return {"items": rows, "next_cursor": next_cursor, "next": next_url}
