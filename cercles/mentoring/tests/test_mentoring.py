"""Accompaniment: needs, mentors suggested and assigned (peers, former leads, third parties as
guests), the shared log, the closing assessment, mentors on the home and on profiles; bad input
and who sees what."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.mentoring import services
from cercles.mentoring.models import (
    MentoringSession,
    MentorKind,
    MentorProfile,
    Mentorship,
    NeedStatus,
    SupportNeed,
)
from cercles.notifications.models import Notification
from cercles.taxonomy.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


@pytest.fixture
def community():
    return CommunityFactory(visibility=Visibility.PRIVATE)


def need_of(community, **fields):
    return services.add_need(
        community.lead,
        community,
        **{"subject": "facilitation", "scope": "individual", "urgency": "normal",
           "description": "Animer une rencontre à distance", **fields},
    )  # fmt: skip


def former_lead():
    ended = CommunityFactory(state=State.CLOSED, title="Gestion des services d'eau")
    return ended.lead


# --- needs ---------------------------------------------------------------------------------------


def test_the_lead_asks_and_the_coordinators_hear(
    client, community, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(community.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentoring:need_new", args=[community.slug]),
            {
                "subject": "funding",
                "scope": "collective",
                "urgency": "high",
                "description": "Trouver un financement",
            },  # fmt: skip
        )
    need = SupportNeed.objects.get()
    assert response.status_code == 302 and need.status == NeedStatus.OPEN
    assert Notification.objects.filter(recipient=coordinator, kind="mentoring.need_added").exists()


def test_a_need_without_subject_is_refused_beside_the_field(client, community):
    client.force_login(community.lead)
    response = client.post(
        reverse("mentoring:need_new", args=[community.slug]),
        {"subject": "", "scope": "individual", "urgency": "normal", "description": "Gardé"},
    )
    assert response.status_code == 400
    assert response.context["need_form"].errors["subject"]
    assert "Gardé" in response.content.decode()


def test_the_framing_support_needs_prefill_the_first_need(client, community):
    community.support_needs = "Un appui méthodologique pour le guide"
    community.save()
    client.force_login(community.lead)
    response = client.get(reverse("mentoring:list", args=[community.slug]))
    assert "Un appui méthodologique" in response.content.decode()


def test_members_do_not_see_the_accompaniment(client, community):
    need = need_of(community)
    member = add_member(community, Role.CORE).user
    client.force_login(member)
    assert client.get(reverse("mentoring:list", args=[community.slug])).status_code == 404
    assert client.get(need.get_absolute_url()).status_code == 404


# --- suggestions and assignment ------------------------------------------------------------------


def test_former_leads_of_closed_communities_are_suggested_first(community):
    theme = Theme.objects.get(slug="odd-6")
    sharing = UserFactory(display_name="Aaron Partage")
    sharing.themes.add(theme)
    available = UserFactory(display_name="Abel Dispo")
    MentorProfile.objects.create(user=available, available=True, subjects=["facilitation"])
    veteran = former_lead()
    suggestions = services.suggest_mentors(need_of(community))
    people = [person for person, _reasons in suggestions]
    assert people[:3] == [veteran, available, sharing]
    assert "Gestion des services d'eau" in " ".join(suggestions[0][1])
    assert community.lead not in people


def test_a_coordinator_assigns_a_former_lead_who_reads_and_logs(
    client, community, coordinator, django_capture_on_commit_callbacks
):
    need = need_of(community)
    veteran = former_lead()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentoring:assign", args=[community.slug, need.pk]),
            {"mentor": veteran.username},
        )
    assert response.status_code == 302
    mentorship = Mentorship.objects.get()
    assert mentorship.mentor == veteran and mentorship.kind == MentorKind.PEER
    assert Notification.objects.filter(recipient=veteran, kind="mentoring.mentor_assigned").exists()
    assert Notification.objects.filter(
        recipient=community.lead, kind="mentoring.mentor_found"
    ).exists()
    # The mentor reads the private community as a member does, and keeps the log.
    client.force_login(veteran)
    assert client.get(community.get_absolute_url()).status_code == 200
    assert client.get(reverse("discussions:thread_list", args=[community.slug])).status_code == 200
    response = client.post(
        reverse("mentoring:log_session", args=[community.slug, mentorship.pk]),
        {
            f"s{mentorship.pk}-held_on": timezone.localdate().isoformat(),
            f"s{mentorship.pk}-format": "remote",
            f"s{mentorship.pk}-notes": "Préparer l'ordre du jour ensemble",
            f"s{mentorship.pk}-next_steps": "Tester le format jeudi",
        },  # fmt: skip
    )
    assert response.status_code == 302
    # The lead reads the log.
    client.force_login(community.lead)
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Préparer l&#x27;ordre du jour ensemble" in page or "Préparer l'ordre" in page
    assert "Tester le format jeudi" in page


def test_nobody_and_no_email_is_refused(client, community, coordinator):
    need = need_of(community)
    client.force_login(coordinator)
    url = reverse("mentoring:assign", args=[community.slug, need.pk])
    response = client.post(url, {"name": "Marie Tiers"})
    assert response.status_code == 400
    assert response.context["assign_form"].errors["email"]
    assert "Marie Tiers" in response.content.decode()
    response = client.post(url, {})
    assert response.status_code == 400
    assert response.context["assign_form"].non_field_errors()
    assert not Mentorship.objects.exists()
    with pytest.raises(ValidationError):
        services.assign_mentor(coordinator, need)


def test_a_third_party_needs_a_name(community, coordinator):
    need = need_of(community)
    with pytest.raises(ValidationError) as error:
        services.assign_mentor(coordinator, need, email="tiers@example.org")
    assert "name" in error.value.message_dict
    assert not Mentorship.objects.exists()


def test_a_lead_cannot_assign_mentors_to_their_own_community(community):
    lead_coordinator = community.lead
    lead_coordinator.is_coordinator = True
    lead_coordinator.save()
    need = need_of(community)
    with pytest.raises(ValidationError):
        services.assign_mentor(lead_coordinator, need, mentor=former_lead())
    assert not Mentorship.objects.exists()


def test_the_lead_or_co_lead_cannot_mentor_their_own_community(community, coordinator):
    need = need_of(community)
    co_lead = add_member(community, Role.CO_LEAD).user
    for person in (community.lead, co_lead):
        with pytest.raises(ValidationError):
            services.assign_mentor(coordinator, need, mentor=person)


def test_a_third_party_is_a_guest_of_that_community_only(
    client, community, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    need = need_of(community)
    other = CommunityFactory(visibility=Visibility.NETWORK)
    with django_capture_on_commit_callbacks(execute=True):
        mentorship = services.assign_mentor(
            coordinator, need, name="Claire Tiers", email="Claire.Tiers@example.org"
        )
    guest = mentorship.mentor
    assert guest.is_guest and mentorship.kind == MentorKind.THIRD_PARTY
    assert any("claire.tiers@example.org" in m.to for m in mailoutbox)
    client.force_login(guest)
    assert client.get(community.get_absolute_url()).status_code == 200
    assert client.get(need.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("discussions:thread_list", args=[other.slug])).status_code == 404
    # The accompaniment ends: so does the access.
    services.end_mentorship(coordinator, mentorship, assessment="Le guide est relu.")
    assert client.get(community.get_absolute_url()).status_code == 404


def test_ending_needs_an_assessment(client, community, coordinator):
    need = need_of(community)
    mentorship = services.assign_mentor(coordinator, need, mentor=former_lead())
    client.force_login(mentorship.mentor)
    response = client.post(
        reverse("mentoring:end", args=[community.slug, mentorship.pk]),
        {f"e{mentorship.pk}-assessment": " "},
    )
    assert response.status_code == 400
    mentorship.refresh_from_db()
    assert mentorship.ended_at is None
    services.end_mentorship(mentorship.mentor, mentorship, assessment="Utile")
    need.refresh_from_db()
    assert need.status == NeedStatus.CLOSED


def test_a_session_in_the_future_is_refused(community, coordinator):
    need = need_of(community)
    mentorship = services.assign_mentor(coordinator, need, mentor=former_lead())
    with pytest.raises(ValidationError):
        services.log_session(
            mentorship.mentor,
            mentorship,
            held_on=timezone.localdate() + datetime.timedelta(days=10),
            format="remote",
            notes="x",
        )
    assert not MentoringSession.objects.exists()


def test_only_the_mentor_logs_sessions(client, community, coordinator):
    need = need_of(community)
    mentorship = services.assign_mentor(coordinator, need, mentor=former_lead())
    client.force_login(community.lead)
    response = client.post(
        reverse("mentoring:log_session", args=[community.slug, mentorship.pk]),
        {
            f"s{mentorship.pk}-held_on": "2026-01-01",
            f"s{mentorship.pk}-format": "remote",
            f"s{mentorship.pk}-notes": "x",
        },  # fmt: skip
    )
    assert response.status_code == 403
    assert not MentoringSession.objects.exists()


# --- home and profiles ---------------------------------------------------------------------------


def test_mentors_appear_on_the_community_home(client, community, coordinator):
    need = need_of(community)
    veteran = former_lead()
    services.assign_mentor(coordinator, need, mentor=veteran)
    client.force_login(community.lead)
    page = client.get(community.get_absolute_url()).content.decode()
    assert veteran.name in page


def test_available_to_mentor_on_the_profile(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("mentoring:profile"), {"available": "on", "subjects": ["method", "funding"]}
    )
    assert response.status_code == 302
    client.force_login(UserFactory())
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Disponible pour accompagner" in page or "Available to mentor" in page


def test_the_need_page_costs_a_bounded_number_of_queries(
    client, community, coordinator, django_assert_max_num_queries
):
    need = need_of(community)
    for _ in range(3):
        mentorship = services.assign_mentor(coordinator, need, mentor=former_lead())
        services.log_session(
            mentorship.mentor, mentorship, held_on=timezone.localdate(), format="remote", notes="x"
        )
    client.force_login(coordinator)
    with django_assert_max_num_queries(25):
        assert client.get(need.get_absolute_url()).status_code == 200


# --- permission matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["outsider", "outer", "inner", "core", "co_lead", "lead",
                                  "coordinator", "ex_member", "mentor"])  # fmt: skip
def test_who_reads_the_accompaniment(role):
    from cercles.communities.tests.test_rules import person_with_role

    community = CommunityFactory(visibility=Visibility.NETWORK)
    need = need_of(community)
    if role == "mentor":
        person = former_lead()
        services.assign_mentor(CoordinatorFactory(), need, mentor=person)
    else:
        person = person_with_role(role, community)
    community = type(community).objects.get(pk=community.pk)  # no cached memberships
    allowed = role in {"co_lead", "lead", "coordinator", "mentor"}
    assert person.has_perm("mentoring.view_accompaniment", community) is allowed
    assert person.has_perm("mentoring.add_need", community) is (role in {"co_lead", "lead"})
    assert person.has_perm("mentoring.assign_mentor", community) is (role == "coordinator")
