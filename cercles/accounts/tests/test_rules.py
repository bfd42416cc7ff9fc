"""One permission-matrix test per rule: who may do what, asked the way views ask it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cercles.taxonomy.models import Theme

from .factories import CoordinatorFactory, UserFactory

ROLES = [
    "anonymous",
    "member",
    "self",
    "coordinator",
    "inactive",
    "inactive_coordinator",
    "superuser",
]


@pytest.fixture
def people(db):
    """The person whose profile is at stake, and one user per role."""
    person = UserFactory()
    return person, {
        "anonymous": AnonymousUser(),
        "member": UserFactory(),
        "self": person,
        "coordinator": CoordinatorFactory(),
        "inactive": UserFactory(is_active=False),
        "inactive_coordinator": CoordinatorFactory(is_active=False),
        "superuser": UserFactory(is_superuser=True),
    }


def check_matrix(people, permission, expected, *, with_object):
    person, users = people
    assert set(expected) == set(ROLES)
    obj = person if with_object else None
    actual = {role: users[role].has_perm(permission, obj) for role in ROLES}
    assert actual == expected


def test_view_directory(people):
    expected = {
        "anonymous": False, "member": True, "self": True, "coordinator": True,
        "inactive": False, "inactive_coordinator": False, "superuser": True,
    }  # fmt: skip
    check_matrix(people, "accounts.view_directory", expected, with_object=False)


def test_view_profile(people):
    expected = {
        "anonymous": False, "member": True, "self": True, "coordinator": True,
        "inactive": False, "inactive_coordinator": False, "superuser": True,
    }  # fmt: skip
    check_matrix(people, "accounts.view_profile", expected, with_object=True)


def test_change_profile_only_oneself(people):
    # Coordinators do not edit other people's profiles; the superuser has every permission.
    expected = {
        "anonymous": False, "member": False, "self": True, "coordinator": False,
        "inactive": False, "inactive_coordinator": False, "superuser": True,
    }  # fmt: skip
    check_matrix(people, "accounts.change_profile", expected, with_object=True)


def test_change_profile_of_an_inactive_self_is_refused(db):
    person = UserFactory(is_active=False)
    assert not person.has_perm("accounts.change_profile", person)


def test_change_profile_needs_a_person(people):
    _, users = people
    assert not users["self"].has_perm("accounts.change_profile", None)


def test_manage_coordinators(people):
    expected = {
        "anonymous": False, "member": False, "self": False, "coordinator": True,
        "inactive": False, "inactive_coordinator": False, "superuser": True,
    }  # fmt: skip
    check_matrix(people, "accounts.manage_coordinators", expected, with_object=False)


def test_manage_themes(people):
    person, users = people
    theme = Theme.objects.get(sdg_number=1)
    expected = {
        "anonymous": False, "member": False, "self": False, "coordinator": True,
        "inactive": False, "inactive_coordinator": False, "superuser": True,
    }  # fmt: skip
    actual = {role: users[role].has_perm("taxonomy.manage_themes", theme) for role in ROLES}
    assert actual == expected
    assert {role: users[role].has_perm("taxonomy.manage_themes") for role in ROLES} == expected
