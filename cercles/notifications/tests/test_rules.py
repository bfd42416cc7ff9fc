import pytest
from django.contrib.auth.models import AnonymousUser

from cercles.accounts.tests.factories import UserFactory

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(member, other_member, coordinator):
    return {
        "anonymous": AnonymousUser(),
        "recipient": member,
        "other member": other_member,
        "coordinator": coordinator,
        "inactive recipient": UserFactory(is_active=False),
    }


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", False),
        ("recipient", True),
        ("other member", False),
        ("coordinator", False),
        ("inactive recipient", False),
    ],
)
def test_view_notification(people, who, allowed):
    recipient = people["inactive recipient" if who == "inactive recipient" else "recipient"]
    notification = NotificationFactory(recipient=recipient)
    assert people[who].has_perm("notifications.view_notification", notification) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", False),
        ("recipient", True),
        ("other member", True),
        ("coordinator", True),
        ("inactive recipient", False),
    ],
)
@pytest.mark.parametrize(
    "permission", ["notifications.view_notifications", "notifications.change_preferences"]
)
def test_own_notifications_and_settings(people, who, allowed, permission):
    assert people[who].has_perm(permission) is allowed
