from .models import Territory, Theme
from .services import ensure_sdg_themes

NETWORK_THEMES = [
    (
        "gouvernance-locale",
        "Gouvernance locale et décentralisation",
        "Local governance and decentralisation",
    ),
    ("citoyennete-mondiale", "Éducation à la citoyenneté mondiale", "Global citizenship education"),
    ("economie-sociale", "Économie sociale et solidaire", "Social and solidarity economy"),
    ("jeunesse", "Jeunesse et engagement", "Youth and engagement"),
]


TERRITORIES = [
    ("sahel", "Sahel", "Sahel", ["SN", "BF", "ML", "NE", "TD", "MR"]),
    ("afrique-de-l-ouest", "Afrique de l'Ouest", "West Africa", ["SN", "BF", "BJ", "CI", "ML", "NE", "TG", "GN"]),
    ("senegal", "Sénégal", "Senegal", ["SN"]),
    ("burkina-faso", "Burkina Faso", "Burkina Faso", ["BF"]),
    ("benin", "Bénin", "Benin", ["BJ"]),
    ("cote-d-ivoire", "Côte d'Ivoire", "Côte d'Ivoire", ["CI"]),
    ("madagascar", "Madagascar", "Madagascar", ["MG"]),
    ("haiti", "Haïti", "Haiti", ["HT"]),
    ("quebec", "Québec", "Quebec", ["CA"]),
    ("belgique", "Belgique", "Belgium", ["BE"]),
    ("france", "France", "France", ["FR"]),
    ("tout-le-reseau", "Tout le réseau", "The whole network", []),
]  # fmt: skip


def seed(stdout):
    ensure_sdg_themes()
    for position, (slug, name_fr, name_en) in enumerate(NETWORK_THEMES, start=50):
        Theme.objects.get_or_create(
            slug=slug, defaults={"name_fr": name_fr, "name_en": name_en, "position": position}
        )
    for position, (slug, name_fr, name_en, countries) in enumerate(TERRITORIES, start=1):
        Territory.objects.get_or_create(
            slug=slug,
            defaults={
                "name_fr": name_fr,
                "name_en": name_en,
                "countries": countries,
                "position": position,
            },
        )
