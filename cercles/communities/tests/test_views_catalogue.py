import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.catalogue import Recommendation
from cercles.communities.lifecycle import State
from cercles.communities.models import MembershipStatus, Role, Visibility
from cercles.taxonomy.models import Territory, Theme

from .factories import CommunityFactory, add_member

URL = reverse("communities:catalogue")

pytestmark = pytest.mark.django_db


@pytest.fixture
def water():
    return Theme.objects.get(slug="odd-6")


@pytest.fixture
def education():
    return Theme.objects.get(slug="odd-4")


@pytest.fixture
def senegal():
    return Territory.objects.create(
        slug="senegal", name_fr="Sénégal", name_en="Senegal", countries=["SN"]
    )


@pytest.fixture
def quebec():
    return Territory.objects.create(
        slug="quebec", name_fr="Québec", name_en="Quebec", countries=["CA"]
    )


def titles(response, key="page"):
    return [c.title for c in response.context[key]]


def recommended(response):
    return [r.community.title for r in response.context["recommendations"]]


def test_visitors_see_published_public_communities_only(client):
    CommunityFactory(title="Publique", visibility=Visibility.PUBLIC)
    CommunityFactory(title="Réseau", visibility=Visibility.NETWORK)
    CommunityFactory(title="Privée", visibility=Visibility.PRIVATE)
    CommunityFactory(title="Brouillon public", visibility=Visibility.PUBLIC, state=State.DRAFT)
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Publique"]
    assert "Réseau" not in response.content.decode()


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_signed_in_people_see_every_published_community_but_no_draft(client, who, coordinator):
    person = coordinator if who == "coordinator" else UserFactory()
    for title, visibility in [("A pub", "public"), ("B res", "network"), ("C priv", "private")]:
        CommunityFactory(title=title, visibility=visibility)
    for state in [State.DRAFT, State.IN_REVIEW, State.CHANGES_REQUESTED, State.DECLINED]:
        CommunityFactory(title=f"Z {state}", state=state, lead=person)
    client.force_login(person)
    assert titles(client.get(URL)) == ["A pub", "B res", "C priv"]


def test_card_shows_the_presentation(member_client, water, senegal):
    community = CommunityFactory(title="Eau au Sahel", kind="territorial", member_count=7)
    community.territories.add(senegal)
    body = member_client.get(URL).content.decode()
    assert f'href="{community.get_absolute_url()}"' in body
    assert "Eau au Sahel" in body
    assert "Produire un guide" in body
    assert water.name in body
    assert "Sénégal" in body
    assert "7 / 5–20" in body
    assert community.lead.name in body


def test_filter_by_theme_territory_kind_and_objective(member_client, water, education, senegal):
    a = CommunityFactory(title="A", kind="thematic", objective_types=["exchange"])
    b = CommunityFactory(title="B", kind="territorial", objective_types=["change", "testing"])
    b.themes.set([education])
    b.territories.add(senegal)
    assert titles(member_client.get(URL, {"theme": "odd-4"})) == ["B"]
    assert titles(member_client.get(URL, {"theme": "odd-6"})) == ["A"]
    assert titles(member_client.get(URL, {"territory": "senegal"})) == ["B"]
    assert titles(member_client.get(URL, {"kind": "thematic"})) == ["A"]
    assert titles(member_client.get(URL, {"objective": "change"})) == ["B"]
    assert titles(member_client.get(URL, {"objective": "exchange"})) == ["A"]
    assert titles(member_client.get(URL, {"objective": "solutions"})) == []
    assert a  # created for the negative cases


