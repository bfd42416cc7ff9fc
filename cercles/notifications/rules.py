import rules

from cercles.accounts.rules import is_member


@rules.predicate
def is_recipient(user, notification):
    return (
        notification is not None and user.is_authenticated and notification.recipient_id == user.pk
    )


rules.add_perm("notifications.view_notifications", is_member)
rules.add_perm("notifications.view_notification", is_member & is_recipient)
rules.add_perm("notifications.change_preferences", is_member)
