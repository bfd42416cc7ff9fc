"""Parts of pages that every visitor sees alike, cached whole and forgotten when what they show
changes: the shared cache (Redis in production) serves every process the same copy.

The visitor's home page lists recruiting public communities with their themes, territories,
member counts and lead: any write to those models forgets it (`forget_after_commit`, connected
to their signals by the communities app), and it expires after an hour in any case.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import transaction

VISITOR_HOME = "visitor_home"
# Seconds; the {% cache %} tag of home/home.html uses the same value.
LIFETIME = 3600


def fragment_keys():
    return [make_template_fragment_key(VISITOR_HOME, [code]) for code, _name in settings.LANGUAGES]


def forget_after_commit(update_fields=None, **_signal_arguments):
    """A signal receiver for the models public pages show."""
    forget_keys_after_commit(fragment_keys(), update_fields)


def forget_keys_after_commit(keys, update_fields=None):
    """Forget cached values now, and again once the change is committed, so that a request
    running meanwhile cannot keep what the transaction is about to change."""
    if is_only_a_login(update_fields):
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def is_only_a_login(update_fields):
    """A person logging in saves their last login only, which no public page shows: forgetting
    the pages at every log-in of a large network would leave them hardly ever cached."""
    return update_fields is not None and set(update_fields) <= {"last_login"}
