"""Who is where: the communities a person belongs to, as the notifications need to know them.

The notifications sit below the communities and do not import them. The communities app
registers a provider from its AppConfig.ready(); without one (an app tested alone), people belong
to no community and the defaults for "elsewhere" apply.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A community a person is an active member of, with their role in it."""

    id: int
    title: str
    url: str
    role: str


class NoCommunities:
    def places_of(self, user_ids):
        return {}

    def roles_in(self, community_id, user_ids):
        return {}


_provider = NoCommunities()


def register_provider(provider):
    """`provider.places_of(user_ids)` → {user id: {community id: Place}} in one or two queries;
    `provider.roles_in(community_id, user_ids)` → {user id: role} in one query."""
    global _provider
    _provider = provider


def places_of(user_ids):
    user_ids = list(user_ids)
    return _provider.places_of(user_ids) if user_ids else {}


def roles_in(community_id, user_ids):
    user_ids = list(user_ids)
    if community_id is None or not user_ids:
        return {}
    return _provider.roles_in(community_id, user_ids)
