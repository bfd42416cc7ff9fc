"""Notification settings and the newsletter in a real browser, at 360 and 1280 pixels."""

import pytest

from cercles.accounts.tests.factories import PASSWORD, UserFactory
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.browser import (
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)
from cercles.notifications import services
from cercles.notifications.models import CommunityPreference
from cercles.notifications.unsubscribe import unsubscribe_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_sets_a_weekly_digest_and_mutes_a_community_on_a_phone(page):
    person = UserFactory(email="awa@example.org")
    water = CommunityFactory(title="Eau et assainissement au Sahel")
    schools = CommunityFactory(title="Écoles rurales du Plateau central")
    add_member(water, Role.INNER, user=person)
    add_member(schools, Role.OUTER, user=person)
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, person.email, PASSWORD)
    visit(page, "/notifications/settings/")
    assert_no_horizontal_scroll(page)
    screenshot(page, "notifications-settings-360")
    page.get_by_label("Les discussions de mes communautés").select_option("weekly")
    page.get_by_label("Écoles rurales du Plateau central").select_option("mute")
    page.get_by_label("Heure de mes résumés").select_option("18")
    with navigates(page):
        page.get_by_role("button", name="Enregistrer mes réglages").click()
    assert page.get_by_text("Vos réglages de notification ont été enregistrés").is_visible() or (
        "enregistr" in page.content()
    )
    assert services.preferences_of(person)["discussions"] == "weekly"
    assert CommunityPreference.objects.get(user=person).community_id == schools.pk
    assert services.schedule_of(person).hour == 18
    page.set_viewport_size({"width": 1280, "height": 900})
    visit(page, "/notifications/settings/")
    screenshot(page, "notifications-settings-1280")


def test_the_unsubscribe_link_works_without_logging_in(page):
    person = UserFactory()
    page.set_viewport_size({"width": 360, "height": 800})
    visit(page, unsubscribe_path(person, "group:newsletter"))
    screenshot(page, "notifications-unsubscribe-360")
    with navigates(page):
        page.get_by_role("button", name="Se désabonner").click()
    assert services.preferences_of(person)["newsletter"] == "off"
    assert_no_horizontal_scroll(page)
