"""A language chosen before logging in stays after logging in, and becomes the person's own."""

import pytest

from cercles.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_language_chosen_before_logging_in_is_kept_and_saved(client):
    person = UserFactory(language="fr")
    client.post("/language/", {"language": "en", "next": "/accounts/login/"})
    response = client.post(
        "/accounts/login/", {"login": person.email, "password": PASSWORD}, follow=True
    )
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert 'lang="en"' in response.content.decode()
    person.refresh_from_db()
    assert person.language == "en"


def test_without_a_choice_the_saved_language_is_used(client):
    person = UserFactory(language="en")
    response = client.post(
        "/accounts/login/", {"login": person.email, "password": PASSWORD}, follow=True
    )
    assert 'lang="en"' in response.content.decode()
    person.refresh_from_db()
    assert person.language == "en"


def test_after_logging_out_the_page_is_in_the_language_of_its_message(client):
    """The "signed out" message is written in the person's language: the page that shows it
    must be too, whatever the browser's own language."""
    person = UserFactory(language="en")
    client.force_login(person)
    response = client.post("/accounts/logout/", follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert 'lang="en"' in html
    messages = [str(m) for m in response.context["messages"]]
    assert messages and all("déconnecté" not in m for m in messages)
    # Later pages keep it: the browser was given the language as its choice.
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_logging_out_in_french_stays_french(client):
    person = UserFactory(language="fr")
    client.force_login(person)
    response = client.post("/accounts/logout/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="fr"' in response.content.decode()
