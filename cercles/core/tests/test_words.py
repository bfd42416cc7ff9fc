import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

from cercles.core.words import ago, elide, first_day_format, of_name


def render(source, **context):
    return Template("{% load cercles %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Membres de Eau et assainissement", "Membres d’Eau et assainissement"),
        ("Jalons de Agroécologie", "Jalons d’Agroécologie"),
        ("Supprimer le compte de Awa Diallo", "Supprimer le compte d’Awa Diallo"),
        ("en tant que observateur·rice", "en tant qu’observateur·rice"),
        ("Membres de Saison sèche", "Membres de Saison sèche"),
        ("Membres de « Eau »", "Membres de « Eau »"),
        ("Statut de Hélène", "Statut de Hélène"),  # no guess before an h
        ("mode de emploi", "mode d’emploi"),
    ],
)
def test_french_elision(text, expected):
    assert elide(text, "fr") == expected


def test_elision_leaves_english_alone():
    assert elide("Members of Eau", "en") == "Members of Eau"
    with translation.override("en"):
        assert render("{{ t|elide }}", t="de Eau") == "de Eau"


def test_the_elide_filter_keeps_html_escaped_once():
    with translation.override("fr"):
        out = render(
            "{% filter elide %}Membres de {{ t }}{% endfilter %}", t="Eau & <assainissement>"
        )
    assert out == "Membres d’Eau &amp; &lt;assainissement&gt;"


def test_of_name_picks_de_d_or_de_l():
    assert of_name("Eau et assainissement", language="fr") == "d’Eau et assainissement"
    assert of_name("Agroécologie", article=True, language="fr") == "de l’Agroécologie"
    assert of_name("Saison sèche", language="fr") == "de Saison sèche"
    assert of_name("Water", language="en") == "of Water"


def test_first_of_the_month_reads_1er_in_french():
    assert first_day_format("j F Y", 1, "fr") == r"j\e\r F Y"
    assert first_day_format("l j F Y, H:i", 1, "fr") == r"l j\e\r F Y, H:i"
    assert first_day_format("j F Y", 2, "fr") == "j F Y"
    assert first_day_format("j F Y", 1, "en") == "j F Y"
    assert first_day_format("d/m/Y", 1, "fr") == "d/m/Y"


def test_the_date_filter_everywhere_says_1er():
    first, second = datetime.date(2027, 9, 1), datetime.date(2027, 9, 2)
    with translation.override("fr"):
        assert Template("{{ d|date }}").render(Context({"d": first})) == "1er septembre 2027"
        assert Template('{{ d|date:"DATE_FORMAT" }}').render(Context({"d": second})) == (
            "2 septembre 2027"
        )
        assert Template('{{ d|date:"l j F Y" }}').render(Context({"d": first})) == (
            "Mercredi 1er septembre 2027"
        )
        assert Template('{{ d|date:"j N Y" }}').render(Context({"d": first})) == "1er sept. 2027"
        assert Template('{{ d|date:"d/m/Y" }}').render(Context({"d": first})) == "01/09/2027"
    with translation.override("en"):
        assert Template("{{ d|date }}").render(Context({"d": first})) == "Sept. 1, 2027"


def test_timeline_months_are_not_ambiguous_in_french():
    june, july = datetime.date(2027, 6, 10), datetime.date(2027, 7, 10)
    with translation.override("fr"):
        labels = [Template('{{ d|date:"N" }}').render(Context({"d": d})) for d in (june, july)]
    assert labels == ["juin", "juil."]


def test_just_now_instead_of_zero_minutes():
    now = timezone.now()
    with translation.override("fr"):
        assert ago(now - datetime.timedelta(seconds=20), now) == "à l’instant"
        assert ago(now - datetime.timedelta(minutes=5), now) == "il y a 5\xa0minutes"
    with translation.override("en"):
        assert ago(now, now) == "just now"
        assert render("{{ t|ago }}", t=timezone.now()) == "just now"


def test_the_empty_choice_reads_as_words():
    class Form(forms.Form):
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)

    with translation.override("fr"):
        html = str(Form()["kind"])
    assert "---------" not in html
    assert "— Choisir —" in html
