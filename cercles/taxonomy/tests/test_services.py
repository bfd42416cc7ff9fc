import pytest
from django.core.exceptions import ValidationError

from cercles.core.audit import events_for
from cercles.taxonomy.models import Skill, Theme
from cercles.taxonomy.services import ensure_sdg_themes, save_theme, skills_from_names


@pytest.mark.django_db
class TestSkillsFromNames:
    def test_creates_new_skills(self):
        skills = skills_from_names(["Cartographie", "Plaidoyer"])
        assert [s.name for s in skills] == ["Cartographie", "Plaidoyer"]
        assert all(s.pk for s in skills)
        assert Skill.objects.count() == 2

    def test_dedupes_names_that_differ_by_case_and_spaces(self):
        skills = skills_from_names(
            ["Gestion de projet", "gestion DE projet", "  Gestion   de projet ", "", "   "]
        )
        assert len(skills) == 1
        assert skills[0].name == "Gestion de projet"
        assert Skill.objects.count() == 1

    def test_reuses_existing_skills(self):
        existing = Skill.objects.create(name="Agroécologie", slug="agroecologie")
        assert skills_from_names(["agroécologie"]) == [existing]
        assert skills_from_names(["AGROÉCOLOGIE"]) == [existing]
        assert skills_from_names(["Agroecologie"]) == [existing]
        assert Skill.objects.count() == 1

    def test_keeps_the_order_given(self):
        Skill.objects.create(name="Budget", slug="budget")
        assert [s.name for s in skills_from_names(["Zèbre", "budget", "Abeille"])] == [
            "Zèbre", "Budget", "Abeille",
        ]  # fmt: skip

    def test_long_names_are_cut(self):
        (skill,) = skills_from_names(["x" * 100])
        assert skill.name == "x" * 60


@pytest.mark.django_db
class TestSaveTheme:
    def test_creates_and_records(self, coordinator):
        theme = save_theme(coordinator, Theme(slug="jeunesse", name_fr="Jeunesse", name_en="Youth"))
        assert Theme.objects.get(slug="jeunesse") == theme
        event = events_for(theme).get()
        assert (event.action, event.actor, event.details) == (
            "theme.created", coordinator, {"slug": "jeunesse"},
        )  # fmt: skip

    def test_updates_and_records(self, coordinator):
        theme = Theme.objects.get(sdg_number=1)
        theme.name_en = "End poverty"
        save_theme(coordinator, theme)
        assert Theme.objects.get(sdg_number=1).name_en == "End poverty"
        assert events_for(theme).get().action == "theme.updated"

    def test_refuses_invalid_themes(self, coordinator):
        with pytest.raises(ValidationError):
            save_theme(coordinator, Theme(slug="odd-1", name_fr="Doublon", name_en="Duplicate"))
        with pytest.raises(ValidationError):
            save_theme(coordinator, Theme(slug="vide", name_fr="", name_en="Empty"))
        assert not Theme.objects.filter(name_en__in=["Duplicate", "Empty"]).exists()


@pytest.mark.django_db
def test_ensure_sdg_themes_is_idempotent_and_restores_missing_ones():
    Theme.objects.filter(sdg_number=17).delete()
    ensure_sdg_themes()
    ensure_sdg_themes()
    assert Theme.objects.filter(sdg_number__isnull=False).count() == 17
    assert Theme.objects.get(sdg_number=17).name_en == "Partnerships for the goals"
