"""Library and production routes for cercles/core/tests/test_routes.py (see its docstring)."""

from cercles.core.tests.test_routes import statuses

from .factories import make_file, make_note, make_production, pdf_upload

EXPECTED = {
    "library:network_library": statuses(200, 200, 200),
    "library:item_list": statuses(302, 200, 200),
    "library:add_note": statuses(302, 403, 403),
    "library:add_file": statuses(302, 403, 403),
    "library:add_link": statuses(302, 403, 403),
    # Open to visitors for an item shared with the public (issue 11); this one is not: 404.
    "library:item_detail": statuses(404, 200, 200),
    "library:edit_item": statuses(302, 403, 403),
    "library:delete_item": statuses(302, 403, 403),
    "library:choose_legacy": statuses(302, 405, 405),
    "library:download_file": statuses(404, 200, 200),
    "library:share_item": statuses(302, 405, 405),
    "library:share_production": statuses(302, 405, 405),
    "library:note_history": statuses(302, 200, 200),
    "library:note_revision": statuses(302, 200, 200),
    # Visitors may read a public community's delivered productions: these pages are open to
    # them, and answer 404 for a community of the network.
    "library:production_list": statuses(404, 200, 200),
    "library:add_production": statuses(302, 403, 403),
    "library:production_detail": statuses(404, 200, 200),
    "library:edit_production": statuses(302, 403, 403),
    "library:deliver_production": statuses(302, 405, 405),
    "library:delete_production": statuses(302, 403, 403),
    "library:download_production": statuses(404, 200, 200),
    # The legacy of ended communities: the community used here is running, it has none.
    "library:legacy_list": statuses(200, 200, 200),
    "library:legacy": statuses(404, 404, 404),
    "library:legacy_download": statuses(404, 404, 404),
    "library:legacy_production_download": statuses(404, 404, 404),
}


def route_values(community, member):
    note = make_note(member, community)
    document = make_file(member, community)
    production = make_production(community.lead, community, upload=pdf_upload())
    return {
        "item_id": note.pk,
        "note_id": note.pk,
        "number": 1,
        "file_id": document.pk,
        "production_id": production.pk,
    }
