"""Review of a submitted framing: decisions, versions, diffs and refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cercles.accounts.tests.factories import CoordinatorFactory
from cercles.communities import services
from cercles.communities.diff import diff_html, framing_diff
from cercles.communities.lifecycle import State
from cercles.communities.models import FramingVersion, Review, Role
from cercles.notifications.models import Notification

from .factories import CommunityFactory, add_member

pytestmark = pytest.mark.django_db

CHECKLIST = {
    key: {"ok": True, "comment": ""}
    for key in ["not_too_tight", "sufficient", "lead", "co_lead", "milestones", "size", "end"]
}


def submitted(**kwargs):
    community = CommunityFactory(state=State.DRAFT, **kwargs)
    services.submit_framing(community.lead, community)
    return community


def latest(community):
    return community.framing_versions.order_by("-number").first()


def test_validate_opens_the_community_and_tells_the_lead_and_co_lead(
    coordinator, django_capture_on_commit_callbacks
):
    community = submitted()
    co_lead = add_member(community, Role.CO_LEAD).user
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_framing(
            coordinator,
            community,
            latest(community),
            decision="validate",
            checklist=CHECKLIST,
            comment="Bonne route !",
        )
    community.refresh_from_db()
    assert community.state == State.OPEN
    assert review.reviewer == coordinator and review.checklist == CHECKLIST
    change = community.state_changes.first()
    assert (change.from_state, change.to_state, change.actor) == (
        State.IN_REVIEW,
        State.OPEN,
        coordinator,
    )
    reviewed = Notification.objects.filter(kind="community.reviewed")
    assert {n.recipient for n in reviewed} == {community.lead, co_lead}
    assert reviewed.first().params["decision"] == "validated"


def test_request_changes_keeps_field_comments_and_a_resubmission_is_version_2(coordinator):
    community = submitted()
    services.review_framing(
        coordinator,
        community,
        latest(community),
        decision="request_changes",
        checklist=CHECKLIST,
        field_comments={"purpose": "Pour qui ?", "title": "  "},
        comment="Précisez la production.",
    )
    community.refresh_from_db()
    assert community.state == State.CHANGES_REQUESTED
    assert services.latest_review(community).field_comments == {"purpose": "Pour qui ?"}

    community.purpose = "Produire un manuel pratique de gestion des points d'eau."
    community.save()
    services.submit_framing(community.lead, community)
    community.refresh_from_db()
    assert community.state == State.IN_REVIEW
    first, second = community.framing_versions.order_by("number")
    assert second.number == 2
    changes = framing_diff(first.snapshot, second.snapshot)
    assert [key for key, _label, _html in changes] == ["purpose"]
    html = changes[0][2]
    assert "<del>" in html and "guide" in html.split("<del>")[1].split("</del>")[0]
    assert "manuel pratique" in html.split("<ins>")[1].split("</ins>")[0]


def test_decline_records_the_reasons(coordinator):
    community = submitted()
    services.review_framing(
        coordinator,
        community,
        latest(community),
        decision="decline",
        checklist=CHECKLIST,
        comment="Projet commercial plutôt qu'une communauté.",
    )
    community.refresh_from_db()
    assert community.state == State.DECLINED
    assert community.state_changes.first().reason == "Projet commercial plutôt qu'une communauté."


@pytest.mark.parametrize("decision", ["request_changes", "decline"])
def test_request_changes_and_decline_need_a_comment(coordinator, decision):
    community = submitted()
    with pytest.raises(ValidationError):
        services.review_framing(
            coordinator,
            community,
            latest(community),
            decision=decision,
            checklist=CHECKLIST,
            comment="  ",
        )
    community.refresh_from_db()
    assert community.state == State.IN_REVIEW
    assert not Review.objects.exists()


def test_a_decided_version_is_not_reviewed_twice(coordinator):
    community = submitted()
    version = latest(community)
    services.review_framing(
        coordinator,
        community,
        version,
        decision="request_changes",
        checklist=CHECKLIST,
        comment="À revoir.",
    )
    with pytest.raises(ValidationError):  # a message, not a 403
        services.review_framing(
            CoordinatorFactory(), community, version, decision="validate", checklist=CHECKLIST
        )
    services.submit_framing(community.lead, community)
    with pytest.raises(ValidationError):  # in review again, but version 1 is not the latest
        services.review_framing(
            coordinator, community, version, decision="validate", checklist=CHECKLIST
        )
    assert Review.objects.count() == 1


def test_a_version_of_another_community_is_refused(coordinator):
    community, other = submitted(), submitted()
    with pytest.raises(ValidationError):
        services.review_framing(
            coordinator, community, latest(other), decision="validate", checklist=CHECKLIST
        )
    assert not Review.objects.exists()
    assert community.state == State.IN_REVIEW


def test_nobody_reviews_a_community_they_lead():
    community = submitted(lead=CoordinatorFactory())
    with pytest.raises(PermissionDenied):
        services.review_framing(
            community.lead,
            community,
            latest(community),
            decision="validate",
            checklist=CHECKLIST,
        )
    co_lead = CoordinatorFactory()
    add_member(community, Role.CO_LEAD, user=co_lead)
    with pytest.raises(PermissionDenied):
        services.review_framing(
            co_lead, community, latest(community), decision="validate", checklist=CHECKLIST
        )


class TestDiff:
    def test_marks_changed_words_only(self):
        with translation.override("en"):
            html = diff_html("un guide pour les comités", "un manuel pour les comités")
        assert html.startswith("un <del>")
        assert html.endswith("</ins> pour les comités")
        assert "insertion start" in html and "deletion start" in html

    def test_escapes_user_text(self):
        html = diff_html("<b>avant</b>", "<script>alert(1)</script>")
        assert "<script" not in html and "<b>" not in html
        assert html.startswith("&lt;") and html.endswith("&gt;")

    def test_new_and_removed_lines(self):
        html = diff_html("ligne 1\nligne 2\n", "ligne 1\nligne 3\nligne 4\n")
        assert html.startswith("ligne 1\n")
        assert "<del>" in html and "<ins>" in html

    def test_identical_snapshots_have_no_changes(self):
        snapshot = {"title": "Eau", "purpose": "Guide"}
        assert framing_diff(snapshot, dict(snapshot)) == []

    def test_a_field_missing_from_an_old_snapshot_counts_as_empty(self):
        changes = framing_diff({"title": "Eau"}, {"title": "Eau", "support_needs": "Un mentor"})
        assert [key for key, _label, _html in changes] == ["support_needs"]


def test_snapshot_versions_are_frozen(coordinator):
    community = submitted()
    community.purpose = "Autre chose"
    community.save()
    assert FramingVersion.objects.get(community=community).snapshot["purpose"] != "Autre chose"
