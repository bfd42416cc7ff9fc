from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "cercles.library"
    label = "library"
    verbose_name = _("Library and productions")

    def ready(self):
        from cercles.accounts import personal_data
        from cercles.communities import freshness
        from cercles.communities.exports import register_export_part
        from cercles.communities.sections import register_section
        from cercles.core.audit import register_actions

        from . import data, notification_kinds, rules  # noqa: F401  (registers kinds and permissions)
        from .models import NoteRevision

        # A season's celebration and the health review's facts count who wrote the notes.
        freshness.track_through(NoteRevision, "note")

        register_export_part(
            "library",
            _("the library: notes in Markdown, files, links"),
            data.write_library,
            permission="library.view_library",
            order=40,
        )
        register_export_part(
            "productions",
            _("the productions, with their files"),
            data.write_productions,
            permission="library.view_productions",
            order=45,
        )
        personal_data.register(
            "library",
            _("The notes, files and links you added to libraries, and your revisions of notes"),
            description=_("they stay with their communities if you leave"),
            export=data.export_personal,
            order=40,
        )
        register_actions(
            {
                "library.item_deleted": _("Library item deleted"),
                "library.production_deleted": _("Production deleted"),
            }
        )

        register_section("library", _("Library"), "library:item_list", order=40)
        register_section(
            "productions",
            _("Productions"),
            "library:production_list",
            permission="library.view_productions",
            order=45,
        )
        from .digest import register as register_digest_sections

        register_digest_sections()
        from cercles.communities.panels import register_panel

        from .home import new_in_library_panel

        register_panel(
            "new_in_library", "library/includes/home_new.html",
            context=new_in_library_panel, order=30, permission="library.view_library",
        )  # fmt: skip
