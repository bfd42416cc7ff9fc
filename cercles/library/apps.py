from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "cercles.library"
    label = "library"
    verbose_name = _("Library and productions")

    def ready(self):
        from .digest import register as register_digest_sections

        register_digest_sections()
        from cercles.communities.sections import register_section

        from . import notification_kinds, rules  # noqa: F401  (registers kinds and permissions)

        register_section("library", _("Library"), "library:item_list", order=40)
        register_section(
            "productions",
            _("Productions"),
            "library:production_list",
            permission="library.view_productions",
            order=45,
        )
