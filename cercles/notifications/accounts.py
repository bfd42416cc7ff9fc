"""What notifications adds to a person's account: the kind telling that their data is ready, and
their notifications in the personal-data archive and erasure. Registered from here, so that the
accounts app knows nothing of notifications (it sends `personal_data_ready`)."""

from django.utils.translation import gettext_lazy as _

from .kinds import register

DATA_READY = register(
    "account.data_ready",
    _("My data is ready to download"),
    _("The archive of your data is ready: download it within 7 days"),
    group="membership",
    personal=True,
    member_only=False,
)


def notify_personal_data_ready(sender, person, url, **_kwargs):
    from .services import notify

    notify(person, DATA_READY.key, url=url)


def connect():
    from cercles.accounts.personal_data import register as register_personal_data
    from cercles.accounts.signals import personal_data_ready

    from . import data

    personal_data_ready.connect(
        notify_personal_data_ready, dispatch_uid="notifications-personal-data-ready"
    )
    register_personal_data(
        "notifications",
        _("Your notifications and how you chose to receive them"),
        export=data.export_personal,
        erase=data.erase_personal,
        order=90,
    )
