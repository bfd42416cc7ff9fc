"""The benchmark data generator works and is deterministic (timings are never judged in tests)."""

import pytest
from django.core.management import call_command

from cercles.accounts.models import User
from cercles.communities.models import Community, Membership


def snapshot():
    return (
        User.objects.count(),
        Community.objects.count(),
        Membership.objects.count(),
        list(Community.objects.order_by("pk").values_list("title", "member_count")[:5]),
    )


# Flushing needs real transactions; the migrations' data (themes) is restored afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seed_bench_scale_s_is_deterministic():
    call_command("seed_bench", scale="S")
    first = snapshot()
    assert first[0] == 300 and first[1] == 20
    busy = User.objects.get(username="bench-5")
    assert busy.memberships.count() == 20  # the member of every community
    largest = Community.objects.order_by("-member_count").first()
    assert largest.member_count >= 200
    call_command("seed_bench", scale="S", flush=True)
    assert snapshot()[1:] == first[1:]


@pytest.mark.django_db
def test_seed_bench_refuses_a_database_with_people(member):
    with pytest.raises(Exception, match="already holds people"):
        call_command("seed_bench", scale="S")
