"""Who reads which rows of the index, as filters on `SearchEntry`: the same rules as the pages
(communities/rules.py, library/rules.py…), written as conditions the database applies itself.

Nothing here is checked in Python after the query: a row a person may not read is never fetched,
counted or ranked.
"""

from django.db.models import Q

from cercles.communities.access import extra_community_ids
from cercles.communities.lifecycle import ENDED_STATES, PUBLISHED_STATES
from cercles.communities.models import FinalRecord, Membership, MembershipStatus, Visibility

from .models import Audience

NOTHING = Q(pk__in=[])
# Not Q(): an empty Q vanishes when combined with | (Q() | x == x).
EVERYTHING = Q(pk__isnull=False)


def is_network_member(user):
    """Third-party guests are not: they read the community they accompany only (DESIGN.md §1)."""
    return user.is_authenticated and user.is_active and not getattr(user, "is_guest", False)


def extra_readers(user):
    """The communities a mentor or a third-party guest accompanies (communities/access.py)."""
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    condition = NOTHING
    for ids in extra_community_ids(user):
        condition |= Q(community_id__in=ids)
    return condition


def is_coordinator(user):
    return is_network_member(user) and (user.is_coordinator or user.is_superuser)


def my_communities(user):
    return Membership.objects.filter(user=user.pk, status=MembershipStatus.ACTIVE).values(
        "community_id"
    )


def content_readers(user):
    """Rows whose community's content the person reads (`communities.view_content`): its
    active members and the coordinators; for a community open to the network, every member of
    the network once it is published; visitors read no community's content."""
    if is_coordinator(user):
        return EVERYTHING
    if not is_network_member(user):
        return extra_readers(user)
    return (
        Q(
            community__state__in=PUBLISHED_STATES,
            community__visibility__in=[Visibility.NETWORK, Visibility.PUBLIC],
        )
        | Q(community_id__in=my_communities(user))
        | extra_readers(user)
    )


def community_members(user):
    """What only the community's active members and the coordinators read (its surveys:
    `surveys.view_surveys`), whatever the community's visibility."""
    if is_coordinator(user):
        return EVERYTHING
    if not is_network_member(user):
        return NOTHING
    return Q(community_id__in=my_communities(user))


def presentation_readers(user):
    """Communities whose presentation the person sees (`communities.view_presentation`)."""
    if is_coordinator(user):
        return EVERYTHING
    if not is_network_member(user):
        return Q(
            community__state__in=PUBLISHED_STATES, community__visibility=Visibility.PUBLIC
        ) | extra_readers(user)
    return Q(community__state__in=PUBLISHED_STATES) | Q(community_id__in=my_communities(user))


def network_members(user):
    """People: the directory is for members of the network."""
    return EVERYTHING if is_network_member(user) else NOTHING


def legacy_readers(user):
    """What an ended community keeps in the network library (`library.view_legacy`)."""
    ended = Q(
        legacy=True,
        community__state__in=ENDED_STATES,
        community_id__in=FinalRecord.objects.values("community_id"),
    )
    if is_network_member(user):
        return ended
    return ended & Q(community__visibility=Visibility.PUBLIC)


def shared_readers(user):
    """Items shared beyond a private community, by their own audience (issue 11)."""
    published = Q(community__state__in=PUBLISHED_STATES)
    if is_network_member(user):
        return published & Q(shared_with__in=[Audience.NETWORK, Audience.PUBLIC])
    return published & Q(shared_with=Audience.PUBLIC)


def production_readers(user):
    """Productions (`library.view_production`): the community's readers, and anyone for a
    delivered production of a published public community; plus legacy and sharing."""
    delivered_public = Q(
        public_when_published=True,
        community__state__in=PUBLISHED_STATES,
        community__visibility=Visibility.PUBLIC,
    )
    return content_readers(user) | delivered_public | legacy_readers(user) | shared_readers(user)


def library_readers(user):
    """Notes, files and links: the community's readers, plus legacy and sharing."""
    return content_readers(user) | legacy_readers(user) | shared_readers(user)


def discussion_readers(user):
    """Discussions are never read by visitors, even in public communities."""
    return content_readers(user)
