import pytest
from django.urls import reverse

from .world import World, word

pytestmark = pytest.mark.django_db

BAD_INPUT = [
    "",
    "   ",
    "x" * 1000,
    "eau " * 250,
    "le la les de des et",
    "the and of",
    "'",
    "O'Reilly",
    "&",
    "|",
    "!",
    ":*",
    "*",
    "eau:*",
    '"',
    '"forage',
    'forage" "',
    '""',
    "NEAR",
    "NEAR(eau forage)",
    "eau AND OR NOT forage",
    "OR",
    "-",
    "-eau",
    "--eau",
    "title_fr: eau",
    "{title_fr}: eau",
    "eau) OR (forage",
    "'; DROP TABLE search_searchentry; --",
    "\\",
    "%",
    "_",
    "\x00",
    "🚰💧",
    "الماء والصرف الصحي",
    "de\u0301veloppement",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫ",
    "\u202eevil",
]


@pytest.fixture
def world():
    return World()


@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_answers_clearly(client, world, text):
    client.force_login(world.member)
    response = client.get(reverse("search:search"), {"q": text, "page": "99999"})
    assert response.status_code == 200
    response = client.get(reverse("search:suggest"), {"q": text})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": "eau", "page": "99999"},
        {"q": "eau", "page": "-3"},
        {"q": "eau", "page": "abc"},
        {"q": "eau", "kind": "nonsense"},
        {"q": "eau", "community": "999999"},
        {"q": "eau", "community": "x"},
        {"q": "eau", "theme": "x"},
        {"q": "eau", "territory": "1;DROP"},
        {"q": "eau", "date_from": "2026-13-45"},
        {"q": "eau", "date_from": "2026-05-01", "date_to": "2026-01-01"},
    ],
)
def test_bad_filters_are_said_beside_their_field(client, world, params):
    client.force_login(world.member)
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200


def test_only_common_words_say_so(client, world):
    client.force_login(world.member)
    response = client.get(reverse("search:search"), {"q": "le la les"})
    assert response.context["results"].query.only_common_words
    assert "trop courants" in response.content.decode()


def test_a_long_query_is_cut_and_said(client, world):
    client.force_login(world.member)
    response = client.get(reverse("search:search"), {"q": "eau " * 250})
    assert response.context["results"].query.truncated
    assert "seuls ses premiers mots" in response.content.decode()


def test_member_finds_and_sees_highlight(client, world, django_assert_max_num_queries):
    client.force_login(world.member)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("search:search"), {"q": word("priv", "post")})
    content = response.content.decode()
    assert f"<mark>{word('priv', 'post')}</mark>" in content
    assert 'id="group-post"' in content


def test_excerpts_are_escaped(client, world):
    from cercles.discussions.models import Post, Thread

    thread = Thread.objects.filter(community=world.network).first()
    Post.objects.create(thread=thread, author=world.lead, body="<script>alert(1)</script> escapezq")
    client.force_login(world.member)
    content = client.get(reverse("search:search"), {"q": "escapezq"}).content.decode()
    assert "<script>alert(1)</script>" not in content


def test_visitors_search_public_things_only(client, world):
    response = client.get(reverse("search:search"), {"q": word("publ", "community")})
    assert response.status_code == 200
    assert word("publ", "community") in response.content.decode()
    response = client.get(reverse("search:search"), {"q": word("priv", "post")})
    assert response.context["results"].total == 0
    assert not response.context["results"].hits


def test_suggestions_list_five_titles_at_most(client, world):
    from cercles.discussions.models import Thread

    for n in range(8):
        Thread.objects.create(community=world.network, author=world.lead, title=f"Forage {n}")
    client.force_login(world.member)
    response = client.get(reverse("search:suggest"), {"q": "fora"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().count("<li><a") == 5


def test_kind_filter_and_pagination(client, world):
    from cercles.discussions.models import Thread

    for n in range(25):
        Thread.objects.create(community=world.network, author=world.lead, title=f"Puits {n}")
    client.force_login(world.member)
    response = client.get(reverse("search:search"), {"q": "puits", "kind": "thread", "page": 2})
    assert response.context["results"].page_number == 2
    assert len(response.context["results"].hits) == 5
    response = client.get(reverse("search:search"), {"q": "puits", "page": 99999})
    assert response.context["results"].page_number == 2
