from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cercles.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .directory import forget_directory_size
        from .models import User

        for signal in (post_save, post_delete):
            signal.connect(forget_directory_size, sender=User, dispatch_uid="directory-size")
