"""The quarterly report in a real browser: a coordinator compiles the quarter, a lead writes a
piece with an image, the coordinator accepts it and publishes, a member reads the report on a
phone and opens its PDF; the community's home shows its stage with the reason, and a member
tells a story. Screenshots in test-artifacts/."""

import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from cercles.accounts.tests.factories import PASSWORD, CoordinatorFactory, UserFactory
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.browser import (
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)
from cercles.meetings.tests.factories import past
from cercles.reporting.compilation import quarter_of
from cercles.reporting.models import QuarterlyReport, ValueStory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}


def as_person(page, person):
    page.context.clear_cookies()
    log_in(page, person.email, PASSWORD)


def test_a_quarter_is_compiled_completed_published_and_read(page, tmp_path):
    lead = UserFactory(display_name="Awa Diallo")
    community = CommunityFactory(lead=lead, title="Eau et assainissement au Sahel")
    past(days=2, community=community)
    member = add_member(community, Role.INNER, user=UserFactory(display_name="Moussa")).user
    coordinator = CoordinatorFactory()
    year, quarter = quarter_of(timezone.localdate())

    # The coordinator compiles the quarter, with a window for the members.
    as_person(page, coordinator)
    visit(page, "/coordination/reports/")
    page.get_by_role("button", name="Compiler un trimestre").click()
    page.locator("[name=year]").fill(str(year))
    page.locator("[name=quarter]").select_option(str(quarter))
    until = timezone.localdate() + datetime.timedelta(days=7)
    page.locator("[name=contributions_until]").fill(until.isoformat())
    with navigates(page):
        page.get_by_role("button", name="Compiler le brouillon").click()
    report = QuarterlyReport.objects.get()
    assert community.title in page.locator("main").inner_text()

    # The lead writes a piece with an image, from the community's home.
    as_person(page, lead)
    visit(page, community.get_absolute_url())
    assert "Constitution" in page.locator("#stage").inner_text()
    assert "Lancement tenu le" in page.locator("#stage").inner_text()
    with navigates(page):
        page.get_by_role("link", name="Écrire ma contribution").click()
    picture = tmp_path / "atelier.png"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (11, 122, 87)).save(buffer, "PNG")
    picture.write_bytes(buffer.getvalue())
    page.locator("[name=text]").fill("Nous avons tenu **l'atelier** de Kaya.")
    page.locator("[name=image]").set_input_files(str(picture))
    page.locator("[name=image_alt]").fill("Les comités à l'atelier")
    with navigates(page):
        page.get_by_role("button", name="Envoyer ma contribution").click()
    screenshot(page, "reporting-01-home-after-piece")

    # The coordinator accepts it, writes the introduction, previews and publishes.
    as_person(page, coordinator)
    visit(page, f"/coordination/reports/{report.pk}/edit")
    page.get_by_text("Accepter, modifier ou écarter").click()
    with navigates(page):
        page.get_by_role("button", name="Enregistrer la décision").click()
    page.locator("[name=introduction]").fill("Un trimestre de rencontres.")
    with navigates(page):
        page.get_by_role("button", name="Enregistrer", exact=True).click()
    visit(page, f"/coordination/reports/{report.pk}/preview")
    assert "l'atelier" in page.locator("main").inner_text()
    visit(page, f"/coordination/reports/{report.pk}/edit")
    mail.outbox.clear()
    with navigates(page):
        page.get_by_role("button", name="Publier et envoyer aux membres").click()
    report.refresh_from_db()
    assert report.is_published

    # A member reads it on a phone, with the image, and opens its PDF; the email came.
    as_person(page, member)
    page.set_viewport_size(PHONE)
    visit(page, f"/reports/{report.pk}/")
    assert_no_horizontal_scroll(page)
    assert page.locator(".report-contribution img").count() == 1
    screenshot(page, "reporting-02-report-360")
    response = page.request.get(f"/reports/{report.pk}/pdf")
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    assert any(member.email in m.to for m in mail.outbox)

    # The member tells a story; the lead features it on the home.
    visit(page, f"/communities/{community.slug}/stories/")
    page.locator("[name=title]").fill("Un registre des pannes")
    page.locator("[name=happened]").fill("Nous tenons un registre.")
    page.locator("[name=value_kind][value=applied]").check()
    with navigates(page):
        page.get_by_role("button", name="Raconter").click()
    assert_no_horizontal_scroll(page)
    as_person(page, lead)
    visit(page, f"/communities/{community.slug}/stories/")
    with navigates(page):
        page.get_by_role("button", name="Mettre ce récit en avant").click()
    assert ValueStory.objects.get().is_featured
    visit(page, community.get_absolute_url())
    assert "Un registre des pannes" in page.locator("#stories").inner_text()
