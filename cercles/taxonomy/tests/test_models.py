import pytest
from django.utils import translation

from cercles.taxonomy.models import Skill, Theme
from cercles.taxonomy.services import SDG_THEMES

from .factories import ThemeFactory


@pytest.mark.django_db
def test_the_17_sdg_themes_exist_after_migrations_in_french_and_english():
    themes = Theme.objects.filter(sdg_number__isnull=False).order_by("sdg_number")
    assert [t.sdg_number for t in themes] == list(range(1, 18))
    for theme in themes:
        assert theme.slug == f"odd-{theme.sdg_number}"
        assert theme.name_fr and theme.name_en and theme.name_fr != theme.name_en
        assert theme.is_active
    water = themes.get(sdg_number=6)
    assert (water.name_fr, water.name_en) == (
        "Eau propre et assainissement",
        "Clean water and sanitation",
    )
    assert {(t.sdg_number, t.name_fr, t.name_en) for t in themes} == set(SDG_THEMES)


@pytest.mark.django_db
def test_sdg_themes_come_first_in_order():
    ThemeFactory(name_fr="Jeunesse", position=50)
    assert [t.sdg_number for t in Theme.objects.all()[:17]] == list(range(1, 18))


@pytest.mark.django_db
def test_theme_name_follows_the_active_language():
    theme = Theme.objects.get(sdg_number=4)
    with translation.override("fr"):
        assert theme.name == "Éducation de qualité"
        assert str(theme) == "Éducation de qualité"
    with translation.override("en"):
        assert theme.name == "Quality education"
        assert str(theme) == "Quality education"
    with translation.override("en-gb"):
        assert theme.name == "Quality education"


@pytest.mark.django_db
def test_theme_label_numbers_sdgs_only():
    sdg = Theme.objects.get(sdg_number=13)
    other = ThemeFactory(name_fr="Jeunesse", name_en="Youth")
    with translation.override("en"):
        assert sdg.label == "SDG 13 · Climate action"
        assert other.label == "Youth"
    with translation.override("fr"):
        assert sdg.label.startswith("ODD 13 · ") or sdg.label.startswith("SDG 13 · ")
        assert other.label == "Jeunesse"


@pytest.mark.django_db
def test_active_themes():
    withdrawn = ThemeFactory(is_active=False)
    assert withdrawn not in Theme.objects.active()
    assert Theme.objects.active().count() == 17


@pytest.mark.django_db
def test_skill_names_are_unique_whatever_the_case():
    from django.db import IntegrityError

    Skill.objects.create(name="Plaidoyer", slug="plaidoyer")
    with pytest.raises(IntegrityError):
        Skill.objects.create(name="PLAIDOYER", slug="plaidoyer-2")


def test_skill_slug_for():
    assert Skill.slug_for("Gestion de l'eau") == "gestion-de-leau"
    assert Skill.slug_for("Éducation populaire") == "education-populaire"
    assert Skill.slug_for("!!!") == "skill"
