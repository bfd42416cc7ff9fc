"""Who reads and writes a community's library and productions.

- Reading follows the community's content (`communities.view_content`); in addition, a
  delivered production of a published public community is readable by anyone, file included.
- Every active member adds notes, files and links and proposes productions: the outer circle
  has write access even if it mostly reads (seed 001). Roles decide who edits others' items:
  the inner circle and above edit every note, file and link (a shared notebook); the core group
  and the leads edit every production (they speak for the community). Everyone edits their own.
- In a private community each note, file, link and production has its own audience (issue 11):
  the community (default), the network or the public, chosen by whoever may edit it; a shared
  item is readable beyond the members (`library.view_item`, `library.view_production`) without
  anything else of the community becoming visible.
- Deleting: the author (while an active member) or the leads; the core group also deletes
  library items, as the community's moderators ("manage resources", DESIGN §1).
- Writing needs a running community (open or active); a closed or archived one is read-only,
  except for choosing what the legacy keeps, which its leads still do once it has closed.
"""

import rules

from cercles.accounts.rules import is_member
from cercles.communities.lifecycle import ENDED_STATES
from cercles.communities.models import MembershipStatus, Role, Visibility
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

from .models import Sharing

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


@rules.predicate
def is_shared_with_reader(user, obj):
    """Shared beyond a published community's members, with the network or the public."""
    if obj is None or not is_published.test(user, obj.community):
        return False
    if obj.shared_with == Sharing.PUBLIC:
        return True
    return obj.shared_with == Sharing.NETWORK and is_member.test(user)


@rules.predicate
def is_private_community(user, obj):
    community = obj.community if obj is not None and hasattr(obj, "community") else obj
    return community is not None and community.visibility == Visibility.PRIVATE


writes_own = is_author & of_community(is_active_member & is_running)

rules.add_perm("library.view_library", can_see_content)
rules.add_perm("library.view_item", of_community(can_see_content) | is_shared_with_reader)
rules.add_perm("library.add_item", is_active_member & is_running & is_writable)
rules.add_perm(
    "library.change_item",
    (of_community(is_contributor & is_running) | writes_own) & is_writable,
)
rules.add_perm(
    "library.share_item",
    (of_community(is_contributor & is_running) | writes_own) & is_private_community & is_writable,
)
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
    of_community(can_see_content)
    | (is_delivered & of_community(is_published & is_public))
    | is_shared_with_reader,
)
rules.add_perm("library.add_production", is_active_member & is_running & is_writable)
rules.add_perm(
    "library.change_production",
    (of_community(is_core_or_leading & is_running) | writes_own) & is_writable,
)
rules.add_perm(
    "library.share_production",
    (of_community(is_core_or_leading & is_running) | writes_own)
    & is_private_community
    & is_writable,
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
