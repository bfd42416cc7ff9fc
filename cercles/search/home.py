"""What search adds to a community's home: "people who could help", for its leads to invite.

Registered in the communities' panels registry (issue 10) when it is there. The list is kept in
the cache for a while: it costs a few queries to build, and the home page is read often.
"""

from django.core.cache import cache
from django.urls import reverse

from .directory import could_help

LIFETIME = 600


def could_help_context(request, community, can=None):
    if not request.user.has_perm("communities.invite_members", community):
        return None
    stamp = community.updated_at.timestamp() if community.updated_at else 0
    key = f"search:could-help:{community.pk}:{stamp}"
    helpers = cache.get(key)
    if helpers is None:
        helpers = [
            {
                "name": row["person"].name,
                "url": row["person"].get_absolute_url(),
                "organisation": row["person"].organisation,
                "skills": [s.name for s in row["skills"]],
                "themes": [th.name for th in row["themes"]],
            }
            for row in could_help(community)
        ]
        cache.set(key, helpers, LIFETIME)
    if not helpers:
        return None
    return {
        "helpers": helpers,
        "invite_url": reverse("communities:invite", args=[community.slug]),
        "directory_url": reverse("people:directory"),
    }


def register_panel():
    try:
        from cercles.communities.panels import register_panel as register
    except ImportError:  # the panels registry (issue 10) is not there yet
        return False
    register(
        "could_help",
        "search/includes/could_help.html",
        context=could_help_context,
        zone="lead",
        order=80,
        permission="communities.invite_members",
    )
    return True
