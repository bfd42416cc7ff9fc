import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities import services as community_services
from cercles.communities.lifecycle import State
from cercles.communities.models import FinalRecord, HealthDecision, HealthReview, Milestone, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.discussions.tests.factories import start_thread
from cercles.library.models import Item, Production, ProductionStatus
from cercles.library.tests.factories import make_note, make_production
from cercles.meetings.models import Attendance
from cercles.meetings.tests.factories import MeetingFactory
from cercles.notifications.models import Notification
from cercles.seasons import reminders, services
from cercles.seasons.celebration import celebration_of
from cercles.seasons.health import facts_for
from cercles.seasons.models import CelebrationPdf, ObjectiveStatus, ReminderSent, Season
from cercles.surveys.models import Need, NeedStatus
from cercles.surveys.tests.factories import SurveyFactory

from .factories import ObjectiveFactory, SeasonFactory, all_ratings, ended_season

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def fresh(community):
    community.refresh_from_db()
    for key in ("_membership_cache", "_final_record", "_latest_health_review"):
        community.__dict__.pop(key, None)
    return community


def days(n):
    return TODAY() + datetime.timedelta(days=n)


# --- seasons and objectives -------------------------------------------------------------------


def test_lead_plans_a_season_with_objectives():
    community = CommunityFactory()
    season = services.create_season(
        community.lead, community, name="Saison 1", starts_on=days(0), ends_on=days(180),
        objectives=[{"title": "Publier le guide"}, {"title": "Tenir trois ateliers"}],
    )  # fmt: skip
    assert season.number == 1
    assert [o.title for o in season.objectives.all()] == [
        "Publier le guide",
        "Tenir trois ateliers",
    ]
    second = services.create_season(
        community.lead, community, name="Saison 2", starts_on=days(181), ends_on=days(365)
    )
    assert second.number == 2


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (30, 200, "starts_on"),  # overlaps the first season
        (-10, 5, "starts_on"),  # overlaps its start
        (220, 210, "ends_on"),  # ends before it starts
        (220, 220, "ends_on"),  # ends the day it starts
    ],
)
def test_a_season_that_overlaps_another_or_ends_before_it_starts_is_refused(start, end, field):
    community = CommunityFactory()
    services.create_season(
        community.lead, community, name="Saison 1", starts_on=days(0), ends_on=days(180)
    )
    with pytest.raises(ValidationError) as error:
        services.create_season(
            community.lead, community, name="Saison 2", starts_on=days(start), ends_on=days(end)
        )
    assert field in error.value.message_dict
    assert community.seasons.count() == 1


def test_moving_a_season_onto_another_is_refused():
    community = CommunityFactory()
    first = SeasonFactory(community=community, starts_on=days(-30), ends_on=days(30))
    second = SeasonFactory(community=community, starts_on=days(31), ends_on=days(90))
    with pytest.raises(ValidationError):
        services.update_season(
            community.lead, second, name="Saison 2", starts_on=days(20), ends_on=days(90)
        )
    second.refresh_from_db()
    assert second.starts_on == days(31)
    services.update_season(
        community.lead, first, name="Première saison", starts_on=days(-30), ends_on=days(30)
    )


def test_only_the_lead_plans_seasons_and_the_core_group_moves_objectives():
    community = CommunityFactory()
    core = add_member(community, Role.CORE).user
    inner = add_member(community, Role.INNER).user
    season = SeasonFactory(community=community)
    objective = ObjectiveFactory(season=season)
    for person in (core, inner, CoordinatorFactory()):
        with pytest.raises(PermissionDenied):
            services.create_season(person, community, name="X", starts_on=days(200),
                                   ends_on=days(300))  # fmt: skip
    services.set_objective_status(core, objective, ObjectiveStatus.UNDER_WAY)
    with pytest.raises(PermissionDenied):
        services.set_objective_status(inner, objective, ObjectiveStatus.REACHED)
    objective.refresh_from_db()
    assert objective.status == ObjectiveStatus.UNDER_WAY


