from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "cercles.mentoring"
    label = "mentoring"
    verbose_name = _("Accompaniment")

    def ready(self):
        from cercles.communities.access import register_reader
        from cercles.communities.sections import register_section

        from . import notification_kinds, rules  # noqa: F401  (registers kinds and permissions)
        from .access import mentored_community_ids, reads_as_mentor

        register_reader(reads_as_mentor, mentored_community_ids)
        register_section(
            "mentoring",
            _("Accompaniment"),
            "mentoring:list",
            permission="mentoring.view_accompaniment",
            order=70,
        )

        from cercles.communities.panels import register_panel

        # The community's mentors beside its facts.
        register_panel("mentors", "mentoring/includes/community_panel.html", zone="side", order=20)