def test_status_filter(member_client):
    CommunityFactory(title="Ouverte", state=State.OPEN)
    CommunityFactory(title="Active avec place", state=State.ACTIVE)
    CommunityFactory(title="Active pleine", state=State.ACTIVE, member_count=20)
    CommunityFactory(title="Fermée", state=State.CLOSED)
    CommunityFactory(title="Archivée", state=State.ARCHIVED)
    CommunityFactory(title="Dissoute", state=State.DISSOLVED)
    assert titles(member_client.get(URL, {"status": "recruiting"})) == [
        "Active avec place",
        "Ouverte",
    ]
    assert titles(member_client.get(URL, {"status": "active"})) == [
        "Active avec place",
        "Active pleine",
    ]
    assert titles(member_client.get(URL, {"status": "closed"})) == [
        "Archivée",
        "Dissoute",
        "Fermée",
    ]


def test_text_filter_searches_title_purpose_and_problem_statement(member_client):
    CommunityFactory(title="Jeunes entrepreneurs", purpose="Incubateur", problem_statement="x")
    CommunityFactory(title="Citoyenneté", purpose="Éducation mondiale", problem_statement="y")
    CommunityFactory(title="Eau", purpose="z", problem_statement="Forages en panne")
    assert titles(member_client.get(URL, {"q": "entrepreneurs"})) == ["Jeunes entrepreneurs"]
    assert titles(member_client.get(URL, {"q": "MONDIALE"})) == ["Citoyenneté"]
    assert titles(member_client.get(URL, {"q": "forages"})) == ["Eau"]
    # Accents and case are ignored both ways (issue 11): "education" finds "Éducation".
    assert titles(member_client.get(URL, {"q": "education"})) == ["Citoyenneté"]
    assert titles(member_client.get(URL, {"q": "CITOYENNETE"})) == ["Citoyenneté"]
    assert titles(member_client.get(URL, {"q": "Forâges"})) == ["Eau"]
    assert titles(member_client.get(URL, {"q": "100%_"})) == []


def test_selected_filters_are_kept_in_the_form(member_client):
    body = member_client.get(URL, {"q": "eau", "kind": "thematic", "status": "active"})
    html = body.content.decode()
    assert 'value="eau"' in html
    assert '<option value="thematic" selected>' in html
    assert '<option value="active" selected>' in html


def test_unknown_filter_value_is_ignored_with_a_message(member_client):
    CommunityFactory(title="A")
    response = member_client.get(URL, {"theme": "nope", "kind": "thematic"})
    assert titles(response) == ["A"]
    assert response.context["form"].errors["theme"]


def test_pagination_keeps_the_filters(member_client):
    lead = UserFactory()
    for n in range(14):
        CommunityFactory(title=f"Eau {n:02}", lead=lead, kind="thematic")
    CommunityFactory(title="Autre", lead=lead, kind="territorial")
    first = member_client.get(URL, {"kind": "thematic"})
    assert len(first.context["page"]) == 12
    html = first.content.decode()
    assert "?kind=thematic&amp;page=2" in html
    second = member_client.get(URL, {"kind": "thematic", "page": 2})
    assert titles(second) == ["Eau 12", "Eau 13"]


def test_ended_communities_come_after_those_still_running(member_client):
    CommunityFactory(title="A fermée", state=State.CLOSED)
    CommunityFactory(title="B ouverte", state=State.OPEN)
    assert titles(member_client.get(URL)) == ["B ouverte", "A fermée"]


# --- recommendations --------------------------------------------------------------------------


@pytest.fixture
def profile(member, water, education):
    member.themes.set([water, education])
    member.country = "SN"
    member.save()
    return member


def test_recommendations_ranked_by_overlap_with_reasons(
    member_client, profile, water, education, senegal, quebec
):
    two_themes = CommunityFactory(title="Deux thèmes")
    two_themes.themes.add(education)
    themes_and_country = CommunityFactory(title="Thème et pays")
    themes_and_country.territories.add(senegal)
    CommunityFactory(title="Un thème")
    elsewhere = CommunityFactory(title="Ailleurs", with_framing=False)
    elsewhere.territories.add(quebec)
    unrelated = CommunityFactory(title="Sans rapport", with_framing=False)
    assert unrelated
    response = member_client.get(URL)
    # Two shared themes and "one theme + the country" both score 2; more themes first.
    assert recommended(response) == ["Deux thèmes", "Thème et pays", "Un thème"]
    by_title = {r.community.title: r for r in response.context["recommendations"]}
    assert by_title["Thème et pays"].shared_themes == [water]
    assert by_title["Thème et pays"].country == "Sénégal"
    assert by_title["Deux thèmes"].shared_themes == [education, water]
    assert by_title["Deux thèmes"].country == ""
    html = response.content.decode()
    assert html.index("Deux thèmes") < html.index("Ailleurs")


