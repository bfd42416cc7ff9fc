"""The action plan in a browser: the timeline on a wide screen, the vertical list on a phone."""

import datetime

import pytest
from django.utils import timezone

from cercles.accounts.tests.factories import PASSWORD
from cercles.communities.models import Milestone, Role, Task, TaskStatus
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.browser import (
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_plan_a_task_and_read_the_timeline(page):
    community = CommunityFactory(title="Eau et assainissement en milieu rural au Sahel")
    member = add_member(community, Role.INNER).user
    late = Milestone.objects.create(
        community=community, title="Diagnostic des forages de trois communes", due_date=in_days(-8)
    )
    Task.objects.create(
        milestone=late, title="Recenser les forages en panne", due_date=in_days(-12),
        status=TaskStatus.DONE, owner=member,
    )  # fmt: skip
    Task.objects.create(milestone=late, title="Synthèse des pannes", due_date=in_days(-2))
    log_in(page, community.lead.email, PASSWORD)
    url = f"/communities/{community.slug}/milestones/"
    visit(page, url)
    assert page.locator("svg.timeline-chart").is_visible()
    assert page.locator(".timeline-row--overdue").count() == 2
    screenshot(page, "milestones-timeline")

    with navigates(page):
        # Located by address: the labels are translated after this part is written.
        first = community.milestones.get(title="Atelier de lancement")
        page.locator(f'a[href$="/milestones/{first.pk}/tasks/new"]').click()
    page.locator("#id_title").fill("Réserver la salle")
    page.locator("#id_owner").select_option(label=member.name)
    with navigates(page):
        page.locator("main form button[type=submit]").click()
    assert page.locator("#task-" + str(Task.objects.get(title="Réserver la salle").pk)).is_visible()

    page.set_viewport_size({"width": 360, "height": 740})
    visit(page, url)
    assert not page.locator("svg.timeline-chart").is_visible()
    assert page.locator("ol.plan").is_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "milestones-phone")
