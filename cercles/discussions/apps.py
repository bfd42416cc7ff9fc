from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "cercles.discussions"
    label = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        from .digest import register as register_digest_sections

        register_digest_sections()
        from cercles.communities.sections import register_section

        from . import notification_kinds  # noqa: F401  (registers the kinds)

        register_section(
            "discussions",
            _("Discussions"),
            "discussions:thread_list",
            permission="discussions.view_discussions",
            order=20,
        )
