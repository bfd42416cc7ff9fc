"""Proposing a community, editing its framing on one page, submitting it for review."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.framing import SNAPSHOT_FIELDS
from cercles.communities.lifecycle import State
from cercles.communities.models import (
    BudgetLine,
    Community,
    Decision,
    FramingVersion,
    Membership,
    Milestone,
    Partnership,
    Review,
    Role,
)
from cercles.notifications.models import Notification
from cercles.taxonomy.models import Territory, Theme

from .factories import CommunityFactory, add_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n):
    return (TODAY + datetime.timedelta(days=n)).isoformat()


def formset_data(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def framing_data(community=None, *, milestones=(), partnerships=(), budget=(), **fields):
    """What the editor posts; `fields` override the complete framing below."""
    data = {
        "framing_editor": "1",
        "title": "Eau et assainissement en milieu rural au Sahel",
        "problem_statement": "Les forages tombent en panne.",
        "positioning": "Compléter les programmes existants.",
        "purpose": "Produire un guide de maintenance.",
        "kind": "thematic",
        "themes": [str(Theme.objects.get(slug="odd-6").pk)],
        "objective_types": ["exchange", "solutions"],
        "expected_production_kinds": ["publication"],
        "expected_productions": "Un guide illustré.",
        "target_size_min": "5",
        "target_size_max": "20",
        "start_date": days(10),
        "end_date": days(400),
        "duration_months": "",
        "visibility": "network",
        "action_plan": "",
        "support_needs": "",
    }
    data.update(fields)
    existing = list(community.milestones.all()) if community else []
    rows = [
        {"id": m.pk, "title": m.title, "due_date": m.due_date.isoformat(), "description": ""}
        for m in existing
    ]
    data.update(formset_data("milestones", rows + list(milestones), initial=len(rows)))
    data.update(formset_data("partnerships", list(partnerships)))
    data.update(formset_data("budget_lines", list(budget)))
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture(autouse=True)
def english(member):
    """Messages are asserted on their English source, whatever the French catalogue says."""
    member.language = "en"
    member.save(update_fields=["language"])


@pytest.fixture
def draft(member):
    community = CommunityFactory(
        lead=member, state=State.DRAFT, with_framing=False, problem_statement="", kind=""
    )
    return community


# --- propose ----------------------------------------------------------------------------------


def test_propose_creates_a_draft_led_by_the_proposer(member_client, member):
    response = member_client.post(
        reverse("communities:propose"), {"title": "Éducation à la citoyenneté mondiale"}
    )
    community = Community.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("communities:framing", args=[community.slug])
    assert community.state == State.DRAFT
    assert community.slug == "education-a-la-citoyennete-mondiale"
    assert Membership.objects.get(community=community, user=member).role == Role.LEAD
    assert community.state_changes.get().to_state == State.DRAFT


def test_propose_needs_a_title(member_client):
    response = member_client.post(reverse("communities:propose"), {"title": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert not Community.objects.exists()


def test_propose_page_renders_and_needs_sign_in(client, member_client):
    assert member_client.get(reverse("communities:propose")).status_code == 200
    client.logout()
    assert client.get(reverse("communities:propose")).status_code == 302


# --- edit -------------------------------------------------------------------------------------


def test_editor_renders_every_part(member_client, draft):
    Territory.objects.create(slug="sahel", name_fr="Sahel", name_en="Sahel")
    response = member_client.get(reverse("communities:framing", args=[draft.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    names = ["title", "themes", "territories", "objective_types", "target_size_min"]
    names += ["milestones-0-title", "partnerships-0-partner", "budget_lines-0-currency"]
    for name in names:
        assert f'name="{name}"' in html
    assert 'value="XOF"' in html


def test_save_an_incomplete_draft(member_client, draft):
    data = framing_data(draft, title="Un titre provisoire", purpose="", kind="", themes=[])
    response = member_client.post(reverse("communities:framing", args=[draft.slug]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Un titre provisoire"
    assert draft.state == State.DRAFT
    assert not draft.themes.exists()


def test_save_the_whole_framing_with_its_parts(member_client, member, draft):
    territory = Territory.objects.create(slug="sahel", name_fr="Sahel", name_en="Sahel")
    data = framing_data(
        draft,
        territories=[str(territory.pk)],
        milestones=[{"title": "Atelier", "due_date": days(30), "owner": str(member.pk)}],
        partnerships=[{"partner": "Ministère de l'Eau", "contribution": "Expertise"}],
        budget=[{"label": "Atelier", "amount": "1500000", "currency": "XOF"}],
    )
    response = member_client.post(reverse("communities:framing", args=[draft.slug]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.objective_types == ["exchange", "solutions"]
    assert list(draft.territories.all()) == [territory]
    assert Milestone.objects.get(community=draft).owner == member
    assert Partnership.objects.get(community=draft).partner == "Ministère de l'Eau"
    assert BudgetLine.objects.get(community=draft).currency == "XOF"
    assert draft.slug.startswith("eau-et-assainissement")  # the slug never follows the title


def test_empty_extra_rows_are_ignored_and_rows_can_be_removed(member_client, draft):
    milestone = Milestone.objects.create(community=draft, title="Lancement", due_date=days(5))
    data = framing_data(
        draft,
        milestones=[{"title": "", "due_date": "", "description": "", "owner": ""}],
        partnerships=[{"partner": "", "contribution": ""}],
        budget=[{"label": "", "amount": "", "currency": "EUR"}],
    )
    data["milestones-0-DELETE"] = "on"
    response = member_client.post(reverse("communities:framing", args=[draft.slug]), data)
    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert not Milestone.objects.exists()
    assert not Partnership.objects.exists()
    assert not BudgetLine.objects.exists()


def test_milestone_owner_is_chosen_among_active_members(member_client, draft):
    outsider = UserFactory()
    data = framing_data(
        draft, milestones=[{"title": "Atelier", "due_date": days(30), "owner": str(outsider.pk)}]
    )
    response = member_client.post(reverse("communities:framing", args=[draft.slug]), data)
    assert response.status_code == 200
    assert not Milestone.objects.exists()


def test_save_and_add_rows(member_client, draft):
    data = framing_data(draft, add_rows="milestones")
    response = member_client.post(reverse("communities:framing", args=[draft.slug]), data)
    assert response.status_code == 302
    assert response["Location"].endswith("?rows=more#milestones")
    page = member_client.get(response["Location"])
    assert 'name="milestones-2-title"' in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": days(100), "end_date": days(50)}, "end_date", "after the start"),
        ({"target_size_min": "30", "target_size_max": "10"}, "target_size_max", "minimum size"),
    ],
)
def test_contradictions_are_refused(member_client, draft, overrides, field, message):
    before = Community.objects.values().get(pk=draft.pk)
    response = member_client.post(
        reverse("communities:framing", args=[draft.slug]), framing_data(draft, **overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Community.objects.values().get(pk=draft.pk) == before
    # The heading still shows what is saved, the form keeps what was typed.
    assert response.context["community"].title == draft.title


@pytest.mark.parametrize(
    ("due_date", "message"), [(days(-3), "in the past"), (days(500), "after the planned end")]
)
def test_milestone_dates_are_checked(member_client, draft, due_date, message):
    data = framing_data(draft, milestones=[{"title": "Atelier", "due_date": due_date}])
    response = member_client.post(reverse("communities:framing", args=[draft.slug]), data)
    assert response.status_code == 200
    milestone_form = response.context["sections"][5]["entries"][0]["formset"].forms[0]
    assert message in " ".join(milestone_form.errors["due_date"])
    assert message in response.content.decode()
    assert not Milestone.objects.exists()
    draft.refresh_from_db()
    assert draft.problem_statement == ""


def test_a_past_milestone_already_saved_does_not_block_saving(member_client, draft):
    Milestone.objects.create(community=draft, title="Lancement", due_date=days(-20), done=True)
    response = member_client.post(
        reverse("communities:framing", args=[draft.slug]), framing_data(draft, purpose="Neuf")
    )
    assert response.status_code == 302


def test_a_forged_post_to_another_community_changes_nothing(client, draft):
    network_member = UserFactory()
    client.force_login(network_member)
    response = client.post(
        reverse("communities:framing", args=[draft.slug]), framing_data(draft, title="Piraté")
    )
    assert response.status_code == 404  # a draft is invisible to non-leads
    published = CommunityFactory()
    inner = add_member(published, Role.INNER).user
    client.force_login(inner)
    response = client.post(
        reverse("communities:framing", args=[published.slug]),
        framing_data(published, title="Piraté"),
    )
    assert response.status_code == 403
    assert not Community.objects.filter(title="Piraté").exists()


def test_co_lead_edits_the_framing(client, draft):
    co_lead = add_member(draft, Role.CO_LEAD).user
    client.force_login(co_lead)
    response = client.post(
        reverse("communities:framing", args=[draft.slug]), framing_data(draft, purpose="Neuf")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.purpose == "Neuf"


def test_edits_while_in_review_are_refused_with_a_message(member_client, draft):
    Community.objects.filter(pk=draft.pk).update(state=State.IN_REVIEW)
    url = reverse("communities:framing", args=[draft.slug])
    response = member_client.post(url, framing_data(draft, title="Changé"), follow=True)
    assert "reviewing the framing" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title != "Changé"
    assert member_client.get(url).status_code == 302


def test_review_comments_are_shown_beside_the_fields(member_client, member, coordinator, draft):
    version = FramingVersion.objects.create(community=draft, number=1, snapshot={})
    Review.objects.create(
        version=version,
        reviewer=coordinator,
        decision=Decision.REQUEST_CHANGES,
        comment="Le cadrage est trop serré.",
        field_comments={"purpose": "Laissez de la place aux membres.", "milestones": "Datez-les."},
    )
    Community.objects.filter(pk=draft.pk).update(state=State.CHANGES_REQUESTED)
    response = member_client.get(reverse("communities:framing", args=[draft.slug]))
    html = response.content.decode()
    assert "Le cadrage est trop serré." in html
    purpose = html.index('id="entry-purpose"')
    assert html.index("Laissez de la place aux membres.", purpose) < html.index(
        'name="purpose"', purpose
    )
    assert html.index("Datez-les.") > html.index('id="entry-milestones"')
    assert set(SNAPSHOT_FIELDS) >= {"purpose", "milestones"}


# --- submit -----------------------------------------------------------------------------------


def test_submitting_an_incomplete_framing_lists_what_is_missing(member_client, draft):
    response = member_client.post(reverse("communities:submit", args=[draft.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The framing cannot be submitted yet" in html
    form = response.context["form"]
    assert form.errors["problem_statement"]
    assert form.errors["kind"]
    assert "themes" not in form.errors
    assert not any(
        label == SNAPSHOT_FIELDS["milestones"] for label, *_ in response.context["summary"]
    )
    # The recommended parts are listed with why they help, apart from what blocks.
    keys = [key for key, *_rest in response.context["recommendations"]]
    assert {"milestones", "themes"} <= set(keys)
    assert "Recommended, not required" in html
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert not FramingVersion.objects.exists()


def test_submit_from_the_editor_saves_then_submits(
    member_client, coordinator, draft, django_capture_on_commit_callbacks
):
    data = framing_data(draft, milestones=[{"title": "Atelier", "due_date": days(30)}])
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("communities:submit", args=[draft.slug]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW
    assert draft.framing_versions.get().number == 1
    assert draft.state_changes.filter(to_state=State.IN_REVIEW).exists()
    assert Notification.objects.filter(recipient=coordinator, kind="community.submitted").exists()


def test_submit_from_the_editor_with_missing_parts_keeps_the_edits(member_client, draft):
    data = framing_data(draft, purpose="Un objet écrit", kind="")
    response = member_client.post(reverse("communities:submit", args=[draft.slug]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    draft.refresh_from_db()
    assert draft.purpose == "Un objet écrit"
    assert draft.state == State.DRAFT


def test_only_leads_submit(client, draft):
    published = CommunityFactory(state=State.ACTIVE)
    inner = add_member(published, Role.INNER).user
    client.force_login(inner)
    assert client.post(reverse("communities:submit", args=[published.slug])).status_code == 403
    assert client.post(reverse("communities:submit", args=[draft.slug])).status_code == 404
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_submit_needs_post(member_client, draft):
    assert member_client.get(reverse("communities:submit", args=[draft.slug])).status_code == 405


def test_a_framing_with_the_four_required_parts_is_submitted_and_reviewed_with_recommendations(
    member_client, coordinator, client, draft
):
    data = framing_data(draft)
    for name in ("themes", "objective_types", "expected_production_kinds", "end_date",
                 "duration_months"):  # fmt: skip
        data.pop(name, None)
    response = member_client.post(reverse("communities:submit", args=[draft.slug]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW
    client.force_login(coordinator)
    response = client.get(reverse("communities:review", args=[draft.slug]))
    keys = [key for key, *_rest in response.context["recommendations"]]
    assert {"milestones", "themes", "objective_types"} <= set(keys)
    assert 'class="framing-recommendations' in response.content.decode()


def test_open_ended_with_an_end_date_shows_the_error_beside_the_field(member_client, draft):
    data = framing_data(draft, open_ended="on", end_date=days(200))
    response = member_client.post(reverse("communities:framing", args=[draft.slug]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["open_ended"]
    draft.refresh_from_db()
    assert not draft.open_ended
