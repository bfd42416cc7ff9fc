"""A member's first week on a phone (360 px), in French and in English: what they type is never
lost, the times they see are theirs, the community's home shows what is happening."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from cercles.accounts.tests.factories import PASSWORD, UserFactory
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.browser import log_in, navigates, screenshot, visit
from cercles.discussions.models import Post
from cercles.discussions.tests.factories import start_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
SEND = {"fr": "Répondre", "en": "Reply"}
KEPT = {"fr": "Votre brouillon a été gardé", "en": "Your draft was kept"}


def expire_every_session():
    """Through the session engine, so that a cached session (Redis) ends too."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in Session.objects.values_list("session_key", flat=True):
        store(key).delete()


def speak(page, live_server, language):
    page.context.add_cookies(
        [{"name": "cercles_language", "value": language, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_reply_typed_before_the_session_expired_is_posted_after_logging_in(
    page, live_server, language
):
    community = CommunityFactory(title="Eau et assainissement au Sahel")
    awa = add_member(community, Role.INNER, user=UserFactory(display_name="Awa Diallo")).user
    thread = start_thread(community, community.lead, title="Entretien des forages")
    page.set_viewport_size(PHONE)
    speak(page, live_server, language)
    log_in(page, awa.email, PASSWORD)
    visit(page, thread.get_absolute_url())
    text = "Chez nous, le comité collecte 500 F CFA par famille et par mois."
    page.locator("textarea[name=body]").fill(text)
    page.wait_for_timeout(400)  # the draft is kept a moment after the last key

    expire_every_session()  # the session expires while Awa types
    with navigates(page):
        page.locator("form[action$='/reply'] button[type=submit]").first.click()
    assert "/accounts/login/" in page.url
    assert Post.objects.filter(thread=thread).count() == 1

    page.locator("input[name=login]").fill(awa.email)
    page.locator("input[name=password]").fill(PASSWORD)
    with navigates(page):
        page.locator("form[action^='/accounts/login/'] [type=submit]").click()
    assert page.url.endswith(thread.get_absolute_url()), page.url
    assert page.locator("textarea[name=body]").input_value() == text
    assert KEPT[language] in page.locator(".draft-note").inner_text()
    screenshot(page, f"first-week-draft-restored-{language}")

    with navigates(page):
        page.locator("form[action$='/reply'] button[type=submit]").first.click()
    assert Post.objects.filter(thread=thread, body=text).count() == 1
    # Gone through: the draft is forgotten, the next visit starts from an empty box.
    visit(page, thread.get_absolute_url())
    assert page.locator("textarea[name=body]").input_value() == ""
    assert page.locator(".draft-note").count() == 0
