from django.utils.translation import gettext_lazy as _

# Languages practitioners of a French-speaking network commonly speak; stored as ISO 639 codes.
SPOKEN_LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("nl", _("Dutch")),
    ("wo", _("Wolof")),
    ("bm", _("Bambara")),
    ("dyu", _("Dioula")),
    ("ff", _("Fula")),
    ("mos", _("Mooré")),
    ("fon", _("Fon")),
    ("yo", _("Yoruba")),
    ("ha", _("Hausa")),
    ("ln", _("Lingala")),
    ("sw", _("Swahili")),
    ("mg", _("Malagasy")),
    ("ht", _("Haitian Creole")),
]
SPOKEN_LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)
