"""The member home's registry: what needs me, what's new."""

import datetime

import pytest
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.home import registry
from cercles.surveys.models import Status, Survey

pytestmark = pytest.mark.django_db


def test_items_come_in_order_and_those_with_nothing_to_say_are_left_out(monkeypatch, rf):
    monkeypatch.setattr(registry, "NEEDS", {})
    monkeypatch.setattr(registry, "NEWS", {})
    registry.register_need("b", "b.html", context=lambda request: {"n": 2}, order=20)
    registry.register_need("a", "a.html", order=10)
    registry.register_need("quiet", "q.html", context=lambda request: None)
    registry.register_news("new", "new.html", context=lambda request: {"items": [1]})
    request = rf.get("/")
    assert [(i.key, i.context) for i in registry.needs_for(request)] == [("a", {}), ("b", {"n": 2})]
    assert [i.key for i in registry.news_for(request)] == ["new"]


def test_a_waiting_survey_is_among_what_needs_me(client):
    person = UserFactory()
    community = CommunityFactory(state=State.ACTIVE)
    add_member(community, Role.INNER, user=person)
    today = timezone.localdate()
    Survey.objects.create(
        community=community, title="Nos attentes", status=Status.OPEN,
        opens_on=today, closes_on=today + datetime.timedelta(days=7),
    )  # fmt: skip
    client.force_login(person)
    response = client.get("/")
    assert [item.key for item in response.context["needs"]] == ["surveys"]
    assert "Nos attentes" in response.content.decode()


def test_the_member_home_stays_within_12_queries(client, django_assert_max_num_queries):
    person = UserFactory()
    for _ in range(4):
        add_member(CommunityFactory(state=State.ACTIVE), Role.INNER, user=person)
    client.force_login(person)
    client.get("/")
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_what_needs_me_and_whats_new(client):
    from cercles.communities.models import Milestone, Task
    from cercles.discussions.tests.factories import start_thread
    from cercles.meetings.models import Meeting

    person = UserFactory()
    community = CommunityFactory(state=State.ACTIVE, title="Forages du Sahel")
    add_member(community, Role.INNER, user=person)
    soon = timezone.now() + datetime.timedelta(days=2)
    Meeting.objects.create(
        community=community, title="Atelier des comités", starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=1), time_zone="Africa/Bamako", place="Ségou",
    )  # fmt: skip
    milestone = Milestone.objects.create(
        community=community, title="Guide", due_date=timezone.localdate()
    )
    Task.objects.create(milestone=milestone, title="Relire le chapitre 2", owner=person)
    start_thread(community, community.lead, title="Tarifs de l'eau")
    client.force_login(person)
    response = client.get("/")
    html = response.content.decode()
    assert [item.key for item in response.context["needs"]] == ["meetings", "tasks"]
    assert "Atelier des comités" in html and "Relire le chapitre 2" in html
    assert html.index("Atelier des comités") < html.index("Tarifs de l")  # needs first
    news = response.context["news"][0].context["entries"]
    assert news[0]["title"] == "Tarifs de l'eau" and news[0]["unread"]


def test_a_newcomer_sees_recommendations_within_12_queries(client, django_assert_max_num_queries):
    from cercles.taxonomy.models import Theme

    theme = Theme.objects.first()
    person = UserFactory(organisation="Mairie de Ségou")
    person.themes.add(theme)
    add_member(CommunityFactory(state=State.ACTIVE), Role.INNER, user=person)
    for _ in range(3):
        CommunityFactory(state=State.OPEN).themes.add(theme)
    client.force_login(person)
    client.get("/")
    with django_assert_max_num_queries(12):
        response = client.get("/")
    assert len(response.context["recommendations"]) == 3
