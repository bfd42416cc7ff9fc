"""Matching on either engine: accents, stems in French and English, phrases, prefixes,
exclusions, OR, filters."""

import datetime

import pytest
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.tests.factories import CommunityFactory
from cercles.discussions.models import Post, Thread
from cercles.library.models import Item, ItemKind
from cercles.search.query import Filters, search
from cercles.search.text import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return CommunityFactory(title="Cercle test")


@pytest.fixture
def reader():
    return UserFactory()


def post(community, body, title="Fil"):
    thread = Thread.objects.create(community=community, title=title)
    return Post.objects.create(thread=thread, body=body)


def titles(user, text, **filters):
    return [hit.entry.title for hit in search(user, text, Filters(**filters)).hits]


def bodies(user, text):
    return {hit.entry.object_id for hit in search(user, text, Filters(kind="post")).hits}


def test_accents_do_not_matter(community, reader):
    found = post(community, "Le développement local des communes.")
    assert found.pk in bodies(reader, "developpement")
    assert found.pk in bodies(reader, "DÉVELOPPEMENT")
    other = post(community, "Un developpement sans accent.")
    assert other.pk in bodies(reader, "développement")


def test_french_and_english_stems(community, reader):
    note = Item.objects.create(
        community=community, kind=ItemKind.NOTE, title="Carnet", body="Nos formations en gestion."
    )
    english = post(community, "Meetings with the water committees.")
    assert note.pk in {h.entry.object_id for h in search(reader, "formation").hits}
    assert english.pk in bodies(reader, "meeting")
    assert english.pk in bodies(reader, "committee")


def test_phrase_prefix_exclusion_and_or(community, reader):
    a = post(community, "Comité de gestion de l'eau potable.")
    b = post(community, "Gestion des déchets et de l'eau.")
    c = post(community, "Formation des jeunes.")
    assert bodies(reader, '"eau potable"') == {a.pk}
    assert bodies(reader, "potab*") == {a.pk}
    assert bodies(reader, "gestion -déchets") == {a.pk}
    assert bodies(reader, "potable OR jeunes") == {a.pk, c.pk}
    assert b.pk in bodies(reader, "gestion")


def test_prefix_finds_words_whose_stem_is_shorter(community, reader):
    a = post(community, "Une formation sur les forages.")
    assert a.pk in bodies(reader, "formatio*")


def test_filters_by_community_date_and_theme(community, reader):
    other = CommunityFactory(title="Autre", with_framing=False)
    post(community, "Puits numéro un.")
    post(other, "Puits numéro deux.")
    assert len(bodies(reader, "puits")) == 2
    found = search(reader, "puits", Filters(kind="post", community=other)).hits
    assert [h.entry.community_id for h in found] == [other.pk]
    theme = community.themes.first()
    found = search(reader, "puits", Filters(kind="post", theme=theme)).hits
    assert [h.entry.community_id for h in found] == [community.pk]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert not search(reader, "puits", Filters(date_from=tomorrow)).hits


def test_parse_never_hands_syntax_to_the_engines():
    query = parse("""eau' & | ! :* " NEAR * ( ) {title_fr}: -""")
    for group in query.groups:
        for clause in group:
            for w in clause.words:
                assert w.isalnum() or "_" in w
