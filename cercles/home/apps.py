from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The pages composed from every app (the network's home, a member's home) and the commands
    that fill a whole network (seed_demo, seed_bench). It sits on top: it may import any app,
    none imports it except to register into cercles.home.registry."""

    name = "cercles.home"
    label = "home"
    verbose_name = _("Home")

    def ready(self):
        from . import needs
        from .registry import register_need, register_news

        register_need(
            "meetings", "home/includes/need_meetings.html", context=needs.meetings_need, order=10
        )
        register_need("tasks", "home/includes/need_tasks.html", context=needs.tasks_need, order=30)
        register_news("activity", "home/includes/news.html", context=needs.news, order=10)
