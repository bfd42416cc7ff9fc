"""The accent-insensitive text filter, on whichever database the tests run (SQLite or
PostgreSQL): the same results on both."""

import pytest

from cercles.accounts.models import User
from cercles.accounts.tests.factories import UserFactory
from cercles.core.lookups import fold

pytestmark = pytest.mark.django_db


def test_fold():
    assert fold("Éducation À LA Citoyenneté") == "education a la citoyennete"
    assert fold("Comités de l'eau – Ségou") == "comites de l'eau – segou"
    assert fold(None) == ""


@pytest.mark.parametrize(
    ("query", "found"),
    [("education", True), ("ÉDUCATION", True), ("Educâtion", True), ("comite", True),
     ("sante", False), ("%", False), ("_", False)],
)  # fmt: skip
def test_unaccent_icontains(query, found):
    person = UserFactory(organisation="Éducation populaire et Comités")
    result = User.objects.filter(pk=person.pk, organisation__unaccent_icontains=query).exists()
    assert result is found


def test_the_directory_ignores_accents(member_client):
    from django.urls import reverse

    UserFactory(display_name="Hélène Ouédraogo", organisation="Réseau santé")
    response = member_client.get(reverse("people:directory"), {"q": "helene ouedraogo"})
    assert [p.display_name for p in response.context["page"]] == ["Hélène Ouédraogo"]
    response = member_client.get(reverse("people:directory"), {"q": "reseau sante"})
    assert "Hélène Ouédraogo" in [p.display_name for p in response.context["page"]]
