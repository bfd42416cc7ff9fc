"""Permission matrix of the library and productions: role × visibility × action."""

import itertools

import pytest

from cercles.communities.lifecycle import State
from cercles.communities.models import Visibility
from cercles.communities.tests.factories import CommunityFactory
from cercles.communities.tests.test_rules import ROLES, person_with_role

from ..models import Item, ItemKind, Production, ProductionStatus

VISIBILITIES = [Visibility.PRIVATE, Visibility.NETWORK, Visibility.PUBLIC]
ALL = set(VISIBILITIES)
READABLE = {Visibility.NETWORK, Visibility.PUBLIC}
PRIVATE = {Visibility.PRIVATE}
MEMBERS = {"outer", "inner", "core", "co_lead", "lead"}
CONTRIBUTORS = {"inner", "core", "co_lead", "lead"}
CORE = {"core", "co_lead", "lead"}
LEADS = {"co_lead", "lead"}
READERS = {"outsider": READABLE, "pending": READABLE, "ex_member": READABLE,
           "coordinator": ALL, **dict.fromkeys(MEMBERS, ALL)}  # fmt: skip

# action → (community state, target: "community" | "item" | "planned" | "delivered",
#           {role: visibilities in which the role may do it})
MATRIX = {
    "library.view_library": (State.ACTIVE, "community", READERS),
    # Seed 001: every active member writes, the outer circle too (issue 11).
    "library.add_item": (State.ACTIVE, "community", dict.fromkeys(MEMBERS, ALL)),
    "library.change_item": (State.ACTIVE, "item", dict.fromkeys(CONTRIBUTORS, ALL)),
    # The item's author is someone else: core and leads moderate, others may not.
    "library.delete_item": (State.ACTIVE, "item", dict.fromkeys(CORE, ALL)),
    "library.choose_legacy": (State.ACTIVE, "item", dict.fromkeys(LEADS, ALL)),
    "library.view_productions": (State.ACTIVE, "community", {
        **READERS, "visitor": {Visibility.PUBLIC},
    }),
    "library.view_production": (State.ACTIVE, "planned", READERS),
    "library.add_production": (State.ACTIVE, "community", dict.fromkeys(MEMBERS, ALL)),
    # Choosing who reads an item: its editors, in a private community only.
    "library.share_item": (State.ACTIVE, "item", dict.fromkeys(CONTRIBUTORS, PRIVATE)),
    "library.share_production": (State.ACTIVE, "planned", dict.fromkeys(CORE, PRIVATE)),
    "library.change_production": (State.ACTIVE, "planned", dict.fromkeys(CORE, ALL)),
    "library.delete_production": (State.ACTIVE, "planned", dict.fromkeys(LEADS, ALL)),
}  # fmt: skip


def target_for(kind, community):
    if kind == "community":
        return community
    if kind == "item":
        return Item.objects.create(community=community, kind=ItemKind.NOTE, title="Carnet")
    status = ProductionStatus.DELIVERED if kind == "delivered" else ProductionStatus.PLANNED
    return Production.objects.create(
        community=community, title="Guide", kind="publication", audience="network", status=status
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("permission", "role", "visibility"),
    list(itertools.product(MATRIX, ROLES, VISIBILITIES)),
)
def test_permission_matrix(permission, role, visibility):
    state, target_kind, allowed = MATRIX[permission]
    community = CommunityFactory(state=state, visibility=visibility)
    person = person_with_role(role, community)
    target = target_for(target_kind, community)
    expected = visibility in allowed.get(role, set())
    assert person.has_perm(permission, target) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "visibility"), list(itertools.product(ROLES, VISIBILITIES)))
def test_delivered_productions_of_public_communities_are_readable_by_anyone(role, visibility):
    community = CommunityFactory(visibility=visibility)
    person = person_with_role(role, community)
    production = target_for("delivered", community)
    expected = visibility == Visibility.PUBLIC or visibility in READERS.get(role, set())
    assert person.has_perm("library.view_production", production) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["inner", "outer", "core", "lead"])
def test_authors_delete_their_own_items_while_members(role):
    community = CommunityFactory()
    person = person_with_role(role, community)
    item = Item.objects.create(community=community, kind=ItemKind.LINK, title="x", author=person)
    assert person.has_perm("library.delete_item", item)


@pytest.mark.django_db
def test_a_former_member_no_longer_deletes_what_they_added():
    community = CommunityFactory()
    person = person_with_role("ex_member", community)
    item = Item.objects.create(community=community, kind=ItemKind.LINK, title="x", author=person)
    assert not person.has_perm("library.delete_item", item)


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.CLOSED, State.ARCHIVED, State.DRAFT])
def test_nothing_is_written_outside_a_running_community(state):
    community = CommunityFactory(state=state)
    lead = community.lead
    item = target_for("item", community)
    production = target_for("planned", community)
    assert not lead.has_perm("library.add_item", community)
    assert not lead.has_perm("library.change_item", item)
    assert not lead.has_perm("library.delete_item", item)
    assert not lead.has_perm("library.add_production", community)
    assert not lead.has_perm("library.change_production", production)
    # Once closed, the leads still choose what the legacy keeps.
    assert lead.has_perm("library.choose_legacy", item) is (state == State.CLOSED)


@pytest.mark.django_db
def test_a_public_community_not_yet_published_shows_no_production_to_visitors():
    from django.contrib.auth.models import AnonymousUser

    community = CommunityFactory(state=State.IN_REVIEW, visibility=Visibility.PUBLIC)
    production = target_for("delivered", community)
    assert not AnonymousUser().has_perm("library.view_production", production)
    assert not AnonymousUser().has_perm("library.view_productions", community)