def test_an_objective_linked_to_another_communitys_milestone_or_production_is_refused():
    community, other = CommunityFactory(), CommunityFactory()
    season = SeasonFactory(community=community)
    foreign_milestone = Milestone.objects.filter(community=other).first()
    foreign_production = make_production(other.lead, other)
    with pytest.raises(ValidationError) as error:
        services.add_objective(
            community.lead, season, title="Voler", milestone=foreign_milestone,
            production=foreign_production,
        )  # fmt: skip
    assert set(error.value.message_dict) == {"milestone", "production"}
    assert not season.objectives.exists()
    own = make_production(community.lead, community)
    objective = services.add_objective(
        community.lead, season, title="Livrer", production=own,
        milestone=community.milestones.first(),
    )  # fmt: skip
    assert objective.production == own


def test_a_review_naming_another_communitys_objective_is_refused():
    community, other = CommunityFactory(), CommunityFactory()
    season = ended_season(community)
    foreign = ObjectiveFactory(season=SeasonFactory(community=other))
    with pytest.raises(ValidationError):
        services.save_season_review(
            community.lead, season, achievements="Bravo", statuses={foreign.pk: "reached"}
        )
    foreign.refresh_from_db()
    assert foreign.status == ObjectiveStatus.PLANNED


# --- season review and celebration -------------------------------------------------------------


def test_publishing_the_review_celebrates_the_season_and_tells_the_members(
    django_capture_on_commit_callbacks,
):
    community = CommunityFactory()
    member = add_member(community, Role.INNER).user
    season = ended_season(community)
    reached = ObjectiveFactory(season=season, title="Publier le guide", status="under_way")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_season_review(
            community.lead, season, achievements="Le guide est sorti !", learnt="Écouter.",
            keep_doing="Les visites.", statuses={reached.pk: "reached"}, publish=True,
        )  # fmt: skip
    season.refresh_from_db()
    reached.refresh_from_db()
    assert season.is_published and season.review_published_by == community.lead
    assert reached.status == ObjectiveStatus.REACHED
    note = Notification.objects.get(recipient=member, kind="seasons.celebration")
    assert note.url.endswith(f"/seasons/{season.pk}/celebration/")
    # The printable version is made by the job, in each language.
    pdfs = CelebrationPdf.objects.filter(season=season)
    assert sorted(pdfs.values_list("language", flat=True)) == ["en", "fr"]
    assert pdfs.first().file.read(5) == b"%PDF-"


def test_a_review_is_published_with_what_we_are_proud_of_and_only_once():
    community = CommunityFactory()
    season = ended_season(community)
    with pytest.raises(ValidationError) as error:
        services.save_season_review(community.lead, season, achievements=" ", publish=True)
    assert "achievements" in error.value.message_dict
    services.save_season_review(community.lead, season, achievements="Fiers", publish=True)
    with pytest.raises(PermissionDenied):
        services.save_season_review(community.lead, season, achievements="Encore", publish=True)


def test_a_season_not_started_cannot_be_reviewed_and_members_cannot_review():
    community = CommunityFactory()
    future = SeasonFactory(community=community, starts_on=days(10), ends_on=days(100))
    with pytest.raises(PermissionDenied):
        services.save_season_review(community.lead, future, achievements="Trop tôt")
    season = ended_season(community)
    with pytest.raises(PermissionDenied):
        services.save_season_review(add_member(community, Role.CORE).user, season, achievements="x")


