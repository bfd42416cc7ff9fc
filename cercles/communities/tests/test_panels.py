"""The registry of the community home's panels and the lead's shortcuts."""

import datetime

import pytest
from django.template import Context, Engine
from django.test import RequestFactory
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities import panels
from cercles.communities.lifecycle import State
from cercles.communities.models import Role, Visibility
from cercles.meetings.models import Meeting

from .factories import CommunityFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, the real one put back afterwards."""
    monkeypatch.setattr(panels, "PANELS", {})
    monkeypatch.setattr(panels, "SHORTCUTS", {})
    return panels


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_panels_come_by_zone_in_order_and_only_with_the_permission(registry):
    community = CommunityFactory(state=State.ACTIVE, visibility=Visibility.PRIVATE)
    member = add_member(community, Role.INNER).user
    outsider = UserFactory()
    seen = []

    def context(request, community, can):
        seen.append(can)
        return {"word": "bonjour"}

    registry.register_panel("b", "b.html", context=context, order=20)
    registry.register_panel("a", "a.html", order=10)
    registry.register_panel("lead", "lead.html", zone="lead", permission="communities.edit_framing")
    registry.register_panel("silent", "silent.html", context=lambda r, c, can: None, zone="side")
    zones = registry.panels_for(request_of(member), community, {"view_content": True})
    assert [item.key for item in zones["main"]] == ["a", "b"]
    assert zones["main"][1].context == {"word": "bonjour"}
    assert seen == [{"view_content": True}]
    assert zones["lead"] == [] and zones["side"] == []  # no permission; nothing to say
    assert registry.panels_for(request_of(community.lead), community, {})["lead"][0].key == "lead"
    # Without the permission the context function is not even called.
    assert registry.panels_for(request_of(outsider), community, {})["main"] == []
    assert len(seen) == 2  # once for the member, once for the lead


def test_an_unknown_zone_is_refused(registry):
    with pytest.raises(ValueError):
        registry.register_panel("x", "x.html", zone="footer")


def test_a_panel_renders_with_the_page_context_and_its_own():
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", {"p.html": "{{ who }}·{{ word }}"})],
        libraries={"cercles": "cercles.core.templatetags.cercles"},
    )
    page = engine.from_string("{% load cercles %}{% render_panel item %}|{{ word|default:'-' }}")
    item = panels.PanelItem("p", "p.html", {"word": "salut"})
    assert page.render(Context({"item": item, "who": "Awa"})) == "Awa·salut|-"


def test_the_lead_has_shortcuts_at_the_top_and_a_member_those_they_may_use(client):
    community = CommunityFactory(state=State.ACTIVE)
    member = add_member(community, Role.INNER).user
    client.force_login(community.lead)
    html = client.get(community.get_absolute_url()).content.decode()
    shortcuts = html[
        html.index('class="shortcuts"') : html.index("</nav>", html.index('class="shortcuts"'))
    ]
    for label in (
        "Programmer une rencontre",
        "Lancer une discussion",
        "Publier un point d’étape",
        "Inviter",
    ):
        assert label in shortcuts, label
    assert shortcuts.index("Programmer") < shortcuts.index("Inviter")
    client.force_login(member)
    html = client.get(community.get_absolute_url()).content.decode()
    assert "shortcut--discussion" in html
    assert "shortcut--meeting" not in html and "shortcut--invite" not in html
    client.logout()
    assert 'class="shortcuts"' not in client.get(community.get_absolute_url()).content.decode()


def test_seasons_and_surveys_panels_come_from_the_registry():
    assert panels.PANELS["seasons"].template == "seasons/includes/community_panel_body.html"
    assert panels.PANELS["surveys"].permission == "surveys.view_surveys"


def test_the_home_of_a_busy_community_stays_within_bounded_queries(
    client, django_assert_max_num_queries
):
    community = CommunityFactory(state=State.ACTIVE)
    for _ in range(8):
        add_member(community, Role.INNER)
    soon = timezone.now() + datetime.timedelta(days=2)
    Meeting.objects.create(
        community=community, title="Atelier", starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2), time_zone="Africa/Bamako", place="Bamako",
    )  # fmt: skip
    for person in (community.lead, add_member(community, Role.CORE).user):
        client.force_login(person)
        client.get(community.get_absolute_url())
        # The facts beside the discussions are remembered once read (communities/freshness.py).
        with django_assert_max_num_queries(12):
            assert client.get(community.get_absolute_url()).status_code == 200
