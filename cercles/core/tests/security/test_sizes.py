"""No page grows without bound (issue 19, deliverable 8).

The framing editor took 11 s with 250 milestones: one query per row for the owners' choices,
and every row rendered. It now reads the owners once and shows the first EDITOR_ROWS rows of
each part, saying how many more there are and linking to the action plan.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cercles.communities.forms_framing import EDITOR_ROWS
from cercles.communities.lifecycle import State
from cercles.communities.models import Milestone
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.communities.tests.test_views_framing import formset_data, framing_data


@pytest.fixture
def long_plan(db):
    community = CommunityFactory(state=State.DRAFT, with_framing=False)
    for _ in range(20):
        add_member(community)
    today = timezone.localdate()
    Milestone.objects.bulk_create(
        Milestone(
            community=community, title=f"Jalon {i}", due_date=today + datetime.timedelta(days=i + 1)
        )
        for i in range(250)
    )
    return community


def test_framing_editor_with_250_milestones_is_bounded(
    client, long_plan, django_assert_max_num_queries
):
    client.force_login(long_plan.lead)
    url = reverse("communities:framing", args=[long_plan.slug])
    with django_assert_max_num_queries(25):
        response = client.get(url)
    page = response.content.decode()
    assert page.count('name="milestones-') < (EDITOR_ROWS + 2) * 8
    assert "Jalon 0" in page and f"Jalon {EDITOR_ROWS}" not in page
    assert "210" in page  # 250 - 40 more rows, said
    assert reverse("communities:milestones", args=[long_plan.slug]) in page


def test_saving_the_editor_keeps_the_rows_it_does_not_show(client, long_plan):
    client.force_login(long_plan.lead)
    url = reverse("communities:framing", args=[long_plan.slug])
    shown = list(long_plan.milestones.all()[:EDITOR_ROWS])
    rows = [
        {
            "id": m.pk,
            "title": m.title,
            "due_date": m.due_date.isoformat(),
            "description": "",
            "owner": "",
        }
        for m in shown
    ]
    data = framing_data(None)
    data.update(formset_data("milestones", rows, initial=len(rows)))
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert long_plan.milestones.count() == 250
