"""The API: its OpenAPI document, and the permission matrix of every endpoint.

Each endpoint is asked by a visitor, with the token of a member of the network outside the
community, of a member, of the lead and of a coordinator, on a private community; the answers
must be the ones the pages give (404 for what may not be seen, 403 for what may not be done).
"""

import datetime
import json

import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from cercles.accounts.models import ApiToken
from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.models import Membership, MembershipStatus, Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.discussions.models import Post
from cercles.discussions.tests.factories import start_thread
from cercles.library.models import ProductionStatus
from cercles.library.tests.factories import make_production
from cercles.meetings.models import RSVP
from cercles.meetings.tests.factories import MeetingFactory
from cercles.notifications.tests.factories import NotificationFactory

from .conftest import auth, token_for

pytestmark = pytest.mark.django_db

VISITOR, OUTSIDER, MEMBER, LEAD, COORDINATOR = (
    "visitor",
    "outsider",
    "member",
    "lead",
    "coordinator",
)
ROLES = [VISITOR, OUTSIDER, MEMBER, LEAD, COORDINATOR]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    member = add_member(community, role=Role.INNER).user
    thread = start_thread(community, member)
    meeting = MeetingFactory(community=community)
    make_production(community.lead, community, status=ProductionStatus.DELIVERED)
    make_production(community.lead, community, title="Boîte à outils en préparation")
    people = {
        VISITOR: None,
        OUTSIDER: UserFactory(),
        MEMBER: member,
        LEAD: community.lead,
        COORDINATOR: CoordinatorFactory(),
    }
    tokens = {role: token_for(person) if person else None for role, person in people.items()}
    return {
        "community": community,
        "thread": thread,
        "meeting": meeting,
        "people": people,
        "tokens": tokens,
    }


def call(client, method, url, raw=None, data=None):
    headers = auth(raw) if raw else {}
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, data=json.dumps(data or {}), content_type="application/json", **headers)


def matrix(client, world, method, url, data_for=None):
    answers = {}
    for role in ROLES:
        data = data_for(role) if data_for else None
        answers[role] = call(client, method, url, world["tokens"][role], data).status_code
    return answers


