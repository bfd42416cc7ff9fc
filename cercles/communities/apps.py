from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "cercles.communities"
    label = "communities"
    verbose_name = _("Communities")

    def ready(self):
        from .sections import register_section

        register_section(
            "home",
            _("Overview"),
            "communities:detail",
            permission="communities.view_presentation",
            order=0,
        )
        register_section("members", _("Members"), "communities:members", order=10)
        register_section("milestones", _("Milestones"), "communities:milestones", order=50)

        from . import notification_kinds  # noqa: F401  (listed on the settings page)
