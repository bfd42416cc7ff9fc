"""Discussion routes for cercles/core/tests/test_routes.py (see its docstring)."""

from cercles.core.tests.test_routes import statuses
from cercles.discussions import services

from .factories import pdf_upload

EXPECTED = {
    "discussions:thread_list": statuses(302, 200, 200),
    "discussions:thread_create": statuses(302, 403, 403),
    "discussions:codev_create": statuses(302, 403, 403),
    "discussions:mention_suggestions": statuses(302, 403, 403),
    "discussions:thread": statuses(302, 200, 200),
    "discussions:unread": statuses(302, 302, 302),
    "discussions:reply": statuses(302, 405, 405),
    "discussions:follow": statuses(302, 405, 405),
    "discussions:pin": statuses(302, 405, 405),
    "discussions:lock": statuses(302, 405, 405),
    "discussions:follow_up": statuses(302, 403, 403),
    "discussions:post": statuses(302, 302, 302),
    "discussions:edit_post": statuses(302, 403, 403),
    "discussions:post_history": statuses(302, 200, 200),
    "discussions:delete_post": statuses(302, 405, 405),
    "discussions:hide_post": statuses(302, 403, 403),
    "discussions:report_post": statuses(302, 200, 200),
    "discussions:mark_helpful": statuses(302, 405, 405),
    "discussions:download": statuses(302, 200, 200),
    "discussions:reports": statuses(302, 403, 200),
    "discussions:resolve_report": statuses(302, 405, 405),
}


def route_values(community, member):
    thread = services.start_thread(
        member, community, title="Forages", body="Bonjour", uploads=[pdf_upload()]
    )
    post = thread.last_post
    return {
        "thread_id": thread.pk,
        "post_id": post.pk,
        "attachment_id": post.attachments.get().pk,
        "report_id": 999999,
    }
