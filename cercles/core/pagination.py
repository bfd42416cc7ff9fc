"""Pagination that stays fast deep into a long list."""

from django.core.paginator import Paginator


class DeferredJoinPaginator(Paginator):
    """Pages of a queryset whose rows are found on an index first, then read whole.

    Page 34 of a 1,000-post thread would otherwise make the database join every post before it
    to its author only to skip them (OFFSET): here the offset is walked on the index alone and
    only the page's rows are joined, in the same single query.
    """

    def _get_page(self, object_list, number, paginator):
        page_ids = object_list.values("pk")
        rows = self.object_list.filter(pk__in=page_ids)
        return super()._get_page(rows, number, paginator)
