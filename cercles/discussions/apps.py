from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "cercles.discussions"
    label = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        from cercles.accounts import personal_data
        from cercles.communities import freshness
        from cercles.communities.exports import register_export_part
        from cercles.communities.sections import register_section
        from cercles.core.audit import register_actions

        from . import (
            data,
            notification_kinds,  # noqa: F401  (registers the kinds)
        )
        from .models import Post

        # A season's celebration and the health review's facts count the posts.
        freshness.track_through(Post, "thread")

        register_section(
            "discussions",
            _("Discussions"),
            "discussions:thread_list",
            permission="discussions.view_discussions",
            order=20,
        )
        register_export_part(
            "discussions",
            _(
                "the discussions and co-development sessions, one Markdown file per thread, "
                "with their attachments"
            ),  # fmt: skip
            data.write_discussions,
            permission="discussions.view_discussions",
            order=20,
        )
        personal_data.register(
            "posts",
            _("The posts you wrote in discussions"),
            description=_("they stay in their threads, signed “former member”, if you leave"),
            export=data.export_personal,
            erase=data.erase_personal,
            order=20,
        )
        register_actions(
            {
                "discussions.post_hidden": _("Post hidden by a moderator"),
                "discussions.post_unhidden": _("Post shown again"),
                "discussions.post_deleted": _("Post deleted"),
                "discussions.report_resolved": _("Report resolved"),
            }
        )
        from .digest import register as register_digest_sections

        register_digest_sections()
        from cercles.communities.panels import register_panel, register_shortcut

        from .home import latest_threads_panel

        register_panel(
            "latest_threads", "discussions/includes/home_threads.html",
            context=latest_threads_panel, order=20, permission="discussions.view_discussions",
        )  # fmt: skip

        register_shortcut(
            "discussion", _("Start a discussion"), "discussions:thread_create",
            permission="discussions.start_thread", order=20,
        )  # fmt: skip
