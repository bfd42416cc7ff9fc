"""Signals of the accounts app: how the floors above it (notifications…) react to a person's
account without accounts importing them."""

from django.dispatch import Signal

# Sent once a person's archive of personal data is written, with `person` and `url` (where to
# download it).
personal_data_ready = Signal()
