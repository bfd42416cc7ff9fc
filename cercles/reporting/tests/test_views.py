import pytest
from django.urls import reverse

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.meetings.tests.factories import past
from cercles.reporting.models import Stage, StageOverride, ValueKind, ValueStory

from .factories import ValueStoryFactory

pytestmark = pytest.mark.django_db


def people(community):
    return {
        "anonymous": None,
        "outsider": UserFactory(),
        "outer": add_member(community, Role.OUTER).user,
        "core": add_member(community, Role.CORE).user,
        "lead": community.lead,
        "coordinator": CoordinatorFactory(),
        "former": add_member(community, Role.INNER, status="left").user,
    }


def statuses(client, url, everyone, method="get", data=None):
    answers = {}
    for name, person in everyone.items():
        client.logout()
        if person is not None:
            client.force_login(person)
        response = getattr(client, method)(url, data or {})
        answers[name] = response.status_code
    return answers


STORY = {
    "title": "Un registre des pannes",
    "happened": "Nous tenons un registre.",
    "value_kind": ValueKind.APPLIED,
    "evidence": "",
}


# --- permission matrices ----------------------------------------------------------------------


def test_who_reads_the_stories_of_a_private_community(client):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    url = reverse("reporting:stories", args=[community.slug])
    assert statuses(client, url, people(community)) == {
        "anonymous": 302, "outsider": 404, "outer": 200, "core": 200, "lead": 200,
        "coordinator": 200, "former": 404,
    }  # fmt: skip


def test_who_tells_a_story(client):
    community = CommunityFactory()
    url = reverse("reporting:stories", args=[community.slug])
    answers = statuses(client, url, people(community), "post", STORY)
    assert answers == {
        "anonymous": 302, "outsider": 403, "outer": 302, "core": 302, "lead": 302,
        "coordinator": 403, "former": 403,
    }  # fmt: skip
    assert ValueStory.objects.count() == 3


def test_who_features_a_story(client):
    community = CommunityFactory()
    story = ValueStoryFactory(community=community)
    url = reverse("reporting:feature", args=[community.slug, story.pk])
    assert statuses(client, url, people(community), "post") == {
        "anonymous": 302, "outsider": 403, "outer": 403, "core": 403, "lead": 302,
        "coordinator": 403, "former": 403,
    }  # fmt: skip
    story.refresh_from_db()
    assert story.is_featured


def test_who_deletes_a_story(client):
    community = CommunityFactory()
    everyone = people(community)
    answers = {}
    for name, person in everyone.items():
        story = ValueStoryFactory(community=community, author=everyone["outer"])
        url = reverse("reporting:delete", args=[community.slug, story.pk])
        answers[name] = statuses(client, url, {name: person}, "post")[name]
    assert answers == {
        "anonymous": 302, "outsider": 403, "outer": 302, "core": 403, "lead": 302,
        "coordinator": 302, "former": 403,
    }  # fmt: skip


def test_who_sets_the_stage(client):
    community = CommunityFactory()
    url = reverse("reporting:stage", args=[community.slug])
    assert statuses(client, url, people(community)) == {
        "anonymous": 302, "outsider": 403, "outer": 403, "core": 403, "lead": 403,
        "coordinator": 200, "former": 403,
    }  # fmt: skip


def test_who_sees_the_coordinators_pages(client):
    community = CommunityFactory()
    for name in ("story_counts", "stages"):
        url = reverse(f"reporting:{name}")
        assert statuses(client, url, people(community)) == {
            "anonymous": 302, "outsider": 404, "outer": 404, "core": 404, "lead": 404,
            "coordinator": 200, "former": 404,
        }, name  # fmt: skip


# --- bad input --------------------------------------------------------------------------------


def test_a_story_without_its_parts_keeps_the_input(client):
    community = CommunityFactory()
    client.force_login(community.lead)
    url = reverse("reporting:stories", args=[community.slug])
    response = client.post(url, {"title": "Mon histoire", "happened": "", "value_kind": "x"})
    assert response.status_code == 200
    assert 'value="Mon histoire"' in response.text
    assert response.context["form"].errors.keys() == {"happened", "value_kind"}
    assert not ValueStory.objects.exists()


def test_markup_in_a_story_is_inert(client):
    community = CommunityFactory()
    ValueStoryFactory(
        community=community,
        title="<script>alert(1)</script>",
        happened="<img src=x onerror=alert(1)> [lien](javascript:alert(1))",
    )
    client.force_login(community.lead)
    response = client.get(reverse("reporting:stories", args=[community.slug]))
    assert "<script>alert(1)" not in response.text
    assert "onerror" not in response.text.replace("&lt;img src=x onerror", "")
    assert 'href="javascript' not in response.text


