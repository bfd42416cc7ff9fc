"""The coordinators' review pages: the queue and the review of one framing."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities import services
from cercles.communities.forms_review import CHECKLIST, checklist_facts
from cercles.communities.framing import SNAPSHOT_FIELDS
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Kind, Review, Role
from cercles.notifications.models import Notification

from .factories import CommunityFactory, add_member

pytestmark = pytest.mark.django_db

QUEUE = reverse("communities:review_queue")


def submitted(days_ago=0, **kwargs):
    community = CommunityFactory(state=State.DRAFT, **kwargs)
    services.submit_framing(community.lead, community)
    if days_ago:
        moment = timezone.now() - datetime.timedelta(days=days_ago, minutes=5)
        Community.objects.filter(pk=community.pk).update(submitted_at=moment)
    return community


def review_url(community):
    return reverse("communities:review", args=[community.slug])


def latest(community):
    return community.framing_versions.order_by("-number").first()


def decision_data(version, decision="validate", comment="", **extra):
    data = {"version": version.pk, "decision": decision, "comment": comment}
    data.update({f"check_{key}": "yes" for key in CHECKLIST})
    # Answers against the automatic checks are confirmed (their warning has tests of its own).
    data["confirm_contradictions"] = "on"
    data.update(extra)
    return data


@pytest.fixture
def english_coordinator_client(client, coordinator):
    coordinator.language = "en"
    coordinator.save()
    client.force_login(coordinator)
    return client


class TestQueue:
    def test_oldest_submission_first_with_waiting_time(self, english_coordinator_client):
        recent = submitted(days_ago=1, title="Récent")
        oldest = submitted(days_ago=10, title="Le plus ancien")
        middle = submitted(days_ago=3, title="Au milieu")
        response = english_coordinator_client.get(QUEUE)
        assert response.status_code == 200
        content = response.content.decode()
        positions = [content.index(c.title) for c in (oldest, middle, recent)]
        assert positions == sorted(positions)
        assert "waiting for 3\xa0days" in content  # timesince joins with non-breaking spaces
        assert "waiting for 1\xa0week" in content

    def test_waiting_time_is_localised(self, coordinator_client):
        submitted(days_ago=3)
        assert "3\xa0jours" in coordinator_client.get(QUEUE).content.decode()

    def test_shows_lead_co_lead_and_version(self, english_coordinator_client, coordinator):
        with_co_lead = submitted()
        add_member(with_co_lead, Role.CO_LEAD)
        without = submitted()
        services.review_framing(
            coordinator,
            without,
            latest(without),
            decision="request_changes",
            checklist={},
            comment="À revoir",
        )
        services.submit_framing(without.lead, without)
        response = english_coordinator_client.get(QUEUE)
        rows = {c.slug: c for c in response.context["page"]}
        assert rows[with_co_lead.slug].has_co_lead and rows[with_co_lead.slug].version_number == 1
        assert not rows[without.slug].has_co_lead and rows[without.slug].version_number == 2
        assert with_co_lead.lead.name in response.content.decode()

    def test_lists_framings_waiting_for_their_lead(self, coordinator_client, coordinator):
        community = submitted(title="Renvoyé au porteur")
        services.review_framing(
            coordinator,
            community,
            latest(community),
            decision="request_changes",
            checklist={},
            comment="À revoir",
        )
        response = coordinator_client.get(QUEUE)
        assert list(response.context["waiting_for_lead"]) == [community]
        assert response.context["page"].paginator.count == 0

    def test_a_community_I_lead_is_not_linked(self, coordinator_client, coordinator):
        community = submitted(lead=coordinator)
        content = coordinator_client.get(QUEUE).content.decode()
        assert community.title in content
        assert review_url(community) not in content

    def test_bounded_number_of_queries(self, coordinator_client):
        for _ in range(3):
            submitted()
        with CaptureQueriesContext(connection) as few:
            assert coordinator_client.get(QUEUE).status_code == 200
        for index in range(37):
            community = submitted()
            if index % 2:
                add_member(community, Role.CO_LEAD)
        with CaptureQueriesContext(connection) as many:
            response = coordinator_client.get(QUEUE)
        assert response.context["page"].paginator.count == 40
        assert len(many) == len(few)

    def test_anonymous_is_sent_to_log_in(self, client):
        response = client.get(QUEUE)
        assert response.status_code == 302 and "login" in response["Location"]

    def test_members_are_refused(self, member_client):
        assert member_client.get(QUEUE).status_code == 403


class TestReviewPermissions:
    def test_anonymous_is_sent_to_log_in(self, client):
        response = client.get(review_url(submitted()))
        assert response.status_code == 302 and "login" in response["Location"]

    def test_a_member_does_not_see_a_framing_in_review(self, member_client):
        assert member_client.get(review_url(submitted())).status_code == 404

    def test_a_member_cannot_review_a_published_community(self, member_client):
        community = CommunityFactory(state=State.OPEN)
        assert member_client.get(review_url(community)).status_code == 403

    def test_the_lead_cannot_review(self, client):
        community = submitted()
        client.force_login(community.lead)
        assert client.get(review_url(community)).status_code == 403

    @pytest.mark.parametrize("role", [Role.LEAD, Role.CO_LEAD])
    def test_a_coordinator_who_leads_the_community_is_told_why(self, client, role):
        person = CoordinatorFactory(language="en")
        if role == Role.LEAD:
            community = submitted(lead=person)
        else:
            community = submitted()
            add_member(community, Role.CO_LEAD, user=person)
        client.force_login(person)
        response = client.get(review_url(community))
        assert response.status_code == 403
        assert "nobody reviews a community they carry" in response.content.decode()
        response = client.post(review_url(community), decision_data(latest(community)))
        assert response.status_code == 403
        assert not Review.objects.exists()

    def test_another_coordinator_reviews(self, english_coordinator_client):
        community = submitted()
        response = english_coordinator_client.get(review_url(community))
        assert response.status_code == 200
        assert response.context["form"] is not None
        assert response.context["form"]["version"].value() == latest(community).pk

    def test_a_community_not_in_review_shows_its_history_read_only(
        self, english_coordinator_client, coordinator
    ):
        community = submitted()
        services.review_framing(
            CoordinatorFactory(),
            community,
            latest(community),
            decision="validate",
            checklist={},
            comment="Bonne route",
        )
        response = english_coordinator_client.get(review_url(community))
        assert response.status_code == 200
        assert response.context["form"] is None
        content = response.content.decode()
        assert "read-only" in content and "Bonne route" in content


class TestReviewPage:
    def test_a_draft_never_submitted_has_nothing_to_review(self, english_coordinator_client):
        community = CommunityFactory(state=State.DRAFT)
        response = english_coordinator_client.get(review_url(community))
        assert response.status_code == 200
        assert response.context["form"] is None
        assert "not been submitted" in response.content.decode()

    def test_shows_the_framing_and_the_automatic_facts(self, english_coordinator_client):
        community = submitted(problem_statement="Les <b>forages</b> tombent en panne.")
        content = english_coordinator_client.get(review_url(community)).content.decode()
        assert "Problem statement" in content
        assert "Les &lt;b&gt;forages&lt;/b&gt; tombent en panne." in content
        assert "co-lead: none" in content
        assert "1 milestone, on" in content
        assert f"lead: {community.lead.name}" in content
        assert "First submission" not in content and "Changes in version" not in content

    def test_facts_preselect_the_checklist(self, coordinator_client):
        community = submitted()
        form = coordinator_client.get(review_url(community)).context["form"]
        assert form["check_co_lead"].value() == "no"
        assert form["check_milestones"].value() == "yes"
        assert form["check_sufficient"].value() is None

    def test_every_version_with_its_decision_and_the_diff(
        self, english_coordinator_client, coordinator
    ):
        community = submitted()
        services.review_framing(
            CoordinatorFactory(),
            community,
            latest(community),
            decision="request_changes",
            checklist={"sufficient": {"ok": False, "comment": "Trop vague"}},
            field_comments={"purpose": "Pour qui est ce guide ?"},
            comment="Précisez.",
        )
        community.purpose = "Produire un manuel pratique de gestion des points d'eau."
        community.save()
        services.submit_framing(community.lead, community)
        response = english_coordinator_client.get(review_url(community))
        content = response.content.decode()
        assert [row["version"].number for row in response.context["versions"]] == [2, 1]
        assert "Changes in version 2 since version 1" in content
        assert "guide<span" in content.split("<del>")[1]
        assert "manuel pratique<span" in content.split("<ins>")[1]
        assert "Pour qui est ce guide ?" in content  # the comment that asked for the change
        assert "Request changes" in content and "Trop vague" in content
        # The first version can be shown again.
        response = english_coordinator_client.get(review_url(community) + "?version=1")
        assert response.context["shown"].number == 1
        assert response.context["changes"] == []


class TestDecision:
    def test_validate(self, coordinator_client, django_capture_on_commit_callbacks):
        community = submitted()
        co_lead = add_member(community, Role.CO_LEAD).user
        with django_capture_on_commit_callbacks(execute=True):
            response = coordinator_client.post(
                review_url(community), decision_data(latest(community), comment="Bravo")
            )
        assert response.status_code == 302 and response["Location"] == QUEUE
        community.refresh_from_db()
        assert community.state == State.OPEN
        review = Review.objects.get()
        assert review.checklist["lead"] == {"ok": True, "comment": ""}
        recipients = {n.recipient for n in Notification.objects.filter(kind="community.reviewed")}
        assert recipients == {community.lead, co_lead}

    def test_request_changes_stores_field_comments(self, coordinator_client):
        community = submitted()
        data = decision_data(
            latest(community),
            "request_changes",
            comment="Précisez la production.",
            field_purpose="Pour qui ?",
            check_sufficient="no",
            check_sufficient_comment="Engagement flou",
        )
        coordinator_client.post(review_url(community), data)
        community.refresh_from_db()
        assert community.state == State.CHANGES_REQUESTED
        review = Review.objects.get()
        assert review.field_comments == {"purpose": "Pour qui ?"}
        assert review.checklist["sufficient"] == {"ok": False, "comment": "Engagement flou"}
        assert review.comment == "Précisez la production."

    def test_decline_with_reasons(self, coordinator_client):
        community = submitted()
        coordinator_client.post(
            review_url(community),
            decision_data(latest(community), "decline", comment="Action commerciale."),
        )
        community.refresh_from_db()
        assert community.state == State.DECLINED
        assert community.state_changes.first().reason == "Action commerciale."

    @pytest.mark.parametrize("decision", ["request_changes", "decline"])
    def test_a_comment_is_required_and_input_is_kept(self, client, decision):
        coordinator = CoordinatorFactory(language="en")
        client.force_login(coordinator)
        community = submitted()
        data = decision_data(latest(community), decision, field_purpose="Pour qui ?")
        response = client.post(review_url(community), data)
        assert response.status_code == 200
        form = response.context["form"]
        assert "comment" in form.errors
        content = response.content.decode()
        assert 'id="id_comment_errors"' in content
        assert "Pour qui ?" in content
        assert "<details open>" in content  # the field comments typed stay visible
        community.refresh_from_db()
        assert community.state == State.IN_REVIEW
        assert not Review.objects.exists()

    def test_every_checklist_item_is_answered(self, coordinator_client):
        community = submitted()
        data = decision_data(latest(community))
        del data["check_size"]
        response = coordinator_client.post(review_url(community), data)
        assert response.status_code == 200
        assert "check_size" in response.context["form"].errors

    def test_a_second_post_changes_nothing(self, client):
        client.force_login(CoordinatorFactory(language="en"))
        community = submitted()
        data = decision_data(latest(community))
        client.post(review_url(community), data)
        response = client.post(
            review_url(community), {**data, "decision": "decline", "comment": "Non"}
        )
        assert response.status_code == 302 and response["Location"] == review_url(community)
        message = str(list(get_messages(response.wsgi_request))[-1])
        assert "already decided" in message and "nothing was changed" in message
        community.refresh_from_db()
        assert community.state == State.OPEN
        assert Review.objects.get().decision == "validate"

    def test_a_stale_tab_on_an_earlier_version_changes_nothing(self, coordinator_client):
        community = submitted()
        first = latest(community)
        services.review_framing(
            CoordinatorFactory(),
            community,
            first,
            decision="request_changes",
            checklist={},
            comment="À revoir",
        )
        services.submit_framing(community.lead, community)
        response = coordinator_client.post(review_url(community), decision_data(first))
        assert response.status_code == 302
        community.refresh_from_db()
        assert community.state == State.IN_REVIEW
        assert Review.objects.count() == 1

    def test_a_forged_version_of_another_community_is_refused(self, client):
        client.force_login(CoordinatorFactory(language="en"))
        community, other = submitted(), submitted()
        response = client.post(review_url(community), decision_data(latest(other)))
        assert response.status_code == 200
        assert "does not belong to this community" in response.content.decode()
        for each in (community, other):
            each.refresh_from_db()
            assert each.state == State.IN_REVIEW
        assert not Review.objects.exists()

    def test_a_member_cannot_post_a_decision(self, client):
        community = CommunityFactory(state=State.OPEN)
        client.force_login(UserFactory())
        response = client.post(review_url(community), {"decision": "decline", "comment": "x"})
        assert response.status_code == 403


class TestReviewPageLayout:
    def test_each_comment_box_stands_beside_its_field(self, coordinator_client):
        community = submitted()
        html = coordinator_client.get(review_url(community)).content.decode()
        rows = html.split('<div class="framing-row">')[1:]
        assert len(rows) == len(SNAPSHOT_FIELDS)
        purpose = next(row for row in rows if "id_field_purpose" in row)
        assert str(SNAPSHOT_FIELDS["purpose"]) in purpose.split("</dt>")[0]
        assert purpose.index("</dd>") < purpose.index('name="field_purpose"')
        # Comment boxes are part of the decision's form.
        form = html.split('id="review-form"')[1].split("</form>")[0]
        assert 'name="field_purpose"' in form and 'name="decision"' in form

    def test_an_older_version_keeps_the_comment_boxes_in_the_form(self, coordinator_client):
        community = submitted()
        html = coordinator_client.get(review_url(community) + "?version=99").content.decode()
        assert html.count('name="field_purpose"') == 1

    def test_errors_are_listed_at_the_top_with_links(self, coordinator_client):
        community = submitted()
        data = decision_data(latest(community), "decline", comment="")
        response = coordinator_client.post(review_url(community), data)
        assert response.status_code == 200
        html = response.content.decode()
        summary = html.split('id="review-problems"')[1].split("</div>")[0]
        assert 'href="#id_comment"' in summary
        assert html.index('id="review-problems"') < html.index('id="framing-heading"')

    def test_a_checklist_answer_against_the_automatic_check_is_warned(self, coordinator_client):
        community = submitted()
        assert not community.memberships.filter(role=Role.CO_LEAD).exists()
        data = decision_data(latest(community), "validate")
        del data["confirm_contradictions"]
        response = coordinator_client.post(review_url(community), data)
        assert response.status_code == 200
        warnings = response.context["form"].contradictions
        assert any(str(CHECKLIST["co_lead"][0]) in w for w in warnings)
        html = response.content.decode()
        assert 'class="review-warnings"' in html and 'name="confirm_contradictions"' in html
        community.refresh_from_db()
        assert community.state == State.IN_REVIEW
        # Confirmed: the decision is recorded as it is.
        response = coordinator_client.post(
            review_url(community), {**data, "confirm_contradictions": "on"}
        )
        assert response.status_code == 302
        assert Review.objects.get().checklist["co_lead"]["ok"] is True

    def test_answers_that_agree_with_the_checks_need_no_confirmation(self, coordinator_client):
        community = submitted()
        facts = checklist_facts(community)
        data = decision_data(latest(community), "request_changes", comment="Un copilote ?")
        del data["confirm_contradictions"]
        for key, (_hint, fact) in facts.items():
            if fact is not None:
                data[f"check_{key}"] = "yes" if fact else "no"
        response = coordinator_client.post(review_url(community), data)
        assert response.status_code == 302

    def test_members_cannot_see_the_review_page(self, member_client):
        community = submitted()
        assert member_client.get(review_url(community)).status_code in (403, 404)


class TestReviewInTheReadersLanguage:
    def test_dates_and_platform_labels_follow_the_reader_typed_text_does_not(
        self, english_coordinator_client
    ):
        community = submitted(
            start_date=datetime.date(2027, 1, 15),
            end_date=datetime.date(2027, 9, 1),
            kind="thematic",
            purpose="Produire un guide",
        )
        html = english_coordinator_client.get(review_url(community)).content.decode()
        assert "2027-01-15" not in html and "2027-09-01" not in html
        assert "Jan. 15, 2027" in html
        version = latest(community)
        french_kind = version.snapshot["kind"]
        with translation.override("en"):
            english_kind = str(dict(Kind.choices)["thematic"])
        assert french_kind != english_kind
        framing = html.split('id="framing-heading"')[1]
        assert english_kind in framing and french_kind not in framing
        assert "Produire un guide" in framing  # typed text stays as written

    def test_in_french_the_first_of_the_month_reads_1er(self, coordinator_client):
        community = submitted(start_date=datetime.date(2027, 9, 1), end_date=None)
        html = coordinator_client.get(review_url(community)).content.decode()
        assert "1er septembre 2027" in html


def test_the_review_page_queries_do_not_grow_with_versions_or_comments(
    coordinator_client, django_assert_max_num_queries
):
    community = submitted()
    with django_assert_max_num_queries(40) as one:
        assert coordinator_client.get(review_url(community)).status_code == 200
    for _ in range(3):
        version = latest(community)
        services.review_framing(
            CoordinatorFactory(),
            community,
            version,
            decision="request_changes",
            checklist={},
            field_comments={"purpose": "Pour qui ?"},
            comment="Précisez.",
        )
        community.refresh_from_db()
        community.purpose += " Encore."
        community.save()
        services.submit_framing(community.lead, community)
    with django_assert_max_num_queries(len(one.captured_queries) + 2):
        response = coordinator_client.get(review_url(community))
    assert response.context["previous"] is not None
