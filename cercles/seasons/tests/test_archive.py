"""The archive rule: nothing is writable in an archived community. Every write is refused by its
service (the one guard) and by its form, including through forged addresses (the one predicate
in every write permission), with a clear message, and changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities import planning
from cercles.communities import services as community_services
from cercles.communities.archive import CommunityArchived
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, FinalRecord, Membership, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.coordination import services as coordination_services
from cercles.core.models import AuditEvent
from cercles.discussions import services as discussions
from cercles.discussions.models import Post, Thread
from cercles.discussions.tests.factories import start_thread
from cercles.library import services as library
from cercles.library.models import Item, Production
from cercles.library.tests.factories import make_note, make_production, pdf_upload
from cercles.meetings import services as meetings
from cercles.meetings.models import RSVP, Meeting
from cercles.meetings.tests.factories import MeetingFactory
from cercles.seasons import services as seasons
from cercles.seasons.models import Season
from cercles.surveys import services as surveys
from cercles.surveys.models import Participation
from cercles.surveys.tests.factories import SurveyFactory, add_questions

from .factories import SeasonFactory, all_ratings

pytestmark = pytest.mark.django_db
MESSAGE = "archiv"  # "archived", "archivée"


@pytest.fixture
def archived():
    """An archived network community, with content made while it lived."""
    community = CommunityFactory()
    member = add_member(community, Role.INNER).user
    thread = start_thread(community, member)
    note = make_note(member, community)
    production = make_production(community.lead, community)
    meeting = MeetingFactory(community=community)
    survey = SurveyFactory(community=community)
    questions = add_questions(survey)
    season = SeasonFactory(community=community)
    FinalRecord.objects.create(
        community=community, achievements="Un guide.", given_at=timezone.now()
    )
    Community.objects.filter(pk=community.pk).update(state=State.ARCHIVED)
    community.refresh_from_db()
    return {
        "community": community, "lead": community.lead, "member": member, "thread": thread,
        "post": thread.posts.first(), "note": note, "production": production,
        "meeting": meeting, "survey": survey, "questions": questions, "season": season,
        "outsider": UserFactory(),
    }  # fmt: skip


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (
            Thread,
            Post,
            Item,
            Production,
            Meeting,
            RSVP,
            Participation,
            Membership,
            Season,
            AuditEvent,
        )  # fmt: skip
    }


SERVICE_WRITES = {
    "post a thread": lambda a: discussions.start_thread(
        a["member"], a["community"], title="Encore", body="Un message"),
    "reply": lambda a: discussions.reply(a["member"], a["thread"], body="Réponse"),
    "edit a post": lambda a: discussions.edit_post(a["member"], a["post"], body="Modifié"),
    "delete a post": lambda a: discussions.delete_post(a["member"], a["post"]),
    "hide a post": lambda a: discussions.hide_post(a["lead"], a["post"], reason="Hors sujet"),
    "join": lambda a: community_services.join_community(
        a["outsider"], a["community"], objective="Apprendre", involvement="active"),
    "leave": lambda a: community_services.leave_community(a["member"], a["community"]),
    "change one's involvement": lambda a: community_services.change_involvement(
        a["member"], a["community"], involvement="observer", objective=""),
    "invite": lambda a: community_services.invite(
        a["lead"], a["community"], email="nouvelle@example.org"),
    "edit the next steps": lambda a: community_services.update_next_steps(
        a["lead"], a["community"], "Rien"),
    "plan a milestone": lambda a: planning.add_milestone(
        a["lead"], a["community"], title="Jalon", due_date=timezone.localdate()),
    "upload a file": lambda a: library.add_file(
        a["member"], a["community"], title="Guide", upload=pdf_upload()),
    "write a note": lambda a: library.create_note(
        a["member"], a["community"], title="Carnet", body="Texte"),
    "edit a note": lambda a: library.update_note(a["member"], a["note"], title="T", body="B"),
    "add a link": lambda a: library.add_link(
        a["member"], a["community"], title="Lien", url="https://example.org/"),
    "choose the legacy": lambda a: library.set_keep_in_legacy(a["lead"], a["note"], True),
    "add a production": lambda a: library.create_production(
        a["lead"], a["community"], title="P", kind="tool", audience="network"),
    "RSVP": lambda a: meetings.rsvp(a["member"], a["meeting"], "yes"),
    "plan a meeting": lambda a: meetings.plan_meeting(
        a["lead"], a["community"], title="Rencontre",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=1)),
    "answer a survey": lambda a: surveys.answer_survey(
        a["member"], a["survey"], {a["questions"][0].pk: 4}),
    "create a survey": lambda a: surveys.create_survey(
        a["lead"], a["community"], title="Sondage", opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + datetime.timedelta(days=5), questions=[]),
    "close a survey": lambda a: surveys.close_survey(a["lead"], a["survey"]),
    "post a progress update": lambda a: coordination_services.post_update(
        a["lead"], a["community"], done="Tout"),
    "plan a season": lambda a: seasons.create_season(
        a["lead"], a["community"], name="Saison", starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=300)),
    "move an objective": lambda a: seasons.add_objective(a["lead"], a["season"], title="O"),
    "fill a health review": lambda a: seasons.record_health_review(
        a["lead"], a["community"], ratings=all_ratings(), decision="continue"),
    "close again": lambda a: seasons.close_with_record(
        a["lead"], a["community"], achievements="Encore"),
    "write the final record": lambda a: community_services.save_final_record(
        CoordinatorFactory(), a["community"], achievements="Réécrit"),
    "set the grace period": lambda a: community_services.set_archive_grace(
        CoordinatorFactory(), a["community"], 3),
    "change its state": lambda a: community_services.transition(
        a["lead"], a["community"], "activate"),
}  # fmt: skip


@pytest.mark.parametrize("write", SERVICE_WRITES.values(), ids=SERVICE_WRITES.keys())
def test_every_service_refuses_to_write_in_an_archived_community(archived, write):
    before = snapshot()
    with pytest.raises(CommunityArchived) as error:
        write(archived)
    assert MESSAGE in str(error.value).lower()
    assert snapshot() == before
    assert FinalRecord.objects.get(community=archived["community"]).achievements == "Un guide."


def _forms(a):
    slug = a["community"].slug
    return {
        "post a thread": ("member", reverse("discussions:thread_create", args=[slug]),
                          {"title": "Encore", "body": "Un message"}),
        "reply": ("member", reverse("discussions:reply", args=[slug, a["thread"].pk]),
                  {"body": "Réponse"}),
        "edit a post": ("member", reverse("discussions:edit_post", args=[slug, a["post"].pk]),
                        {"body": "Modifié"}),
        "join": ("outsider", reverse("communities:join", args=[slug]),
                 {"objective": "Apprendre", "involvement": "active"}),
        "leave": ("member", reverse("communities:leave", args=[slug]), {"reason": ""}),
        "change one's involvement": ("member", reverse("communities:involvement", args=[slug]),
                                     {"involvement": "observer", "objective": ""}),
        "edit the next steps": ("lead", reverse("communities:next_steps", args=[slug]),
                                {"next_steps": "Rien"}),
        "edit the framing": ("lead", reverse("communities:framing", args=[slug]),
                             {"title": "Nouveau titre"}),
        "invite": ("lead", reverse("communities:invite", args=[slug]),
                   {"email": "nouvelle@example.org"}),
        "plan a milestone": ("lead", reverse("communities:milestone_add", args=[slug]),
                             {"title": "Jalon", "due_date": timezone.localdate().isoformat()}),
        "upload a file": ("member", reverse("library:add_file", args=[slug]),
                          {"title": "Guide", "file": pdf_upload()}),
        "write a note": ("member", reverse("library:add_note", args=[slug]),
                         {"title": "Carnet", "body": "Texte"}),
        "edit a note": ("member", reverse("library:edit_item", args=[slug, a["note"].pk]),
                        {"title": "T", "body": "B"}),
        "choose the legacy": ("lead", reverse("library:choose_legacy", args=[slug, a["note"].pk]),
                              {"keep": "1"}),
        "add a production": ("lead", reverse("library:add_production", args=[slug]),
                             {"title": "P", "kind": "tool", "audience": "network"}),
        "RSVP": ("member", reverse("meetings:rsvp", args=[slug, a["meeting"].pk]),
                 {"answer": "yes"}),
        "plan a meeting": ("lead", reverse("meetings:create", args=[slug]), {"title": "R"}),
        "answer a survey": ("member", reverse("surveys:answer", args=[slug, a["survey"].pk]),
                            {f"q{a['questions'][0].pk}": "4"}),
        "create a survey": ("lead", reverse("surveys:create", args=[slug]), {"title": "S"}),
        "post a progress update": ("lead", reverse("updates:new", args=[slug]),
                                   {"done": "Tout"}),
        "plan a season": ("lead", reverse("seasons:new", args=[slug]), {"name": "S"}),
        "add an objective": ("lead", reverse("seasons:objective_add",
                                             args=[slug, a["season"].pk]), {"title": "O"}),
        "fill a health review": ("lead", reverse("seasons:health_new", args=[slug]),
                                 {"decision": "continue"}),
        "close again": ("lead", reverse("seasons:closing", args=[slug]),
                        {"achievements": "Encore", "outcome": "close"}),
        "change its state": ("lead", reverse("communities:change_state", args=[slug, "archive"]),
                             {}),
    }  # fmt: skip


FORM_WRITES = [
    "post a thread", "reply", "edit a post", "join", "leave", "change one's involvement",
    "edit the next steps", "edit the framing", "invite", "plan a milestone", "upload a file",
    "write a note", "edit a note", "choose the legacy", "add a production", "RSVP",
    "plan a meeting", "answer a survey", "create a survey", "post a progress update",
    "plan a season", "add an objective", "fill a health review", "close again",
    "change its state",
]  # fmt: skip


@pytest.mark.parametrize("name", FORM_WRITES)
def test_every_form_refuses_to_write_in_an_archived_community(client, archived, name):
    """Posted to its address as if the form were there (it is not shown): 403, which says why."""
    person, url, data = _forms(archived)[name]
    client.force_login(archived[person])
    before = snapshot()
    response = client.post(url, data, follow=True)
    # A 403 page that says why; joining and the framing editor send back to the community's
    # home with a message naming its state instead.
    assert response.status_code == 403 or response.redirect_chain, name
    assert "archiv" in response.content.decode().lower()
    assert snapshot() == before


def test_an_archived_community_shows_no_form_and_a_banner_with_its_final_record(client, archived):
    community = archived["community"]
    client.force_login(archived["member"])
    home = client.get(community.get_absolute_url()).content.decode()
    assert "end-banner--archived" in home
    assert reverse("library:legacy", args=[community.slug]) in home
    for url in (
        reverse("discussions:thread", args=[community.slug, archived["thread"].pk]),
        reverse("meetings:detail", args=[community.slug, archived["meeting"].pk]),
        reverse("library:item_list", args=[community.slug]),
        reverse("surveys:detail", args=[community.slug, archived["survey"].pk]),
    ):
        page = client.get(url).content.decode()
        assert "end-banner--archived" in page, url
        assert "<textarea" not in page and 'name="answer"' not in page, url
        assert reverse("library:add_file", args=[community.slug]) not in page
    client.force_login(archived["outsider"])
    assert (
        reverse("communities:join", args=[community.slug])
        not in client.get(community.get_absolute_url()).content.decode()
    )


def test_the_lead_or_a_coordinator_may_still_reopen_it(archived):
    assert archived["lead"].has_perm("communities.reopen_community", archived["community"])
    assert CoordinatorFactory().has_perm("communities.reopen_community", archived["community"])
    assert not archived["member"].has_perm("communities.reopen_community", archived["community"])
