from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "cercles.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import home, indexing, registrations

        registrations.register_builtin_kinds()
        indexing.connect_signals()
        home.register_panel()
