"""A post sent after the session expired comes back, after log-in, to the page it was sent from;
an address taking posts only answers a GET with its page; a post that went through says so."""

import pytest
from django.urls import reverse

from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.decorators import page_above
from cercles.core.middleware import SENT_COOKIE
from cercles.discussions.tests.factories import start_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    community = CommunityFactory()
    return start_thread(community, add_member(community, Role.INNER).user)


def reply_url(thread):
    return reverse("discussions:reply", args=[thread.community.slug, thread.pk])


def test_a_post_after_the_session_expired_logs_in_then_returns_to_the_page(client, thread):
    page = thread.get_absolute_url()
    response = client.post(
        reply_url(thread), {"body": "Ma réponse"}, HTTP_REFERER=f"http://testserver{page}"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={page}"
    assert SENT_COOKIE not in response.cookies  # the draft stays in the browser
    # Without a referer, the page above the address.
    response = client.post(reply_url(thread), {"body": "Ma réponse"})
    assert response["Location"].endswith(f"next={page}")


def test_a_foreign_referer_is_not_followed(client, thread):
    response = client.post(reply_url(thread), {"body": "x"}, HTTP_REFERER="https://evil.example/x")
    assert "evil" not in response["Location"]


def test_htmx_posts_are_sent_to_log_in_as_a_whole_page(client, thread):
    response = client.post(reply_url(thread), {"body": "x"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_an_address_taking_posts_only_sends_a_get_to_its_page(client, thread):
    client.force_login(thread.author)
    response = client.get(reply_url(thread))
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    community = thread.community
    next_steps = reverse("communities:next_steps", args=[community.slug])
    assert client.get(next_steps)["Location"] == community.get_absolute_url()
    assert client.get("/language/")["Location"] == "/"
    assert page_above("/nowhere/at/all") == "/"


def test_a_post_that_went_through_says_so_and_one_refused_does_not(client, thread):
    client.force_login(thread.author)
    response = client.post(reply_url(thread), {"body": "Une réponse bien reçue"})
    assert response.status_code == 302 and response.cookies[SENT_COOKIE].value == "1"
    client.cookies.pop(SENT_COOKIE)
    response = client.post(
        reverse("discussions:reply", args=[thread.community.slug, 999]), {"body": "x"}
    )
    assert response.status_code == 404 and SENT_COOKIE not in response.cookies
