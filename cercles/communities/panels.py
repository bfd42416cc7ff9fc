"""What the other apps add to a community's home: panels and the lead's shortcuts.

The community's home (communities/views/home.py) knows only the community itself; the parts of
the product living above it (meetings, discussions, library, surveys, seasons, coordination…)
add what they have to show through this registry, once, from their AppConfig.ready():

    from cercles.communities.panels import register_panel, register_shortcut

    register_panel(
        "surveys",                                    # unique key (registering again replaces)
        "surveys/includes/community_panel_body.html", # rendered with the page's context + yours
        context=community_panel,                      # (request, community, can) -> dict | None
        zone="main",                        # "lead" (top), "main", "side", "settings" (own page)
        order=40,                                     # smaller first within the zone
        permission="surveys.view_surveys",            # checked on the community before context()
    )
    register_shortcut("meeting", _("Plan a meeting"), "meetings:create",
                      permission="meetings.add_meeting", order=10)

`can` is the page's dict of the person's communities permissions (view_content, edit_framing,
invite_members…), so a panel need not ask again. A context function returning None (or an empty
dict) leaves its panel out: a panel with nothing to say is not shown. It must cost a bounded,
small number of queries whatever the size of the community: the home page is kept at ≤ 12.

The page renders a zone with `{% panels_zone panels "main" %}` (communities templatetags): each
template sees the page's context (request, user, community, csrf_token…) plus its own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

ZONES = ("lead", "main", "side", "settings")


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable | None = None
    zone: str = "main"
    order: int = 100
    permission: str | None = "communities.view_content"


@dataclass(frozen=True)
class PanelItem:
    """A panel ready to render: its template and its own context."""

    key: str
    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Shortcut:
    key: str
    label: object  # a lazy translation
    url_name: str  # takes the community's slug
    permission: str = "communities.view_content"
    order: int = 100
    anchor: str = ""  # appended to the address, e.g. "#next-steps"


PANELS: dict[str, Panel] = {}
SHORTCUTS: dict[str, Shortcut] = {}


def register_panel(
    key,
    template,
    *,
    context=None,
    zone="main",
    order=100,
    permission="communities.view_content",
):
    if zone not in ZONES:
        raise ValueError(f"Unknown zone {zone!r}: one of {ZONES}.")
    PANELS[key] = Panel(key, template, context, zone, order, permission)


def register_shortcut(
    key, label, url_name, *, permission="communities.view_content", order=100, anchor=""
):
    SHORTCUTS[key] = Shortcut(key, label, url_name, permission, order, anchor)


def panels_for(request, community, can, zones=("lead", "main", "side")):
    """{zone: [PanelItem]} of the panels the person may see, in order within each zone. The
    community's home asks for lead, main and side; its settings page for "settings"."""
    wanted = zones
    zones = {zone: [] for zone in wanted}
    user = request.user
    for panel in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
        if panel.zone not in zones:
            continue
        if panel.permission and not user.has_perm(panel.permission, community):
            continue
        context = {}
        if panel.context is not None:
            context = panel.context(request, community, can)
            if not context:
                continue
        zones[panel.zone].append(PanelItem(panel.key, panel.template, dict(context)))
    return zones


def shortcuts_for(user, community):
    """[(shortcut, url)] the person may use, in order."""
    return [
        (shortcut, reverse(shortcut.url_name, args=[community.slug]) + shortcut.anchor)
        for shortcut in sorted(SHORTCUTS.values(), key=lambda s: (s.order, s.key))
        if user.has_perm(shortcut.permission, community)
    ]
