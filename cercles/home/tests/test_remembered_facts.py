"""The facts a community's home remembers in the cache (communities/freshness.py, issue 20):
forgotten on every change that affects them (one test per service), never shown to a person
who may not see them, and the page then costs at most 12 queries."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities import planning
from cercles.communities.lifecycle import State
from cercles.communities.models import KeyPerson, KeyPersonStatus, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.coordination import services as coordination
from cercles.mentoring import services as mentoring
from cercles.mentoring.models import Scope, Subject, Urgency
from cercles.reporting import services as reporting
from cercles.reporting.models import Stage, ValueKind
from cercles.seasons import services as seasons

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    community = CommunityFactory(state=State.ACTIVE, title="Forages partagés")
    add_member(community, role=Role.INNER, user=UserFactory(first_name="Awa"))
    return community


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


def member_of(community):
    return community.memberships.exclude(role=Role.LEAD).first().user


def home_as(client, person, community):
    client.force_login(person)
    response = client.get(community.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def seen_after(client, person, community, change):
    """The home read (and remembered) before the change, then read again after it."""
    home_as(client, person, community)
    home_as(client, person, community)
    change()
    return home_as(client, person, community)


def test_a_featured_story_appears(client, community, coordinator):
    def tell():
        story = reporting.tell_story(
            community.lead,
            community,
            title="Le comité de Ségou répare seul",
            happened="Formés en mars, ils ont réparé la pompe.",
            value_kind=ValueKind.APPLIED,
        )
        reporting.feature_story(community.lead, story)

    assert "Le comité de Ségou répare seul" in seen_after(client, community.lead, community, tell)


def test_a_coordinators_stage_appears(client, community, coordinator):
    def override():
        reporting.override_stage(
            coordinator, community, stage=Stage.STEWARDSHIP, reason="Elle forme les autres CdP."
        )

    assert "Elle forme les autres CdP." in seen_after(client, community.lead, community, override)


def test_a_new_mentor_appears(client, community, coordinator):
    mentor = UserFactory(display_name="Mariam Coulibaly")

    def assign():
        need = mentoring.add_need(
            community.lead,
            community,
            subject=Subject.FACILITATION,
            scope=Scope.INDIVIDUAL,
            urgency=Urgency.NORMAL,
            description="Nos réunions en ligne s'essoufflent.",
        )
        mentoring.assign_mentor(coordinator, need, mentor=mentor)

    assert "Mariam Coulibaly" in seen_after(client, community.lead, community, assign)


def test_a_progress_update_appears(client, community):
    def post():
        coordination.post_update(community.lead, community, done="Trois forages réhabilités.")

    assert "Trois forages réhabilités." in seen_after(client, community.lead, community, post)


def test_a_milestone_and_its_completion_appear(client, community):
    due = timezone.localdate() + datetime.timedelta(days=30)
    html = seen_after(
        client,
        member_of(community),
        community,
        lambda: planning.add_milestone(
            community.lead, community, title="Guide des forages", due_date=due
        ),
    )
    assert "Guide des forages" in html
    milestone = community.milestones.get(title="Guide des forages")
    before = home_as(client, member_of(community), community)
    planning.complete_milestone(community.lead, milestone)
    assert home_as(client, member_of(community), community) != before


def test_a_season_appears_and_an_objective_reached_moves_its_progress(client, community):
    today = timezone.localdate()

    def open_season():
        seasons.create_season(
            community.lead,
            community,
            name="Saison des pluies",
            starts_on=today - datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=80),
            objectives=[{"title": "Former deux comités"}, {"title": "Publier le guide"}],
        )

    assert "Saison des pluies" in seen_after(client, community.lead, community, open_season)
    objective = community.seasons.get().objectives.order_by("position").first()
    before = home_as(client, community.lead, community)
    seasons.set_objective_status(community.lead, objective, "reached")
    assert home_as(client, community.lead, community) != before  # 0 % → 50 %


def test_an_overdue_task_is_counted_for_the_lead_only(client, community):
    """What depends on the person's rights (the lead's overdue task count) is remembered per
    kind of reader: the member reading after the lead never sees the lead's count."""
    milestone = planning.add_milestone(
        community.lead,
        community,
        title="Guide",
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    planning.add_task(
        community.lead,
        milestone,
        title="Relire le chapitre 2",
        due_date=timezone.localdate() + datetime.timedelta(days=2),
    )
    before = home_as(client, community.lead, community)
    # Three days later the task is overdue: the date is part of what is remembered.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        leads = home_as(client, community.lead, community)
        members = home_as(client, member_of(community), community)
    assert leads != before
    for html in (leads, members):
        assert "Guide" in html
    assert "overdue" in leads or "en retard" in leads
    assert "en retard" not in members and "overdue" not in members


def test_key_people_to_contact_are_counted_for_the_leads_only(client, community):
    home_as(client, community.lead, community)
    KeyPerson.objects.create(
        community=community, name="Le maire de Ségou", status=KeyPersonStatus.TO_CONTACT
    )
    assert "1 à contacter" in home_as(client, community.lead, community)
    assert "à contacter" not in home_as(client, member_of(community), community)


def test_an_outsider_reading_after_a_member_sees_no_member_fact(client, community):
    """A public community's facts remembered for a member are not shown to a visitor."""
    community.visibility = "public"
    community.save()
    coordination.post_update(community.lead, community, done="Compte rendu interne.")
    assert "Compte rendu interne." in home_as(client, member_of(community), community)
    client.logout()
    visitor = client.get(community.get_absolute_url()).content.decode()
    assert "Compte rendu interne." not in visitor


HOME_WARM_BOUND = 12  # session and user, the community, the panels that depend on the reader
HOME_COLD_BOUND = 25  # the first reading after a change (the lead: the pending requests too)


def test_the_home_costs_at_most_12_queries_once_read(
    client, community, django_assert_max_num_queries
):
    for person in (community.lead, member_of(community)):
        client.force_login(person)
        client.get("/")
        with django_assert_max_num_queries(HOME_COLD_BOUND):
            assert client.get(community.get_absolute_url()).status_code == 200
        with django_assert_max_num_queries(HOME_WARM_BOUND):
            assert client.get(community.get_absolute_url()).status_code == 200


def test_the_members_pages_count_follows_a_join_and_the_support_counts_a_record(
    client, community, monkeypatch
):
    from cercles.communities import recruiting
    from cercles.communities import services as communities
    from cercles.communities.models import Involvement
    from cercles.communities.views import membership as members_view

    monkeypatch.setattr(members_view, "MEMBERS_PER_PAGE", 2)
    community.requires_approval = False
    community.save()
    url = f"{community.get_absolute_url()}members/"

    def members_page():
        client.force_login(community.lead)
        return client.get(url).content.decode()

    members_page()
    assert "Page 1 sur 2" not in members_page()  # the lead and Awa: one page
    newcomer = UserFactory()
    communities.join_community(
        newcomer, community, objective="Apprendre", involvement=Involvement.OCCASIONAL
    )
    assert "Page 1 sur 2" in members_page()
    before = members_page()
    assert "0 membres sur 3 ont le soutien" in before
    recruiting.record_support(newcomer, community, support_from="Mairie de Ségou")
    assert "1 membres sur 3 ont le soutien" in members_page()


def test_a_request_to_join_appears_on_the_leads_home(client, community):
    from cercles.communities import services as communities
    from cercles.communities.models import Involvement

    community.requires_approval = True
    community.save()

    def ask():
        communities.join_community(
            UserFactory(), community, objective="Apprendre", involvement=Involvement.OBSERVER
        )

    assert "demande d’adhésion attend" in seen_after(client, community.lead, community, ask)
