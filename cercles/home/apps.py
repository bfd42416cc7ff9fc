from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The pages composed from every app (the network's home, a member's home) and the commands
    that fill a whole network (seed_demo, seed_bench). It sits on top: it may import any app,
    none imports it except to register into cercles.home.registry."""

    name = "cercles.home"
    label = "home"
    verbose_name = _("Home")
