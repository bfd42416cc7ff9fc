from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cercles.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cercles.core.audit import register_actions

        from .directory import forget_directory_size
        from .models import User
        from .personal_data import export_profile, register

        for signal in (post_save, post_delete):
            signal.connect(forget_directory_size, sender=User, dispatch_uid="directory-size")

        # Apps above (notifications…) add their parts of the archive from their own ready().
        from .second_factor import erase_sign_in, export_sign_in

        register(
            "sign-in",
            _("Your second factors (their kind only) and the devices you signed in from"),
            export=export_sign_in,
            erase=erase_sign_in,
            order=5,
        )
        register(
            "profile",
            _("Your profile, your email addresses, your preferences and your API tokens"),
            export=export_profile,
            order=0,
        )
        register_actions(
            {
                "role.coordinator_granted": _("Coordinator role granted"),
                "role.coordinator_revoked": _("Coordinator role withdrawn"),
                "account.deleted": _("Account deleted"),
                "account.data_requested": _("Archive of personal data requested"),
                "api_token.created": _("API token created"),
                "api_token.revoked": _("API token revoked"),
            }
        )
