"""How the most recent matches are read (query.read_plan) changes the speed, never what a
person finds: each plan gives the same results and hides the same things. On PostgreSQL only
(SQLite has one way)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cercles.discussions.models import Post, Thread
from cercles.search import query
from cercles.search.query import Filters, search, suggest
from cercles.search.text import parse

from .world import KINDS, World, word

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the read plans are PostgreSQL's"),
]

PLANS = [query.INDEX, query.DATE_ORDER, query.RECENT_WINDOW]


@pytest.fixture
def world():
    return World()


@pytest.fixture
def plan(request, monkeypatch):
    monkeypatch.setattr(query, "read_plan", lambda _query: request.param)
    return request.param


def found(user, text, **filters):
    hits = search(user, text, Filters(**filters)).hits
    return {(hit.entry.kind, hit.entry.title) for hit in hits}


def post_at(community, body, days_ago):
    thread = Thread.objects.create(community=community, title="Fil")
    post = Post.objects.create(thread=thread, body=body)
    # The index dates a post by its creation: moved back to make it older than the others.
    from cercles.search.models import SearchEntry

    SearchEntry.objects.filter(kind="post", object_id=post.pk).update(
        date=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return post


@pytest.mark.parametrize("plan", PLANS, indirect=True)
def test_every_plan_finds_and_hides_the_same_things(world, plan):
    for kind in KINDS:
        text = word("priv", kind)
        assert found(world.member, text), (plan, kind)
        assert found(world.coordinator, text), (plan, kind)
        if kind != "community":
            assert not found(world.outsider, text), (plan, kind)
            assert not found(world.former, text), (plan, kind)
            assert not suggest(world.outsider, text), (plan, kind)
        assert not found(AnonymousUser(), text), (plan, kind)
    assert found(world.outsider, word("netw", "post"))
    assert found(AnonymousUser(), word("publ", "community"))


@pytest.mark.parametrize("plan", PLANS, indirect=True)
def test_every_plan_reads_phrases_exclusions_and_filters_alike(world, plan):
    a = post_at(world.private, "Le comité de gestion de la pompe solaire.", 1)
    post_at(world.private, "La pompe et le panneau solaire.", 2)
    post_at(world.network, "Une pompe solaire au village.", 3)
    member = {h.entry.object_id for h in search(world.member, '"pompe solaire"').hits}
    assert a.pk in member and len(member) == 2
    outsider = {h.entry.object_id for h in search(world.outsider, '"pompe solaire"').hits}
    assert a.pk not in outsider and len(outsider) == 1
    excluded = {h.entry.object_id for h in search(world.member, "pompe -comité").hits}
    assert a.pk not in excluded and len(excluded) == 2
    in_network = search(world.member, "pompe", Filters(community=world.network)).hits
    assert {h.entry.community_id for h in in_network} == {world.network.pk}


def test_the_plan_follows_postgresqls_estimate(monkeypatch):
    monkeypatch.setattr(query, "_index_size", lambda: 1_000_000)
    estimate = {"rows": 0}
    monkeypatch.setattr(query, "_estimated_rows", lambda sql, params=(): estimate["rows"])
    # A word in 1 % of a million rows: reading in date order would walk 50,000 rows.
    estimate["rows"] = 10_000
    assert query.read_plan(parse("piézomètre")) == query.INDEX
    # A word in most rows: the first 500 in date order come at once.
    estimate["rows"] = 600_000
    assert query.read_plan(parse("forage")) == query.DATE_ORDER
    # A phrase of common words: looked for in the recent window; of rarer words, everywhere.
    assert query.read_plan(parse('"comité gestion"')) == query.RECENT_WINDOW
    estimate["rows"] = 5_000
    assert query.read_plan(parse('"comité gestion"')) == query.INDEX
    # An excluded phrase is no phrase to look for.
    estimate["rows"] = 600_000
    assert query.read_plan(parse('forage -"comité gestion"')) == query.DATE_ORDER


def test_the_real_estimate_is_read_without_error(world):
    assert query.read_plan(parse(word("priv", "post"))) in PLANS
    assert query.read_plan(parse('"pompe solaire"')) in PLANS


def test_a_windowed_phrase_says_so_and_dates_reach_further(client, world, monkeypatch):
    monkeypatch.setattr(query, "read_plan", lambda _query: query.RECENT_WINDOW)
    monkeypatch.setattr(query, "PHRASE_WINDOW", 3)
    old = post_at(world.private, "La pompe solaire de l'an dernier.", 400)
    for days in range(1, 5):
        post_at(world.network, f"Compte rendu {days}.", days)
    assert old.pk not in {h.entry.object_id for h in search(world.member, '"pompe solaire"').hits}
    last_year = timezone.localdate() - datetime.timedelta(days=300)
    results = search(world.member, '"pompe solaire"', Filters(date_to=last_year))
    assert old.pk in {h.entry.object_id for h in results.hits}
    assert results.phrase_windowed
    client.force_login(world.member)
    response = client.get(reverse("search:search"), {"q": '"pompe solaire"'})
    assert "dans les 3 contenus les plus récents" in response.content.decode()
