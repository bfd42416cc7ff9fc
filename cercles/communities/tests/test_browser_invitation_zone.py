"""An invitee in Bamako, on a 360 px phone, signs up from the invitation and reads the
community's next meeting in Bamako time from the first page (issue 10, point 2)."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.models import User
from cercles.communities import services
from cercles.communities.lifecycle import State
from cercles.communities.models import Membership
from cercles.communities.tests.factories import CommunityFactory
from cercles.core.tests.browser import (
    TIMEOUT_MS,
    assert_no_horizontal_scroll,
    check_page,
    navigates,
    screenshot,
    visit,
)
from cercles.meetings.tests.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
BAMAKO = zoneinfo.ZoneInfo("Africa/Bamako")
EMAIL = "awa.traore@bamako.example"
PASSWORD = "Fleuve-Niger-2027!"
SHOTS = Path("/tmp/i10-shots")

TEXT = {
    "fr": {"signup": "S’inscrire|S'inscrire", "said": "fuseau horaire de votre navigateur"},
    "en": {"signup": "Sign up", "said": "browser's time zone"},
}


@pytest.fixture
def phone_in_bamako(chromium_browser, live_server, request):
    language = getattr(request, "param", "fr")
    context = chromium_browser.new_context(
        base_url=live_server.url,
        locale="fr-FR" if language == "fr" else "en-GB",
        timezone_id="Africa/Bamako",
        viewport={"width": 360, "height": 780},
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.csp_violations = []
    tab.on(
        "console",
        lambda m: tab.csp_violations.append(m.text) if "Content Security Policy" in m.text else 0,
    )
    if language == "en":
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
        )
    yield tab, language
    context.close()


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    screenshot(page, name)


@pytest.mark.parametrize("phone_in_bamako", ["fr", "en"], indirect=True)
def test_an_invitee_in_bamako_reads_meetings_in_bamako_time_from_sign_up(phone_in_bamako):
    page, language = phone_in_bamako
    community = CommunityFactory(state=State.ACTIVE, title="Eau et assainissement au Sahel")
    community.lead.timezone = "Europe/Paris"
    community.lead.save()
    day = timezone.now().astimezone(PARIS).date() + datetime.timedelta(days=9)
    starts = datetime.datetime.combine(day, datetime.time(15), tzinfo=PARIS)
    MeetingFactory(
        community=community,
        title="Rencontre des comités",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        time_zone="Europe/Paris",
    )
    invitation = services.invite(community.lead, community, email=EMAIL)

    # The invitation, then its sign-up link: the address is already there, the zone is Bamako's
    # and a sentence says it was taken from the browser.
    visit(page, reverse("communities:invitation", args=[invitation.token]))
    assert page.locator("html").get_attribute("lang") == language
    assert_no_horizontal_scroll(page)
    shot(page, f"invitation-anonymous-360-{language}")
    with navigates(page):
        page.locator("main a[role=button]").first.click()
    assert page.locator("input[name=email]").input_value() == EMAIL
    zone = page.locator("select[name=timezone]")
    assert zone.input_value() == "Africa/Bamako"
    note = page.locator(".timezone-note")
    assert note.is_visible()
    assert TEXT[language]["said"] in note.inner_text()
    assert "Bamako (UTC+0)" in note.inner_text()
    assert not page.locator("select[name=timezone] option[value='Africa/Asmera']").count()
    assert_no_horizontal_scroll(page)
    shot(page, f"signup-from-invitation-360-{language}")

    page.locator("input[name=display_name]").fill("Awa Traoré")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    with navigates(page):
        page.locator("main form[method=post] button[type=submit]").first.click()
    person = User.objects.get(email=EMAIL)
    assert person.timezone == "Africa/Bamako"
    assert person.language == language

    message = next(m for m in reversed(mail.outbox) if m.to == [EMAIL])
    confirm_path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body)[1]
    visit(page, confirm_path)
    with navigates(page):
        page.locator("main form[method=post] button[type=submit]").first.click()
    assert Membership.objects.filter(user=person, community=community).exists()

    # Back on the invitation: what joining asks, then the community.
    visit(page, reverse("communities:invitation", args=[invitation.token]))
    assert page.locator("textarea[name=objective]").is_visible()
    assert page.locator("select[name=timezone]").input_value() == "Africa/Bamako"
    shot(page, f"invitation-welcome-360-{language}")
    page.locator("textarea[name=objective]").fill("Apprendre des autres comités.")
    page.locator("input[name=involvement][value=active]").check()
    with navigates(page):
        page.locator("main form[method=post] button[type=submit]").first.click()
    assert page.url.rstrip("/").endswith(community.get_absolute_url().rstrip("/"))
    membership = Membership.objects.get(user=person, community=community)
    assert membership.objective == "Apprendre des autres comités."

    bamako = starts.astimezone(BAMAKO)
    when = page.locator("#next-meeting .meeting-when")
    assert f"{bamako:%H:%M}" in when.inner_text()
    assert f"{starts:%H:%M}–" not in when.inner_text()
    assert "Bamako (UTC+0)" in when.inner_text()
    assert_no_horizontal_scroll(page)
    check_page(page)
    shot(page, f"community-home-bamako-360-{language}")
