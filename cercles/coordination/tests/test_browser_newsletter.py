"""The newsletter in a real browser: compiled, previewed, sent; its report on a phone."""

import pytest
from django.core import mail

from cercles.accounts.tests.factories import PASSWORD, CoordinatorFactory, UserFactory
from cercles.communities import services as community_services
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.browser import (
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_composes_previews_and_sends_a_newsletter(page):
    coordinator = CoordinatorFactory(email="coordination@example.org")
    water = CommunityFactory(title="Eau et assainissement au Sahel")
    community_services.update_next_steps(water.lead, water, "Atelier des comités en avril.")
    reader = UserFactory()
    add_member(water, Role.OUTER, user=reader)
    log_in(page, coordinator.email, PASSWORD)
    visit(page, "/coordination/newsletter/")
    screenshot(page, "newsletter-list-1280")
    with navigates(page):
        page.get_by_role("button", name="Compiler un brouillon").click()
    page.get_by_label("Objet").fill("Nouvelles d'avril")
    with navigates(page):
        page.get_by_role("button", name="Enregistrer et prévisualiser").click()
    screenshot(page, "newsletter-preview-1280")
    with navigates(page):
        page.get_by_role("button", name="Envoyer…").click()
    with navigates(page):
        page.get_by_role("button", name="Envoyer à").click()
    copies = {m.to[0]: m for m in mail.outbox}
    assert "Atelier des comités en avril." in copies[reader.email].body
    page.set_viewport_size({"width": 360, "height": 800})
    visit(page, page.url)
    assert_no_horizontal_scroll(page)
    screenshot(page, "newsletter-report-360")
    visit(page, "/newsletters/")
    assert_no_horizontal_scroll(page)
