"""Who reads and writes a community's library and productions.

- Reading follows the community's content (`communities.view_content`); in addition, a
  delivered production of a published public community is readable by anyone, file included.
- Notes, files and links are added and edited by active members of the inner circle and above
  (inner, core, co-lead, lead). The outer circle reads: it is the circle of people who follow
  without being expected to contribute (DESIGN §1), and a shared notebook needs people who
  answer for what they change. Moving inward is one click for a lead.
- Productions are published and edited by the core group and the leads: they speak for the
  community to the network and the public.
- Deleting: the author (while an active member) or the leads; the core group also deletes
  library items, as the community's moderators ("manage resources", DESIGN §1).
- Writing needs a running community (open or active); a closed or archived one is read-only,
  except for choosing what the legacy keeps, which its leads still do once it has closed.
"""

import rules

from cercles.accounts.rules import is_member
from cercles.communities.lifecycle import ENDED_STATES
from cercles.communities.models import MembershipStatus, Role
from cercles.communities.rules import (
    can_see_content,
    final_record_of,
    is_active_member,
    is_core_or_leading,
    is_ended,
    is_leading,
    is_public,
    is_published,
    is_running,
    is_writable,
    membership_of,
)

CONTRIBUTING_ROLES = {Role.LEAD, Role.CO_LEAD, Role.CORE, Role.INNER}


@rules.predicate
def is_contributor(user, community):
    membership = membership_of(user, community)
    return bool(
        membership
        and membership.status == MembershipStatus.ACTIVE
        and membership.role in CONTRIBUTING_ROLES
    )


def of_community(predicate):
    """The predicate applied to the community of an item or production."""

    @rules.predicate(name=f"community_{predicate.name}")
    def on_community(user, obj):
        return predicate.test(user, obj.community if obj is not None else None)

    return on_community


@rules.predicate
def is_author(user, obj):
    return obj is not None and user.is_authenticated and obj.author_id == user.pk


@rules.predicate
def is_delivered(user, production):
    return production is not None and production.is_delivered


@rules.predicate
def has_legacy(user, community):
    """Ended (closed, dissolved or archived) with a final record: its legacy is the network's."""
    return (
        community is not None
        and community.state in ENDED_STATES
        and bool(final_record_of(community))
    )


# The productions page is open to anyone for a published public community (delivered ones only).
can_see_productions = can_see_content | (is_published & is_public)

rules.add_perm("library.view_library", can_see_content)
rules.add_perm("library.add_item", is_contributor & is_running & is_writable)
rules.add_perm("library.change_item", of_community(is_contributor & is_running) & is_writable)
rules.add_perm(
    "library.delete_item",
    of_community(is_running)
    & ((is_author & of_community(is_active_member)) | of_community(is_core_or_leading))
    & is_writable,
)
rules.add_perm(
    "library.choose_legacy", of_community(is_leading & (is_running | is_ended)) & is_writable
)

rules.add_perm("library.view_productions", can_see_productions)
rules.add_perm(
    "library.view_production",
    of_community(can_see_content) | (is_delivered & of_community(is_published & is_public)),
)
rules.add_perm("library.add_production", is_core_or_leading & is_running & is_writable)
rules.add_perm(
    "library.change_production", of_community(is_core_or_leading & is_running) & is_writable
)
rules.add_perm(
    "library.delete_production",
    of_community(is_running)
    & ((is_author & of_community(is_core_or_leading)) | of_community(is_leading))
    & is_writable,
)

# The legacy of an ended community is kept for the whole network (its lead chose it for that),
# and for anyone when the community is public; discussions are never part of it.
rules.add_perm("library.view_legacy", has_legacy & (is_member | is_public))