def test_override_without_a_reason_changes_nothing(client):
    community = CommunityFactory()
    client.force_login(CoordinatorFactory())
    url = reverse("reporting:stage", args=[community.slug])
    response = client.post(url, {"stage": Stage.MATURING, "reason": "  "})
    assert response.status_code == 200
    assert "Dites pourquoi les faits se trompent d’étape." in response.text
    assert not StageOverride.objects.exists()
    response = client.post(url, {"stage": "adolescence", "reason": "Parce que"})
    assert response.status_code == 200
    assert "Parce que" in response.text
    assert not StageOverride.objects.exists()


def test_override_then_clear_from_the_page(client):
    community = CommunityFactory()
    client.force_login(CoordinatorFactory())
    url = reverse("reporting:stage", args=[community.slug])
    response = client.post(url, {"stage": Stage.MATURING, "reason": "Vu sur place"})
    assert response.status_code == 302
    home = client.get(community.get_absolute_url())
    assert "Vu sur place" in home.text
    assert "Fixée par la coordination" in home.text
    client.post(url, {"clear": "1"})
    assert not StageOverride.objects.exists()


def test_filters_of_the_stories_ignore_unknown_values(client):
    community = CommunityFactory()
    ValueStoryFactory(community=community, value_kind=ValueKind.REALISED)
    client.force_login(community.lead)
    url = reverse("reporting:stories", args=[community.slug])
    assert len(client.get(url, {"value": "nope", "page": "x"}).context["stories"]) == 1
    assert len(client.get(url, {"value": "immediate"}).context["stories"]) == 0
    assert len(client.get(url, {"featured": "1"}).context["stories"]) == 0


# --- pages and their queries ------------------------------------------------------------------


def test_the_home_shows_the_stage_with_its_reason_and_featured_stories(client):
    community = CommunityFactory()
    past(days=10, community=community)
    story = ValueStoryFactory(community=community, title="Quarante jeunes formés")
    ValueStory.objects.filter(pk=story.pk).update(featured_at=story.created_at)
    ValueStoryFactory(community=community, title="Pas mise en avant")
    client.force_login(add_member(community, Role.OUTER).user)
    response = client.get(community.get_absolute_url())
    assert "Constitution" in response.text
    assert "Lancement tenu le" in response.text
    assert "Quarante jeunes formés" in response.text
    assert "Pas mise en avant" not in response.text


def test_stories_list_queries_are_bounded(client, django_assert_max_num_queries):
    community = CommunityFactory()
    for index in range(12):
        ValueStoryFactory(
            community=community,
            author=add_member(community).user,
            value_kind=ValueKind.values[index % 5],
        )
    client.force_login(community.lead)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reporting:stories", args=[community.slug]))
    assert len(response.context["stories"]) == 10


def test_coordinator_pages_queries_are_bounded(client, django_assert_max_num_queries):
    for _ in range(6):
        community = CommunityFactory()
        past(days=3, community=community)
        ValueStoryFactory(community=community)
    CommunityFactory(state=State.DRAFT)
    client.force_login(CoordinatorFactory())
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reporting:story_counts"))
    assert len(response.context["table"]) == 6
    assert "<svg" in response.text
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reporting:stages"), {"stage": "coalescing"})
    assert len(response.context["rows"]) == 6


def test_featured_stories_appear_on_the_celebration(client):
    from cercles.seasons.celebration import celebration_of
    from cercles.seasons.tests.factories import SeasonFactory

    season = SeasonFactory()
    story = ValueStoryFactory(community=season.community, title="Le registre des pannes")
    ValueStory.objects.filter(pk=story.pk).update(featured_at=story.created_at)
    parts = celebration_of(season)["parts"]
    assert parts[0][0] == "reporting/includes/celebration_stories.html"
    assert [s.title for s in parts[0][1]["stories"]] == ["Le registre des pannes"]


def test_the_coordinators_dashboard_shows_the_stage(client):
    from cercles.coordination.figures import refresh_figures

    community = CommunityFactory()
    past(days=3, community=community)
    refresh_figures()
    client.force_login(CoordinatorFactory())
    response = client.get(reverse("follow_up:dashboard"))
    assert "Étape de vie" in response.text
    assert "Constitution" in response.text
