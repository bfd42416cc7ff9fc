"""Signals that let upper apps react to a community's life without the communities app knowing them.

`community_state_changed` is sent by `services.transition()` once the change is committed, with
`community`, `previous` (the former state), `actor` and `transition` (its name).
"""

from django.dispatch import Signal

community_state_changed = Signal()
