"""The coordinators' follow-up: figures and flags, the dashboard, its CSV, the thresholds, the
follow-up page with its notes and messages to the lead; bad input; who sees what; cost."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Milestone, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.coordination import dashboard, services
from cercles.coordination.figures import refresh_figures
from cercles.coordination.follow_up import csv_lines, neutralise, rows_for
from cercles.coordination.models import CommunityFigures, FlagEvent, FollowUpNote, Thresholds
from cercles.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


def codes(community):
    return CommunityFigures.objects.get(community=community).flag_codes


def old(days):
    return timezone.now() - datetime.timedelta(days=days)


# --- figures and flags ---------------------------------------------------------------------------


def test_a_quiet_lonely_small_community_is_flagged_with_reasons():
    community = CommunityFactory()
    type(community).objects.filter(pk=community.pk).update(created_at=old(100))
    Milestone.objects.create(
        community=community, title="Guide", due_date=timezone.localdate() - datetime.timedelta(3)
    )
    refresh_figures()
    flags = codes(community)
    for code in ("no_activity", "no_meeting", "overdue_milestones", "no_co_lead", "below_target",
                 "next_steps_stale"):  # fmt: skip
        assert code in flags
    row = rows_for()[0]
    reasons = {flag.code: reason for flag, reason in row.flags}
    assert "100" in reasons["no_activity"]
    assert "1" in reasons["overdue_milestones"]


def test_a_lively_community_has_no_flag():
    from cercles.coordination.models import ProgressUpdate

    community = CommunityFactory(target_size_min=2)
    add_member(community, Role.CO_LEAD)
    ProgressUpdate.objects.create(community=community, author=community.lead, done="Atelier")
    type(community).objects.filter(pk=community.pk).update(next_steps_updated_at=timezone.now())
    refresh_figures()
    figures = CommunityFigures.objects.get(community=community)
    assert figures.updates_30 == 1
    assert figures.co_leads
    assert figures.flags == []


def test_a_framing_waiting_for_review_is_flagged_after_the_threshold():
    community = CommunityFactory(state=State.IN_REVIEW, submitted_at=old(12))
    fresh = CommunityFactory(state=State.IN_REVIEW, submitted_at=old(2))
    refresh_figures()
    assert codes(community) == ["review_waiting"]
    assert codes(fresh) == []


def test_flags_are_kept_as_history_raised_then_cleared():
    community = CommunityFactory()
    refresh_figures()
    assert FlagEvent.objects.filter(community=community, code="no_co_lead").count() == 1
    refresh_figures()  # still raised: no second event
    assert FlagEvent.objects.filter(community=community, code="no_co_lead").count() == 1
    add_member(community, Role.CO_LEAD)
    refresh_figures()
    event = FlagEvent.objects.get(community=community, code="no_co_lead")
    assert event.cleared_at is not None


def test_a_registered_flag_joins_the_dashboard():
    community = CommunityFactory()
    dashboard.register_flag(
        "test_flag", "Test", "Because %(why)s", lambda c, f, t, d: {"why": "tested"}
    )
    try:
        refresh_figures()
        assert "test_flag" in codes(community)
        reasons = [reason for _f, reason in rows_for()[0].flags]
        assert "Because tested" in reasons
    finally:
        dashboard.FLAGS.pop("test_flag")


# --- thresholds ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [-5, 0, 10_000])
def test_absurd_thresholds_are_refused_and_nothing_changes(client, coordinator, value):
    client.force_login(coordinator)
    data = dict.fromkeys(Thresholds.FIELDS, 30)
    data["inactivity_days"] = value
    response = client.post(reverse("follow_up:thresholds"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["inactivity_days"]
    assert str(value) in response.content.decode()  # the input is kept
    assert Thresholds.current().inactivity_days == 30
    assert Thresholds.current().meeting_gap_days == 60


def test_a_non_number_threshold_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("follow_up:thresholds"), {"inactivity_days": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_service_refuses_a_negative_threshold(coordinator):
    with pytest.raises(ValidationError):
        services.save_thresholds(coordinator, inactivity_days=-1)
    assert Thresholds.current().inactivity_days == 30


def test_changed_thresholds_recompute_the_flags(client, coordinator):
    community = CommunityFactory()
    type(community).objects.filter(pk=community.pk).update(created_at=old(20))
    refresh_figures()
    assert "no_activity" not in codes(community)
    client.force_login(coordinator)
    data = {name: getattr(Thresholds.current(), name) for name in Thresholds.FIELDS}
    data["inactivity_days"] = 10
    response = client.post(reverse("follow_up:thresholds"), data)
    assert response.status_code == 302
    assert "no_activity" in codes(community)


def test_only_coordinators_change_thresholds():
    with pytest.raises(PermissionDenied):
        services.save_thresholds(UserFactory(), inactivity_days=5)


# --- the dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_each_community_with_its_flags(client, coordinator):
    community = CommunityFactory(title="Eau du Sahel")
    refresh_figures()
    client.force_login(coordinator)
    response = client.get(reverse("follow_up:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Eau du Sahel" in page
    assert reverse("follow_up:community", args=[community.slug]) in page
    assert "Pas de copilote" in page or "No co-lead" in page


def test_the_dashboard_filters_by_flag_state_and_theme(client, coordinator):
    from cercles.taxonomy.models import Theme

    lonely = CommunityFactory(title="Seule")
    paired = CommunityFactory(title="En binôme", state=State.OPEN)
    add_member(paired, Role.CO_LEAD)
    refresh_figures()
    client.force_login(coordinator)
    url = reverse("follow_up:dashboard")
    titles = lambda r: [row.community.title for row in r.context["rows"]]  # noqa: E731
    assert titles(client.get(url, {"flag": "no_co_lead"})) == ["Seule"]
    assert titles(client.get(url, {"state": "open"})) == ["En binôme"]
    theme = Theme.objects.exclude(slug="odd-6").first()
    lonely.themes.set([theme])
    assert titles(client.get(url, {"theme": theme.pk})) == ["Seule"]


@pytest.mark.parametrize(
    "query",
    [
        {"state": "nowhere"},
        {"theme": "abc"},
        {"flag": "<script>"},
        {"sort": "x"},
        {"territory": "99999"},
        {"page": "zz"},
    ],  # fmt: skip
)
def test_bad_filters_are_ignored_without_error(client, coordinator, query):
    CommunityFactory()
    client.force_login(coordinator)
    response = client.get(reverse("follow_up:dashboard"), query)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1


@pytest.mark.parametrize("key", list(dashboard.COLUMNS))
def test_the_dashboard_sorts_by_every_column(client, coordinator, key):
    CommunityFactory(title="B")
    CommunityFactory(title="A", state=State.IN_REVIEW, submitted_at=old(3))
    refresh_figures()
    client.force_login(coordinator)
    for sort in (key, "-" + key):
        response = client.get(reverse("follow_up:dashboard"), {"sort": sort})
        assert response.status_code == 200
        assert len(response.context["rows"]) == 2


def test_sorted_by_title():
    CommunityFactory(title="Bravo")
    CommunityFactory(title="alpha")
    assert [r.community.title for r in rows_for(sort="title")] == ["alpha", "Bravo"]
    assert [r.community.title for r in rows_for(sort="-title")] == ["Bravo", "alpha"]


def test_the_dashboard_costs_the_same_for_3_or_30_communities(client, coordinator):
    client.force_login(coordinator)

    def count():
        refresh_figures()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("follow_up:dashboard")).status_code == 200
        return len(queries)

    for _ in range(3):
        add_member(CommunityFactory(), Role.CO_LEAD)
    few = count()
    for _ in range(27):
        CommunityFactory()
    many = count()
    assert few == many
    # The page's rows, their counts, the loaders' few queries, the person and session.
    assert many <= 15


def test_the_first_order_is_cut_in_the_database_as_every_row_would_sort(client, coordinator):
    from cercles.coordination.follow_up import dashboard_page

    titles = ["Delta", "alpha", "Charlie", "bravo", "Echo", "foxtrot", "Golf"]
    for n, title in enumerate(titles):
        community = CommunityFactory(title=title)
        if n % 3:  # some without stored figures at all
            CommunityFigures.objects.update_or_create(
                community=community, defaults={"flag_count": n % 4, "computed_at": timezone.now()}
            )
    everything = [r.community.title for r in rows_for()]
    shown = [
        r.community.title
        for number in (1, 2, 3)
        for r in dashboard_page(number, 3).page.object_list
    ]
    assert shown == everything
    first = dashboard_page(1, 3)
    assert first.total == len(titles) and first.page.paginator.num_pages == 3
    assert first.flagged == sum(1 for r in rows_for() if r.figures.flag_count)
    flagged = dashboard_page(1, 50, flag="any")
    assert [r.community.title for r in flagged.page.object_list] == [
        r.community.title for r in rows_for(flag="any")
    ]
    client.force_login(coordinator)
    page = client.get(reverse("follow_up:dashboard"), {"page": 99}).content.decode()
    assert "Golf" in page or "foxtrot" in page  # the last page, not an error


def test_refreshing_the_figures_costs_the_same_for_3_or_30_communities():
    def count():
        with CaptureQueriesContext(connection) as queries:
            refresh_figures()
        return len(queries)

    for _ in range(3):
        CommunityFactory()
    count()  # the first run raises the flags
    few = count()
    for _ in range(27):
        CommunityFactory()
    count()
    assert count() == few


def test_the_summary_strip(client, coordinator):
    CommunityFactory(member_count=3)
    CommunityFactory(state=State.OPEN)
    client.force_login(coordinator)
    summary = client.get(reverse("follow_up:dashboard")).context["summary"]
    assert summary["members"] == 2  # the two leads
    assert {str(label): n for label, n in summary["states"]}


def test_the_summary_strip_is_remembered_until_the_figures_are_refreshed(client, coordinator):
    client.force_login(coordinator)
    dashboard = reverse("follow_up:dashboard")
    before = client.get(dashboard).context["summary"]["members"]
    CommunityFactory(state=State.OPEN)  # a new lead takes part
    assert client.get(dashboard).context["summary"]["members"] == before
    client.post(reverse("follow_up:refresh"))
    assert client.get(dashboard).context["summary"]["members"] == before + 1


def test_the_dashboard_costs_at_most_12_queries_whatever_the_number_of_communities(
    client, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    for count in (3, 30):
        while Community.objects.count() < count:
            CommunityFactory()
        refresh_figures()
        client.get(reverse("follow_up:dashboard"))
        with django_assert_max_num_queries(12):
            assert client.get(reverse("follow_up:dashboard")).status_code == 200


# --- CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "\tx"])
def test_formulas_are_neutralised(value):
    assert neutralise(value).startswith("'")


def test_the_csv_is_what_the_table_shows_and_neutralises_titles(client, coordinator):
    CommunityFactory(title="=cmd|' /C calc'!A0")
    CommunityFactory(title="Eau", state=State.OPEN)
    refresh_figures()
    client.force_login(coordinator)
    response = client.get(reverse("follow_up:csv"), {"state": "active"})
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert len(lines) == 2  # the header and the one active community
    assert "'=cmd" in lines[1]
    assert "Eau" not in body
    assert response["Content-Type"].startswith("text/csv")


def test_the_csv_of_200_communities_streams_line_by_line():
    for _ in range(5):
        CommunityFactory()
    lines = csv_lines(rows_for())
    assert next(lines).startswith("\ufeff")
    assert len(list(lines)) == 5


# --- the follow-up page, notes and messages ------------------------------------------------------


def test_a_coordinator_writes_a_follow_up_note(client, coordinator):
    community = CommunityFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("follow_up:note", args=[community.slug]), {"body": "Appeler Awa jeudi."}
    )
    assert response.status_code == 302
    note = FollowUpNote.objects.get(community=community)
    assert note.author == coordinator and note.kind == FollowUpNote.Kind.NOTE
    page = client.get(reverse("follow_up:community", args=[community.slug]))
    assert "Appeler Awa jeudi." in page.content.decode()


def test_an_empty_note_is_refused_beside_its_field(client, coordinator):
    community = CommunityFactory()
    client.force_login(coordinator)
    response = client.post(reverse("follow_up:note", args=[community.slug]), {"body": "  "})
    assert response.status_code == 400
    assert response.context["note_form"].errors["body"]
    assert not FollowUpNote.objects.exists()


def test_follow_up_notes_are_never_shown_to_the_community(client, coordinator):
    community = CommunityFactory()
    services.add_follow_up_note(coordinator, community, "Note privée des coordinateurs")
    client.force_login(community.lead)
    assert client.get(reverse("follow_up:community", args=[community.slug])).status_code == 404
    home = client.get(community.get_absolute_url()).content.decode()
    assert "Note privée" not in home
    post = client.post(reverse("follow_up:note", args=[community.slug]), {"body": "x"})
    assert post.status_code == 404
    assert FollowUpNote.objects.count() == 1


def test_contacting_the_lead_sends_and_records(
    client, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    community = CommunityFactory()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("follow_up:contact", args=[community.slug]),
            {"subject": "Votre prochaine rencontre", "body": "Pouvons-nous en parler ?"},
        )
    assert response.status_code == 302
    note = FollowUpNote.objects.get(community=community)
    assert note.kind == FollowUpNote.Kind.CONTACT and note.recipient == community.lead
    sent = Notification.objects.filter(recipient=community.lead)
    assert [n.kind for n in sent] == ["coordination.message_to_lead"]
    assert any("Pouvons-nous en parler" in m.body for m in mailoutbox)


def test_contacting_the_lead_without_a_subject_keeps_the_message(client, coordinator):
    community = CommunityFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("follow_up:contact", args=[community.slug]), {"subject": "", "body": "Gardé"}
    )
    assert response.status_code == 400
    assert response.context["contact_form"].errors["subject"]
    assert "Gardé" in response.content.decode()
    assert not Notification.objects.exists()


def test_the_follow_up_page_of_a_draft_is_404(client, coordinator):
    community = CommunityFactory(state=State.DRAFT)
    client.force_login(coordinator)
    assert client.get(reverse("follow_up:community", args=[community.slug])).status_code == 404


def test_the_follow_up_page_costs_a_bounded_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    community = CommunityFactory()
    for i in range(5):
        services.add_follow_up_note(coordinator, community, f"Note {i}")
    refresh_figures()
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        client.get(reverse("follow_up:community", args=[community.slug]))


# --- every coordination address is 404 to members and leads --------------------------------------


def coordination_paths(community):
    """Every address under /coordination/, with sample arguments."""
    from cercles.core.tests.test_routes import project_routes

    values = {"slug": community.slug, "pk": 1, "username": community.lead.username}
    paths = []
    for name, pattern in project_routes():
        kwargs = {
            key: values.get(key, 1 if type(converter).__name__ == "IntConverter" else "x")
            for key, converter in pattern.pattern.converters.items()
        }
        path = reverse(name, kwargs=kwargs)
        if path.startswith("/coordination/"):
            paths.append(path)
    return paths


@pytest.mark.parametrize("who", ["member", "lead", "co_lead"])
def test_every_coordination_address_is_404_for_members_and_leads(client, who):
    community = CommunityFactory()
    person = {"member": lambda: add_member(community, Role.INNER).user,
              "lead": lambda: community.lead,
              "co_lead": lambda: add_member(community, Role.CO_LEAD).user}[who]()  # fmt: skip
    client.force_login(person)
    paths = coordination_paths(community)
    assert "/coordination/" in paths and len(paths) > 5
    for path in paths:
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code == 404, path


def test_visitors_are_sent_to_log_in(client):
    assert client.get(reverse("follow_up:dashboard")).status_code == 302
