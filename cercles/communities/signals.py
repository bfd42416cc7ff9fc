"""Signals that let upper apps react to a community's life without the communities app knowing them.

`community_state_changed` is sent by `services.transition()` once the change is committed, with
`community`, `previous` (the former state), `actor` and `transition` (its name).
"""

from django.dispatch import Signal

community_state_changed = Signal()


def accept_invitations_on_confirmed_address(sender, request=None, email_address=None, **kwargs):
    """allauth's `email_confirmed`: a person invited by email lands in the community once their
    address is confirmed (connected in CommunitiesConfig.ready())."""
    from .services import accept_invitations_for_new_address

    accept_invitations_for_new_address(email_address.user, email_address.email)