def test_the_celebration_gathers_what_the_season_achieved_and_who_did_it():
    community = CommunityFactory()
    awa = add_member(community, Role.INNER).user
    moussa = add_member(community, Role.CORE).user
    season = SeasonFactory(community=community)
    ObjectiveFactory(season=season, title="Publier le guide", status="reached")
    ObjectiveFactory(season=season, title="Un atelier", status="dropped")
    thread = start_thread(community, awa)
    from cercles.discussions import services as discussions

    discussions.reply(moussa, thread, body="Chez nous aussi.")
    make_note(awa, community, title="Carnet de la visite")
    production = make_production(moussa, community, status=ProductionStatus.DELIVERED)
    meeting = MeetingFactory(
        community=community, starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    Attendance.objects.create(meeting=meeting, user=awa, present=True)
    Attendance.objects.create(meeting=meeting, user=moussa, present=False)
    # Before the season: not counted.
    MeetingFactory(community=community, starts_at=timezone.now() - datetime.timedelta(days=100))

    data = celebration_of(season)
    assert [o.title for o in data["reached"]] == ["Publier le guide"]
    assert data["productions"] == [production]
    assert data["meetings"] == [meeting]
    assert [n.title for n in data["notes"]] == ["Carnet de la visite"]
    people = {c.person: c for c in data["contributors"]}
    assert (people[awa].posts, people[awa].notes, people[awa].meetings) == (1, 1, 1)
    assert (people[moussa].posts, people[moussa].productions, people[moussa].meetings) == (1, 1, 0)


def test_the_next_season_is_prepared_from_the_last_review_and_the_surveys_needs():
    community = CommunityFactory(season_months=6)
    last = ended_season(community, review_published_at=timezone.now())
    ObjectiveFactory(season=last, title="Former les trésoriers", status="under_way")
    ObjectiveFactory(season=last, title="Publier le guide", status="reached")
    survey = SurveyFactory(community=community)
    Need.objects.create(community=community, survey=survey, role="needs",
                        text="Un atelier sur les réparations")  # fmt: skip
    Need.objects.create(community=community, survey=survey, role="needs", text="Écarté",
                        status=NeedStatus.SET_ASIDE)  # fmt: skip
    proposal = services.next_season_proposal(community)
    assert proposal["starts_on"] == TODAY()
    assert proposal["ends_on"] == services.add_months(TODAY(), 6) - datetime.timedelta(days=1)
    titles = [title for _kind, title, _why in proposal["suggestions"]]
    assert titles == ["Former les trésoriers", "Un atelier sur les réparations"]
    assert proposal["name"].endswith(f" {last.number + 1}")


# --- health reviews ---------------------------------------------------------------------------


def test_a_health_review_by_a_plain_member_is_refused():
    community = CommunityFactory()
    inner = add_member(community, Role.INNER).user
    for person in (inner, UserFactory(), CoordinatorFactory()):
        with pytest.raises(PermissionDenied):
            services.record_health_review(person, community, ratings=all_ratings(),
                                          decision="continue")  # fmt: skip
    assert not HealthReview.objects.exists()


def test_every_criterion_needs_a_rating_and_a_decision_other_than_continue_a_reason():
    community = CommunityFactory()
    ratings = all_ratings()
    del ratings["support"]
    ratings["roles"]["rating"] = "excellent"
    with pytest.raises(ValidationError) as error:
        services.record_health_review(community.lead, community, ratings=ratings, decision="evolve")
    assert {"support", "roles", "comment"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.record_health_review(community.lead, community, ratings=all_ratings(),
                                      decision="adjourn")  # fmt: skip
    assert "decision" in error.value.message_dict
    assert not HealthReview.objects.exists()


def test_a_health_review_keeps_what_the_platform_knew():
    community = CommunityFactory()
    core = add_member(community, Role.CORE).user
    review = services.record_health_review(
        core, community, ratings=all_ratings("watch"), decision="continue"
    )
    assert set(review.facts) >= {"meetings", "value", "roles"}
    assert community.state == State.ACTIVE


def test_evolve_reopens_the_framing_and_sends_it_back_to_review(django_capture_on_commit_callbacks):
    coordinator = CoordinatorFactory()
    community = CommunityFactory()
    member = add_member(community, Role.INNER).user
    with django_capture_on_commit_callbacks(execute=True):
        services.record_health_review(
            community.lead, community, ratings=all_ratings("problem"), decision="evolve",
            comment="Nos objectifs ne parlent plus aux membres.",
        )  # fmt: skip
    community = fresh(community)
    assert community.state == State.REFRAMING
    assert Notification.objects.filter(
        recipient=coordinator, kind="communities.health_decision"
    ).exists()
    # The members still see their community, its lead revises and submits the framing.
    assert member.has_perm("communities.view_content", community)
    assert community.lead.has_perm("communities.edit_framing", community)
    community_services.submit_framing(community.lead, community)
    assert fresh(community).state == State.IN_REVIEW
    assert community.framing_versions.count() == 1


def test_dissolving_is_decided_by_a_health_review_or_by_the_coordinators():
    community = CommunityFactory()
    with pytest.raises(PermissionDenied):
        services.close_with_record(community.lead, community, dissolve=True, reason="Plus personne")
    services.record_health_review(
        community.lead, community, ratings=all_ratings("problem"), decision="dissolve",
        comment="Trop peu de membres disponibles.",
    )  # fmt: skip
    community = fresh(community)
    services.close_with_record(community.lead, community, dissolve=True, reason="Trop peu.")
    assert fresh(community).state == State.DISSOLVED
    other = CommunityFactory()
    services.close_with_record(CoordinatorFactory(), other, dissolve=True, reason="Inactive")
    assert fresh(other).state == State.DISSOLVED
    assert not FinalRecord.objects.get(community=other).is_given


def test_health_facts_are_read_in_a_bounded_number_of_queries(django_assert_max_num_queries):
    community = CommunityFactory()
    for _ in range(5):
        add_member(community, Role.INNER)
    SeasonFactory(community=community)
    with django_assert_max_num_queries(12):
        facts = facts_for(community)
    assert len(facts) == 8


# --- closing, archiving, reopening ------------------------------------------------------------


def test_closing_with_a_final_record_and_a_legacy(django_capture_on_commit_callbacks):
    community = CommunityFactory()
    member = add_member(community, Role.INNER).user
    kept = make_note(community.lead, community, title="Carnet gardé")
    dropped = make_note(community.lead, community, title="Brouillon", keep_in_legacy=True)
    production = make_production(community.lead, community)
    successor = CommunityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        record = services.close_with_record(
            community.lead, community, achievements="Un guide et trois ateliers.",
            lessons="Partir des pratiques.", thanks="Merci à toutes et tous.",
            continues="Une communauté sur la qualité de l'eau est proposée.",
            continued_by=successor, legacy_items=[kept.pk], legacy_productions=[production.pk],
        )  # fmt: skip
    community = fresh(community)
    assert community.state == State.CLOSED and community.closed_on == TODAY()
    assert record.is_given and record.continued_by == successor
    assert set(Item.objects.filter(keep_in_legacy=True)) == {kept}
    assert dropped.pk not in Item.objects.filter(keep_in_legacy=True).values_list("pk", flat=True)
    assert Production.objects.get(pk=production.pk).keep_in_legacy
    note = Notification.objects.get(recipient=member, kind="communities.closed")
    assert "thank you" in str(note.message).lower() or "merci" in str(note.message).lower()
    assert note.url == f"/library/legacy/{community.slug}/"


def test_closing_twice_is_refused_and_changes_nothing():
    community = CommunityFactory()
    services.close_with_record(community.lead, community, achievements="Fait.")
    community = fresh(community)
    with pytest.raises(ValidationError) as error:
        services.close_with_record(community.lead, community, achievements="Encore")
    assert "already" in str(error.value) or "déjà" in str(error.value)
    assert FinalRecord.objects.get(community=community).achievements == "Fait."
    assert community.state_changes.filter(to_state=State.CLOSED).count() == 1


def test_closing_without_a_final_record_is_refused():
    community = CommunityFactory()
    with pytest.raises(ValidationError) as error:
        services.close_with_record(community.lead, community, achievements="  ", thanks="Merci")
    assert "achievements" in error.value.message_dict
    # The lifecycle itself refuses it too, whoever calls it.
    with pytest.raises(ValidationError):
        community_services.transition(community.lead, fresh(community), "close")
    assert fresh(community).state == State.ACTIVE
    assert not FinalRecord.objects.exists()


def test_a_community_that_carries_on_its_own_work_is_refused():
    community = CommunityFactory()
    with pytest.raises(ValidationError) as error:
        services.close_with_record(community.lead, community, achievements="x",
                                   continued_by=community)  # fmt: skip
    assert "continued_by" in error.value.message_dict
    assert fresh(community).state == State.ACTIVE


def test_archiving_waits_for_the_grace_period_set_by_the_coordinators():
    community = CommunityFactory()
    services.close_with_record(community.lead, community, achievements="Fait.")
    assert fresh(community).archive_due_on == days(30)
    assert community_services.archive_due_communities(days(29)) == 0
    assert community_services.archive_due_communities(days(30)) == 1
    assert fresh(community).state == State.ARCHIVED
    other = CommunityFactory()
    services.close_with_record(other.lead, other, achievements="Fait.")
    with pytest.raises(PermissionDenied):
        community_services.set_archive_grace(other.lead, fresh(other), 0)
    with pytest.raises(ValidationError):
        community_services.set_archive_grace(CoordinatorFactory(), fresh(other), -1)
    community_services.set_archive_grace(CoordinatorFactory(), fresh(other), 0)
    assert community_services.archive_due_communities() == 1


def test_a_dissolved_community_without_its_record_waits_and_its_lead_is_reminded():
    community = CommunityFactory()
    services.close_with_record(CoordinatorFactory(), community, dissolve=True, reason="Inactive")
    community_services.set_archive_grace(CoordinatorFactory(), fresh(community), 0)
    assert community_services.archive_due_communities() == 0
    sent = reminders.send_reminders()
    assert sent["record_missing"] == 1
    assert reminders.send_reminders()["record_missing"] == 0  # once a week
    assert Notification.objects.filter(recipient=community.lead, kind="seasons.reminder").exists()
    services.complete_record(community.lead, fresh(community), achievements="Deux rencontres.")
    assert community_services.archive_due_communities() == 1


def test_reopening_an_archived_community_as_a_new_season_goes_back_to_review():
    community = CommunityFactory()
    first = ended_season(community)
    services.close_with_record(community.lead, community, achievements="Fait.")
    community_services.transition(community.lead, fresh(community), "archive")
    member = add_member(community, Role.INNER).user
    with pytest.raises(PermissionDenied):
        services.reopen_as_new_season(member, fresh(community), name="Saison 2",
                                      starts_on=days(0), ends_on=days(300))  # fmt: skip
    season = services.reopen_as_new_season(
        community.lead, fresh(community), name="Saison 2", starts_on=days(0), ends_on=days(300)
    )
    community = fresh(community)
    assert community.state == State.REFRAMING and community.closed_on is None
    assert season.number == first.number + 1 and community.end_date >= days(300)
    community_services.submit_framing(community.lead, community)
    assert fresh(community).state == State.IN_REVIEW


# --- reminders --------------------------------------------------------------------------------


def test_each_reminder_goes_out_once():
    community = CommunityFactory(end_date=days(30))
    core = add_member(community, Role.CORE).user
    SeasonFactory(community=community, starts_on=days(-20), ends_on=days(14))
    ended_season(community, starts_on=days(-200), ends_on=days(-21))
    with time_machine.travel(timezone.now() - datetime.timedelta(days=130)):
        HealthReview.objects.create(community=community, ratings=all_ratings(),
                                    decision=HealthDecision.CONTINUE)  # fmt: skip
    sent = reminders.send_reminders()
    assert sent == {"end_of_life": 1, "season_ends": 1, "season_ended": 1, "health_due": 1,
                    "record_missing": 0}  # fmt: skip
    assert reminders.send_reminders() == dict.fromkeys(sent, 0)
    assert ReminderSent.objects.count() == 4
    kinds = Notification.objects.filter(recipient=core, kind="seasons.reminder")
    assert kinds.count() == 2  # the season that ended, and the health review due


def test_a_community_without_a_lead_gets_no_reminders_sent_to_nobody():
    assert reminders.send_reminders() == dict.fromkeys(
        ["end_of_life", "season_ends", "season_ended", "health_due", "record_missing"], 0
    )
    assert Season.objects.count() == 0


def test_the_health_review_is_due_when_the_expectations_survey_closes():
    from cercles.surveys.models import SurveyFollowUp

    community = CommunityFactory()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=40)):
        HealthReview.objects.create(community=community, ratings=all_ratings(),
                                    decision=HealthDecision.CONTINUE)  # fmt: skip
    assert reminders.send_reminders()["health_due"] == 0
    SurveyFollowUp.objects.create(community=community, last_closed_on=days(-2))
    assert reminders.send_reminders()["health_due"] == 1
    assert reminders.send_reminders()["health_due"] == 0
