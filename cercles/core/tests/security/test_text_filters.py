"""Found from outside: text filters only match what the person may read.

The catalogue's words (`q`) searched the problem statement of every community, so anyone signed
in could confirm a phrase of a private community's hidden framing. The API's detail showed it.
"""

import pytest

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.models import Visibility
from cercles.communities.tests.factories import CommunityFactory, MembershipFactory

SECRET = "conflit foncier entre chefferies de Kolda"


@pytest.fixture
def private(db):
    return CommunityFactory(
        title="Cercle fermé",
        visibility=Visibility.PRIVATE,
        problem_statement=f"Le {SECRET} bloque les forages.",
    )


def titles(client, q, url="/communities/"):
    html = client.get(url, {"q": q}).content.decode()
    return "Cercle fermé" in html


@pytest.mark.django_db
def test_catalogue_words_never_match_a_private_framing_for_outsiders(client, private):
    client.force_login(UserFactory())
    assert not titles(client, SECRET)
    # The title, which the catalogue shows, is still searchable.
    assert titles(client, "Cercle fermé")


@pytest.mark.django_db
def test_catalogue_words_match_the_framing_for_those_who_may_read_it(client, private):
    member = MembershipFactory(community=private).user
    client.force_login(member)
    assert titles(client, SECRET)
    client.force_login(CoordinatorFactory())
    assert titles(client, SECRET)


@pytest.mark.django_db
def test_network_framing_searchable_by_members_of_the_network_only(client):
    CommunityFactory(title="Cercle fermé", visibility=Visibility.NETWORK, problem_statement=SECRET)
    client.force_login(UserFactory())
    assert titles(client, SECRET)


@pytest.mark.django_db
def test_api_catalogue_and_detail_hide_a_private_framing(client, private):
    client.force_login(UserFactory())
    listed = client.get("/api/communities", {"q": SECRET}).json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert items == []
    detail = client.get(f"/api/communities/{private.slug}").json()
    assert SECRET not in str(detail)
    assert detail["problem_statement"] == "" and detail["positioning"] == ""
