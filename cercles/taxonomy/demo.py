from .models import Theme
from .services import ensure_sdg_themes

NETWORK_THEMES = [
    ("gouvernance-locale", "Gouvernance locale et décentralisation", "Local governance and decentralisation"),
    ("citoyennete-mondiale", "Éducation à la citoyenneté mondiale", "Global citizenship education"),
    ("economie-sociale", "Économie sociale et solidaire", "Social and solidarity economy"),
    ("jeunesse", "Jeunesse et engagement", "Youth and engagement"),
]


def seed(stdout):
    ensure_sdg_themes()
    for position, (slug, name_fr, name_en) in enumerate(NETWORK_THEMES, start=50):
        Theme.objects.get_or_create(
            slug=slug, defaults={"name_fr": name_fr, "name_en": name_en, "position": position}
        )
