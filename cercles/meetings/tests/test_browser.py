"""A kick-off in a real browser: planned by the lead, answered by a member, held, its attendance
and minutes recorded — and the community becomes active. Screenshots in test-artifacts/."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from cercles.accounts.tests.factories import PASSWORD, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.browser import (
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)
from cercles.meetings.models import RSVP, Attendance, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_person(page, person):
    page.context.clear_cookies()
    log_in(page, person.email, PASSWORD)


def test_kick_off_from_planning_to_an_active_community(page):
    lead = UserFactory(timezone="Africa/Niamey")
    community = CommunityFactory(state=State.OPEN, lead=lead, title="Eau au Sahel")
    member = add_member(community, user=UserFactory(timezone="America/Montreal")).user
    niamey = zoneinfo.ZoneInfo("Africa/Niamey")
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).astimezone(niamey).date()

    as_person(page, lead)
    visit(page, f"/communities/{community.slug}/meetings/")
    with navigates(page):
        page.locator("a[href$='/meetings/new/?kind=kick_off']").click()
    assert page.locator("[name=kind]").input_value() == "kick_off"
    page.locator("[name=title]").fill("Rencontre de démarrage")
    # Bad input first: it ends before it starts, and neither place nor link.
    page.locator("[name=starts_at]").fill(f"{tomorrow}T10:00")
    page.locator("[name=ends_at]").fill(f"{tomorrow}T09:00")
    page.locator("[name=time_zone]").select_option("Africa/Niamey")
    with navigates(page):
        page.locator("#main form [type=submit]").click()
    assert page.locator(".field-errors").count() >= 1 and page.locator(".form-errors").count()
    assert not Meeting.objects.exists()
    screenshot(page, "meetings-01-form-errors")
    page.locator("[name=ends_at]").fill(f"{tomorrow}T12:00")
    page.locator("[name=place]").fill("Maison des associations, Niamey")
    page.locator("[name=online_url]").fill("https://visio.example.org/eau")
    page.locator("[name=agenda]").fill("1. Tour de table\n2. Valider la formule")
    with navigates(page):
        page.locator("#main form [type=submit]").click()
    meeting = Meeting.objects.get()
    assert meeting.starts_at.astimezone(datetime.UTC).hour == 9  # 10:00 in Niamey
    screenshot(page, "meetings-02-planned")

    as_person(page, member)
    visit(page, meeting.get_absolute_url())
    # The reader's zone and the organiser's, each named with its offset.
    assert "Montreal (UTC" in page.content() and "Niamey (UTC+1)" in page.content()
    with navigates(page):
        page.locator("button[name=answer][value=yes]").click()
    assert RSVP.objects.get(user=member).answer == "yes"
    assert page.locator("button[name=answer][value=yes]").get_attribute("aria-pressed") == "true"
    screenshot(page, "meetings-03-rsvp")
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The day after the kick-off (the live server runs in this process: it travels too).
    with time_machine.travel(meeting.ends_at + datetime.timedelta(hours=2), tick=True):
        as_person(page, lead)
        visit(page, meeting.get_absolute_url())
        checkbox = page.locator(f"input[name=present][value='{member.pk}']")
        assert checkbox.is_checked()  # pre-ticked from the answers
        with navigates(page):
            page.locator("#attendance button[type=submit]").click()
        assert Attendance.objects.get(user=member).present
        with navigates(page):
            page.locator(f"a[href$='/meetings/{meeting.pk}/minutes/']").click()
        page.locator("[name=topics]").fill("Gestion des forages, maintenance")
        page.locator("[name=expectations]").fill("Des outils concrets")
        page.locator("[name=objectives]").fill("Un guide en un an")
        page.locator("[name=minutes]").fill("Douze présents, belle énergie.")
        with navigates(page):
            page.locator("#main form [type=submit]").click()
        community.refresh_from_db()
        assert community.state == State.ACTIVE
        assert "Un guide en un an" in page.content()
        screenshot(page, "meetings-04-minutes-community-active")
        page.set_viewport_size({"width": 360, "height": 800})
        assert_no_horizontal_scroll(page)
