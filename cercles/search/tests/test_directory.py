import pytest
from django.urls import reverse

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.models import MembershipStatus, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.search.directory import could_help
from cercles.taxonomy.models import Skill, Territory, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts():
    hydro = Skill.objects.create(name="Hydrogéologie", slug="hydrogeologie")
    facilitation = Skill.objects.create(name="Facilitation", slug="facilitation")
    awa = UserFactory(display_name="Awa Ndiaye", country="SN", organisation="Eau Vive")
    awa.skills.add(hydro)
    awa.spoken_languages = ["fr", "wo"]
    awa.save()
    paul = UserFactory(display_name="Paul Martin", country="FR", organisation="Cités Unies")
    paul.skills.add(facilitation)
    return {"awa": awa, "paul": paul, "hydro": hydro, "facilitation": facilitation}


def names(response):
    return [card.person.display_name for card in response.context["cards"]]


def test_directory_is_for_members(client):
    assert client.get(reverse("people:directory")).status_code == 302


def test_expert_by_skill_and_territory(client, member, experts):
    client.force_login(member)
    senegal = Territory.objects.filter(countries__icontains="SN").first()
    params = {"skill": experts["hydro"].slug}
    if senegal:
        params["territory"] = senegal.slug
    response = client.get(reverse("people:directory"), params)
    assert names(response) == ["Awa Ndiaye"]
    assert "Hydrogéologie" in response.content.decode()
    assert ("Compétence", "Hydrogéologie") in response.context["cards"][0].reasons


def test_text_search_without_accents_and_why(client, member, experts):
    client.force_login(member)
    response = client.get(reverse("people:directory"), {"q": "hydrogeologie"})
    assert names(response) == ["Awa Ndiaye"]
    assert ("Compétence", "Hydrogéologie") in response.context["cards"][0].reasons


def test_language_organisation_and_has_led(client, member, experts):
    client.force_login(member)
    response = client.get(reverse("people:directory"), {"language": "wo"})
    assert names(response) == ["Awa Ndiaye"]
    response = client.get(reverse("people:directory"), {"organisation": "cités"})
    assert names(response) == ["Paul Martin"]
    community = CommunityFactory(lead=experts["paul"])
    response = client.get(reverse("people:directory"), {"has_led": "on"})
    assert "Paul Martin" in names(response)
    assert "Awa Ndiaye" not in names(response)
    card = response.context["cards"][names(response).index("Paul Martin")]
    assert ("A porté", community.title) in card.reasons


@pytest.mark.parametrize(
    "params",
    [
        {"skill": "abc"},
        {"theme": "999999"},
        {"territory": "x"},
        {"language": "klingon"},
        {"q": "'&|!:*\"NEAR"},
        {"q": "x" * 1000},
        {"page": "99999"},
    ],
)
def test_bad_filters_never_fail(client, member, experts, params):
    client.force_login(member)
    assert client.get(reverse("people:directory"), params).status_code == 200


def test_directory_query_count(client, member, experts, django_assert_max_num_queries):
    for _ in range(10):
        UserFactory().skills.add(experts["hydro"])
    client.force_login(member)
    with django_assert_max_num_queries(12):
        client.get(reverse("people:directory"), {"q": "hydro", "has_led": "on"})
    with django_assert_max_num_queries(12):
        client.get(reverse("people:directory"))


def test_people_who_could_help(experts):
    community = CommunityFactory(
        purpose="Comprendre l'hydrogéologie des forages ruraux.", with_framing=False
    )
    theme = Theme.objects.get(slug="odd-6")
    community.themes.add(theme)
    themed = UserFactory(display_name="Théo Thème")
    themed.themes.add(theme)
    member = UserFactory(display_name="Déjà Membre")
    member.skills.add(experts["hydro"])
    add_member(community, user=member)
    helpers = [row["person"] for row in could_help(community)]
    assert helpers[0] == experts["awa"]  # a matching skill weighs more than a theme
    assert themed in helpers
    assert member not in helpers
    assert experts["paul"] not in helpers
    assert Role.LEAD and MembershipStatus.ACTIVE


def test_could_help_panel_is_for_the_leads(rf, experts):
    from cercles.search.home import could_help_context

    community = CommunityFactory(purpose="Hydrogéologie des forages.", with_framing=False)
    request = rf.get("/")
    request.user = community.lead
    context = could_help_context(request, community)
    assert [h["name"] for h in context["helpers"]] == ["Awa Ndiaye"]
    request.user = experts["paul"]
    assert could_help_context(request, community) is None


def test_the_technical_admin_account_is_in_neither_the_directory_nor_search(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        UserFactory(display_name="Administration Zorglub", is_staff=True, is_superuser=True)
        UserFactory(display_name="Coordinatrice Zorglub", is_staff=True, is_coordinator=True)
    client.force_login(member)
    listed = names(client.get(reverse("people:directory"), {"q": "Zorglub"}))
    assert listed == ["Coordinatrice Zorglub"]
    everyone = names(client.get(reverse("people:directory")))
    assert "Administration Zorglub" not in everyone
    response = client.get(reverse("search:search"), {"q": "Zorglub"})
    titles = [hit.entry.title for hit in response.context["results"].hits]
    assert "Administration Zorglub" not in titles
    assert "Coordinatrice Zorglub" in titles