def test_openapi_document_validates(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    validate(spec)
    assert "/api/communities" in spec["paths"]
    assert spec["components"]["securitySchemes"]["ApiToken"]["scheme"] == "bearer"


def test_docs_page_uses_local_files_only(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page


def test_catalogue(client, world):
    slug = world["community"].slug
    for role in ROLES:
        slugs = [
            c["slug"]
            for c in call(client, "get", "/api/communities", world["tokens"][role]).json()["items"]
        ]
        # A private community is listed to members of the network (its presentation is), never
        # to visitors: the same rule as the catalogue page.
        assert (slug in slugs) == (role != VISITOR), role


def test_presentation(client, world):
    url = f"/api/communities/{world['community'].slug}"
    assert matrix(client, world, "get", url) == {
        VISITOR: 404, OUTSIDER: 200, MEMBER: 200, LEAD: 200, COORDINATOR: 200,
    }  # fmt: skip
    outsider = call(client, "get", url, world["tokens"][OUTSIDER]).json()
    assert outsider["next_steps"] is None and outsider["my_membership"] is None
    member = call(client, "get", url, world["tokens"][MEMBER]).json()
    assert member["my_membership"]["role"] == "inner"


def test_meetings(client, world):
    url = f"/api/communities/{world['community'].slug}/meetings"
    assert matrix(client, world, "get", url) == {
        VISITOR: 404, OUTSIDER: 404, MEMBER: 200, LEAD: 200, COORDINATOR: 200,
    }  # fmt: skip
    item = call(client, "get", url, world["tokens"][MEMBER]).json()["items"][0]
    assert item["ics_url"].endswith(f"/meetings/{world['meeting'].pk}.ics")


def test_productions(client, world):
    url = f"/api/communities/{world['community'].slug}/productions"
    assert matrix(client, world, "get", url) == {
        VISITOR: 404, OUTSIDER: 404, MEMBER: 200, LEAD: 200, COORDINATOR: 200,
    }  # fmt: skip
    assert len(call(client, "get", url, world["tokens"][MEMBER]).json()["items"]) == 2


def test_productions_of_a_public_community_show_visitors_the_delivered_ones(client):
    community = CommunityFactory(visibility=Visibility.PUBLIC)
    make_production(community.lead, community, status=ProductionStatus.DELIVERED)
    make_production(community.lead, community, title="En préparation")
    items = client.get(f"/api/communities/{community.slug}/productions").json()["items"]
    assert [p["status"] for p in items] == ["delivered"]
    assert [p["status"] for p in client.get("/api/library").json()["items"]] == ["delivered"]


def test_network_library_leaves_private_communities_out(client, world):
    for role in ROLES:
        response = call(client, "get", "/api/library", world["tokens"][role])
        assert response.status_code == 200
        assert response.json()["items"] == [], role


def test_threads(client, world):
    url = f"/api/communities/{world['community'].slug}/threads"
    assert matrix(client, world, "get", url) == {
        VISITOR: 404, OUTSIDER: 404, MEMBER: 200, LEAD: 200, COORDINATOR: 200,
    }  # fmt: skip


def test_reply(client, world):
    thread = world["thread"]
    url = f"/api/communities/{world['community'].slug}/threads/{thread.pk}/replies"
    answers = matrix(client, world, "post", url, lambda role: {"body": f"Réponse de {role}"})
    # Coordinators read communities, they do not take part in them (discussions.reply).
    assert answers == {VISITOR: 401, OUTSIDER: 404, MEMBER: 201, LEAD: 201, COORDINATOR: 403}
    assert Post.objects.filter(thread=thread, body="Réponse de member").exists()


def test_join(client, world):
    url = f"/api/communities/{world['community'].slug}/join"
    data = {"objective": "Apprendre", "involvement": "active", "message": "Bonjour"}
    answers = matrix(client, world, "post", url, lambda role: data)
    assert answers == {VISITOR: 401, OUTSIDER: 201, MEMBER: 403, LEAD: 403, COORDINATOR: 201}
    outsider = world["people"][OUTSIDER]
    # A private community: the person asks, the lead answers (the same service as the page).
    assert Membership.objects.get(user=outsider).status == MembershipStatus.PENDING
    again = call(client, "post", url, world["tokens"][OUTSIDER], data)
    assert again.status_code == 403


def test_rsvp(client, world):
    meeting = world["meeting"]
    url = f"/api/communities/{world['community'].slug}/meetings/{meeting.pk}/rsvp"
    answers = matrix(client, world, "post", url, lambda role: {"answer": "yes"})
    assert answers == {VISITOR: 401, OUTSIDER: 404, MEMBER: 200, LEAD: 200, COORDINATOR: 403}
    assert RSVP.objects.filter(meeting=meeting).count() == 2
    bad = call(client, "post", url, world["tokens"][MEMBER], {"answer": "perhaps"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "answer"


def test_me_and_notifications(client, world):
    for url in ("/api/me", "/api/notifications"):
        answers = matrix(client, world, "get", url)
        assert answers == {VISITOR: 401, OUTSIDER: 200, MEMBER: 200, LEAD: 200, COORDINATOR: 200}
    me = call(client, "get", "/api/me", world["tokens"][MEMBER]).json()
    assert me["username"] == world["people"][MEMBER].username
    assert me["authenticated_by"] == "token" and me["token_scope"] == "write"


def test_notifications_are_the_callers_own(client, world):
    member, outsider = world["people"][MEMBER], world["people"][OUTSIDER]
    mine = NotificationFactory(recipient=member)
    theirs = NotificationFactory(recipient=outsider)
    items = call(client, "get", "/api/notifications", world["tokens"][MEMBER]).json()["items"]
    assert mine.pk in [n["id"] for n in items] and theirs.pk not in [n["id"] for n in items]
    # Another person's notification answers like a missing one, and stays unread.
    other = call(client, "post", f"/api/notifications/{theirs.pk}/read", world["tokens"][MEMBER])
    assert other.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    read = call(client, "post", f"/api/notifications/{mine.pk}/read", world["tokens"][MEMBER])
    assert read.status_code == 200 and read.json()["read_at"]
    unread = call(client, "get", "/api/notifications?unread=true", world["tokens"][MEMBER])
    assert unread.json()["items"] == []
    everything = call(client, "post", "/api/notifications/read-all", world["tokens"][OUTSIDER])
    assert everything.json() == {"marked_read": 1}
    assert call(client, "post", "/api/notifications/read-all").status_code == 401


SLUG_ENDPOINTS = [
    ("get", "/api/communities/{slug}"),
    ("post", "/api/communities/{slug}/join"),
    ("get", "/api/communities/{slug}/meetings"),
    ("post", "/api/communities/{slug}/meetings/{meeting}/rsvp"),
    ("get", "/api/communities/{slug}/productions"),
    ("get", "/api/communities/{slug}/threads"),
    ("post", "/api/communities/{slug}/threads/{thread}/replies"),
]


@pytest.mark.parametrize(("method", "pattern"), SLUG_ENDPOINTS)
def test_forged_slug_answers_not_found(client, world, method, pattern):
    data = {"objective": "x", "involvement": "active", "answer": "yes", "body": "Bonjour"}
    for slug in ("no-such-community", "../admin", "x" * 300):
        url = pattern.format(slug=slug, meeting=world["meeting"].pk, thread=world["thread"].pk)
        response = call(client, method, url, world["tokens"][COORDINATOR], data)
        assert response.status_code == 404, (url, response.content)
        assert response["Content-Type"] == "application/problem+json"


def test_objects_of_another_community_answer_not_found(client, world):
    other = CommunityFactory(visibility=Visibility.PRIVATE, lead=world["people"][MEMBER])
    raw = world["tokens"][MEMBER]
    slug = other.slug
    thread, meeting = world["thread"], world["meeting"]
    reply = call(client, "post", f"/api/communities/{slug}/threads/{thread.pk}/replies", raw,
                 {"body": "Bonjour"})  # fmt: skip
    rsvp = call(client, "post", f"/api/communities/{slug}/meetings/{meeting.pk}/rsvp", raw,
                {"answer": "yes"})  # fmt: skip
    assert reply.status_code == 404 and rsvp.status_code == 404


WRITE_ENDPOINTS = [
    ("/api/communities/{slug}/join", {"objective": "x", "involvement": "active"}),
    ("/api/communities/{slug}/meetings/{meeting}/rsvp", {"answer": "yes"}),
    ("/api/communities/{slug}/threads/{thread}/replies", {"body": "Bonjour"}),
    ("/api/notifications/read-all", {}),
    ("/api/notifications/{notification}/read", {}),
]


@pytest.mark.parametrize(("pattern", "data"), WRITE_ENDPOINTS)
def test_read_token_cannot_write(client, world, pattern, data):
    member = world["people"][MEMBER]
    notification = NotificationFactory(recipient=member)
    url = pattern.format(
        slug=world["community"].slug,
        meeting=world["meeting"].pk,
        thread=world["thread"].pk,
        notification=notification.pk,
    )
    response = call(client, "post", url, token_for(member, scope="read"), data)
    assert response.status_code == 403
    assert response.json()["type"].endswith("/api/problems/insufficient-scope")
    assert "insufficient_scope" in response["WWW-Authenticate"]
    notification.refresh_from_db()
    assert notification.read_at is None
    assert not Post.objects.filter(body="Bonjour").exists()


def test_read_token_reads(client, world):
    raw = token_for(world["people"][MEMBER], scope="read")
    response = call(client, "get", f"/api/communities/{world['community'].slug}/threads", raw)
    assert response.status_code == 200


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown", "malformed"])
def test_rejected_tokens(client, world, state):
    member = world["people"][MEMBER]
    raw = token_for(member)
    token = ApiToken.objects.get(key_hash=ApiToken.hash_of(raw))
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
    elif state == "revoked":
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    elif state == "unknown":
        raw = raw[:-4] + "abcd"
    headers = {"HTTP_AUTHORIZATION": "Basic abc"} if state == "malformed" else auth(raw)
    # Public and personal endpoints alike: a bad token is never read as a visitor.
    for url in ("/api/communities", "/api/me"):
        response = client.get(url, **headers)
        assert response.status_code == 401, (state, url)
        expected = {"expired": "token-expired", "revoked": "token-revoked"}.get(
            state, "token-invalid"
        )
        assert response.json()["type"].endswith(f"/api/problems/{expected}")


def test_token_of_a_deleted_account_no_longer_works(client, world):
    from cercles.accounts.services import delete_account

    outsider = world["people"][OUTSIDER]
    raw = world["tokens"][OUTSIDER]
    delete_account(outsider, outsider, password="un-mot-de-passe-solide-42")
    assert client.get("/api/me", **auth(raw)).status_code == 401


def test_session_needs_the_csrf_token_to_write(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["people"][MEMBER])
    assert client.get("/api/me").json()["authenticated_by"] == "session"
    response = client.post("/api/notifications/read-all", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["type"].endswith("/api/problems/csrf-failed")
    client.get("/notifications/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/notifications/read-all", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200


def test_problems_speak_the_persons_language(client, world):
    member = world["people"][MEMBER]
    member.language = "en"
    member.save()
    raw = world["tokens"][MEMBER]
    english = client.get("/api/communities/nowhere", **auth(raw)).json()
    assert english["title"] == "Not found" and english["status"] == 404
    member.language = "fr"
    member.save()
    french = client.get("/api/communities/nowhere", **auth(raw)).json()
    assert french["title"] == "Introuvable"
    visitor = client.get("/api/me", HTTP_ACCEPT_LANGUAGE="en")
    assert visitor.json()["title"] == "Authentication needed"
    assert visitor["WWW-Authenticate"].startswith("Bearer")


def test_refusals_are_problems_with_the_services_message(client, world):
    meeting = world["meeting"]
    meeting.cancelled_at = timezone.now()
    meeting.save()
    url = f"/api/communities/{world['community'].slug}/meetings/{meeting.pk}/rsvp"
    response = call(client, "post", url, world["tokens"][MEMBER], {"answer": "yes"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Cette rencontre a été annulée."
    missing = call(client, "post", f"/api/communities/{world['community'].slug}/join",
                   world["tokens"][OUTSIDER], {"involvement": "active"})  # fmt: skip
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "objective"


def test_cursor_pages_walk_the_whole_list(client, world):
    member = world["people"][MEMBER]
    for n in range(7):
        NotificationFactory(recipient=member, params={"actor": "A", "community": f"C{n}"})
    raw = world["tokens"][MEMBER]
    seen, url = [], "/api/notifications?limit=3"
    while url:
        page = client.get(url, **auth(raw)).json()
        seen += [n["id"] for n in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 7
    assert seen == sorted(seen, reverse=True)
    bad = client.get("/api/notifications?cursor=not-a-cursor", **auth(raw))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"
    too_many = client.get("/api/notifications?limit=1000", **auth(raw))
    assert too_many.status_code == 422


def test_lists_answer_not_modified_when_unchanged(client, world):
    raw = world["tokens"][MEMBER]
    first = client.get("/api/communities", **auth(raw))
    etag = first["ETag"]
    again = client.get("/api/communities", HTTP_IF_NONE_MATCH=etag, **auth(raw))
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    CommunityFactory(title="Une nouvelle communauté")
    changed = client.get("/api/communities", HTTP_IF_NONE_MATCH=etag, **auth(raw))
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_catalogue_filters_are_the_pages(client, world):
    territorial = CommunityFactory(kind="territorial", visibility=Visibility.PUBLIC)
    items = client.get("/api/communities?kind=territorial").json()["items"]
    assert [c["slug"] for c in items] == [territorial.slug]
    bad = client.get("/api/communities?theme=no-such-theme")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "theme"


def test_rate_limit_per_token(client, world, settings):
    settings.API_RATE_TOKEN = "3/m"
    raw, other = world["tokens"][MEMBER], token_for(world["people"][MEMBER])
    answers = [client.get("/api/me", **auth(raw)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = client.get("/api/me", **auth(raw))
    assert limited.json()["type"].endswith("/api/problems/rate-limited")
    assert int(limited["Retry-After"]) > 0
    # Each token has its own budget.
    assert client.get("/api/me", **auth(other)).status_code == 200


def test_unknown_addresses_and_methods_are_problems(client):
    missing = client.get("/api/nothing/here")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    wrong = client.delete("/api/communities")
    assert wrong.status_code == 405 and wrong["Allow"] == "GET"
    kind = client.get(wrong.json()["type"])
    assert kind.json()["status"] == 405


def test_token_use_is_dated(client, world):
    raw = world["tokens"][MEMBER]
    client.get("/api/me", **auth(raw))
    assert ApiToken.objects.get(key_hash=ApiToken.hash_of(raw)).last_used_at is not None


def test_list_endpoints_use_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    lead = UserFactory()
    communities = [CommunityFactory(lead=lead, visibility=Visibility.PUBLIC) for _ in range(30)]
    big = communities[0]
    for _ in range(30):
        MeetingFactory(community=big)
        NotificationFactory(recipient=lead)
    raw = token_for(lead)
    for url, most in (
        ("/api/communities?limit=100", 12),
        (f"/api/communities/{big.slug}/meetings?limit=100", 12),
        ("/api/notifications?limit=100", 8),
        ("/api/library?limit=100", 8),
        (f"/api/communities/{big.slug}/threads?limit=100", 12),
    ):
        with django_assert_max_num_queries(most):
            assert client.get(url, **auth(raw)).status_code == 200
