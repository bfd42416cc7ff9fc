"""Words that read well in French as in English: elision, ordinals, "just now".

Small helpers for the phrases the application builds from names it does not know in advance
("Membres de %(title)s" with a title that starts with a vowel).
"""

import datetime
import re

from django.utils import timezone, translation
from django.utils.translation import gettext as _

VOWELS = "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒÆaeiouyàâäéèêëîïôöùûüÿœæ"
APOSTROPHE = "’"

# "de Eau" → "d’Eau", "que observateur" → "qu’observateur", "jusque à" → "jusqu’à". Not before
# an h: "de Hambourg" keeps its "de" (aspirated h), and a wrong "de Hélène" reads better than a
# wrong "d’Hambourg".
_ELIDABLE = re.compile(rf"\b(d|D|qu|Qu|jusqu|Jusqu|lorsqu|Lorsqu|puisqu|Puisqu)e ([{VOWELS}])")


def is_french(language=None):
    return (language or translation.get_language() or "").startswith("fr")


def elide(text, language=None):
    """French elision in a phrase built around a name: "Membres de Eau et assainissement" →
    "Membres d’Eau et assainissement". Other languages are returned as they are."""
    if not text or not is_french(language):
        return text
    return _ELIDABLE.sub(rf"\1{APOSTROPHE}\2", str(text))


def of_name(name, *, article=False, language=None):
    """ "de"/"d’" (or with `article`, "de la"/"de l’") before a name, in French; "of" in
    English: "d’Eau et assainissement", "de l’Agroécologie", "of Water"."""
    name = str(name)
    if not is_french(language):
        return f"of {name}"
    starts_with_vowel = name[:1] in VOWELS
    if article:
        return f"de l{APOSTROPHE}{name}" if starts_with_vowel else f"de la {name}"
    return f"d{APOSTROPHE}{name}" if starts_with_vowel else f"de {name}"


def first_day_format(format_string, day, language=None):
    """A date format where the first of the month reads "1er" in French ("1er septembre"):
    the day (`j`) followed by a month's name gets a literal "er"."""
    if day != 1 or not is_french(language):
        return format_string
    return re.sub(r"(?<!\\)j(?= +[FEN])", r"j\\e\\r", format_string)


def format_date(value, format_name="DATE_FORMAT"):
    """A date in the active language's format, "1er" included: what the `date` filter shows."""
    from django.utils.formats import date_format, get_format

    return date_format(value, first_day_format(get_format(format_name), value.day))


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def localise_iso_dates(text, format_name="DATE_FORMAT"):
    """ "2027-01-15 → 2027-06-30" → "15 janvier 2027 → 30 juin 2027": dates kept as ISO text
    (frozen versions, exports) shown to people."""

    def replace(match):
        try:
            day = datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            return match.group(0)
        return format_date(day, format_name)

    return _ISO_DATE.sub(replace, str(text)) if text else text


def ago(value, now=None):
    """How long ago, as people say it: "à l’instant" under a minute (never "il y a 0 minute"),
    then Django's natural time ("il y a 5 minutes", "hier"…)."""
    from django.contrib.humanize.templatetags.humanize import naturaltime

    if not isinstance(value, datetime.datetime):
        return value
    now = now or timezone.now()
    if timezone.is_aware(value) != timezone.is_aware(now):
        return naturaltime(value)
    if abs((now - value).total_seconds()) < 60:
        return _("just now")
    return naturaltime(value)
