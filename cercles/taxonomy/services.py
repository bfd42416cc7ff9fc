from django.db import transaction

from cercles.core.audit import record_event

from .models import Skill, Theme


def skills_from_names(names):
    """Existing skills matching the names (case-insensitively), created when new."""
    skills = []
    for raw in names:
        name = " ".join(raw.split())[:60]
        if not name:
            continue
        skill = Skill.objects.filter(name__iexact=name).first()
        if skill is None:
            skill, _ = Skill.objects.get_or_create(
                slug=Skill.slug_for(name), defaults={"name": name}
            )
        if skill not in skills:
            skills.append(skill)
    return skills


@transaction.atomic
def save_theme(actor, theme):
    """Create or update a theme of the taxonomy (coordinators only, checked by the caller)."""
    created = theme.pk is None
    theme.full_clean()
    theme.save()
    record_event(actor, "theme.created" if created else "theme.updated", theme, slug=theme.slug)
    return theme


SDG_THEMES = [
    # (number, French, English) — official short names of the 17 Sustainable Development Goals.
    (1, "Pas de pauvreté", "No poverty"),
    (2, "Faim « zéro »", "Zero hunger"),
    (3, "Bonne santé et bien-être", "Good health and well-being"),
    (4, "Éducation de qualité", "Quality education"),
    (5, "Égalité entre les sexes", "Gender equality"),
    (6, "Eau propre et assainissement", "Clean water and sanitation"),
    (7, "Énergie propre et d'un coût abordable", "Affordable and clean energy"),
    (8, "Travail décent et croissance économique", "Decent work and economic growth"),
    (9, "Industrie, innovation et infrastructure", "Industry, innovation and infrastructure"),
    (10, "Inégalités réduites", "Reduced inequalities"),
    (11, "Villes et communautés durables", "Sustainable cities and communities"),
    (12, "Consommation et production responsables", "Responsible consumption and production"),
    (13, "Mesures relatives à la lutte contre les changements climatiques", "Climate action"),
    (14, "Vie aquatique", "Life below water"),
    (15, "Vie terrestre", "Life on land"),
    (16, "Paix, justice et institutions efficaces", "Peace, justice and strong institutions"),
    (17, "Partenariats pour la réalisation des objectifs", "Partnerships for the goals"),
]


def ensure_sdg_themes():
    """Create the 17 SDG themes if missing (used by the data migration and the demo)."""
    for number, name_fr, name_en in SDG_THEMES:
        Theme.objects.get_or_create(
            slug=f"odd-{number}",
            defaults={
                "sdg_number": number,
                "name_fr": name_fr,
                "name_en": name_en,
                "position": number,
            },
        )
