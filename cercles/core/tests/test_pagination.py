import pytest

from cercles.accounts.models import User
from cercles.accounts.tests.factories import UserFactory
from cercles.core.pagination import DeferredJoinPaginator

pytestmark = pytest.mark.django_db


def test_pages_hold_the_same_rows_in_the_same_order_as_a_plain_paginator(
    django_assert_num_queries,
):
    people = sorted(UserFactory.create_batch(12), key=lambda user: user.username, reverse=True)
    paginator = DeferredJoinPaginator(User.objects.order_by("-username"), 5)
    assert paginator.count == 12
    with django_assert_num_queries(1):
        third = list(paginator.page(3))
    assert third == people[10:]
    assert list(paginator.page(2)) == people[5:10]
    assert paginator.get_page("beyond").number == 1
