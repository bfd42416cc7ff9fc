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
