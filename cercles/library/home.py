"""What the library adds to a community's home: what was added lately, library items and
productions together (see cercles.communities.panels). One query (a UNION)."""

from django.db.models import CharField, F, Value
from django.urls import reverse

from .models import Item, Production, ProductionStatus

SHOWN = 5


def new_in_library_panel(request, community, can):
    user = request.user
    items = (
        Item.objects.filter(community=community)
        .order_by()
        .values_list("pk", "title", "created_at", "kind", Value("item", output_field=CharField()))
    )
    productions = (
        Production.objects.filter(community=community)
        .order_by()
        .annotate(at=F("updated_at"), what=Value("production", output_field=CharField()))
        .values_list("pk", "title", "at", "status", "what")
    )
    rows = list(items.union(productions, all=True).order_by("-created_at")[:SHOWN])
    statuses = dict(ProductionStatus.choices)
    entries = [
        {
            "title": title,
            "at": at,
            "production": what == "production",
            "status": statuses.get(kind, "") if what == "production" else "",
            "kind": kind,
            "url": reverse(
                "library:production_detail" if what == "production" else "library:item_detail",
                args=[community.slug, pk],
            ),
        }
        for pk, title, at, kind, what in rows
    ]
    can_add = user.has_perm("library.add_item", community)
    if not entries and not can_add:
        return None
    return {"entries": entries, "can_add": can_add}