def test_reasons_are_shown_on_the_card(member_client, profile, water, senegal):
    community = CommunityFactory(title="Eau locale")
    community.territories.add(senegal)
    html = member_client.get(URL).content.decode()
    reasons = html[html.index('class="recommendation-reasons"') :]
    reasons = reasons[: reasons.index("</ul>")]
    assert water.name_fr in reasons
    assert "Sénégal" in reasons
    with translation.override("en"):
        recommendation = Recommendation(community, shared_themes=[water], country="Senegal")
        assert recommendation.reasons == [
            f"Shares your themes: {water.name_en}",
            "In your country: Senegal",
        ]


def test_recommendations_skip_my_communities_and_those_not_recruiting(member_client, profile):
    mine = CommunityFactory(title="La mienne")
    add_member(mine, Role.INNER, user=profile)
    asked = CommunityFactory(title="Demandée", visibility=Visibility.PRIVATE)
    add_member(asked, Role.OUTER, MembershipStatus.PENDING, user=profile)
    left = CommunityFactory(title="Quittée")
    add_member(left, Role.OUTER, MembershipStatus.LEFT, user=profile)
    CommunityFactory(title="Fermée", state=State.CLOSED)
    CommunityFactory(title="Pleine", member_count=20)
    assert recommended(member_client.get(URL)) == ["Quittée"]


def test_recommendations_follow_the_filters_and_only_on_the_first_page(member_client, profile):
    lead = UserFactory()
    for n in range(13):
        CommunityFactory(title=f"Eau {n:02}", lead=lead)
    assert len(recommended(member_client.get(URL))) == 3
    assert recommended(member_client.get(URL, {"q": "Eau 05"})) == ["Eau 05"]
    assert recommended(member_client.get(URL, {"page": 2})) == []
    html = member_client.get(URL).content.decode()
    assert html.index("recommended-heading") < html.index("catalogue-heading")


def test_no_recommendation_for_visitors_or_an_empty_profile(client, member):
    CommunityFactory(visibility=Visibility.PUBLIC)
    assert client.get(URL).context["recommendations"] == []
    client.force_login(member)  # no theme; the factory's country matches no territory
    assert client.get(URL).context["recommendations"] == []


def _create(count, lead, themes, territories):
    for _ in range(count):
        community = CommunityFactory(lead=lead, with_framing=False)
        community.themes.set(themes)
        community.territories.set(territories)


def test_catalogue_costs_the_same_with_10_and_200_communities(
    member_client, profile, water, education, senegal, django_assert_max_num_queries
):
    lead = UserFactory()
    _create(10, lead, [water, education], [senegal])

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = member_client.get(URL)
        assert response.status_code == 200
        return len(queries)

    few = measure()
    _create(190, lead, [water, education], [senegal])
    with django_assert_max_num_queries(few):
        response = member_client.get(URL)
    assert len(response.context["recommendations"]) == 3
    assert response.context["page"].paginator.count == 200
    assert measure() == few


def test_recommendation_by_country_alone(member_client, member, senegal):
    local = CommunityFactory(title="Locale", with_framing=False)
    local.territories.add(senegal)
    CommunityFactory(title="Lointaine", with_framing=False)
    (recommendation,) = member_client.get(URL).context["recommendations"]
    assert recommendation.community == local
    assert (recommendation.shared_themes, recommendation.country) == ([], "Sénégal")
