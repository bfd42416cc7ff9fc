"""Refuse guessable passwords: the site's name, the person's name or address, common passwords.

Django's validators miss `Cercles2026`, `Awa.Cisse1!` or `Azerty123`: a word anyone can guess
dressed up with capitals, digits and symbols. This validator takes those away (and undoes the
usual letter-for-digit swaps, `p@ssw0rd`) before comparing what is left.
"""

import re
import unicodedata
from functools import cache

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SITE_WORDS = ("cercles", "cercle", "circles", "circle")

# Common in French-speaking networks and missing from Django's (English) list.
MORE_COMMON = """
motdepasse azerty azertyuiop qwertz soleil bonjour bonsoir doudou loulou chouchou marseille
paris toulouse dakar abidjan bamako ouagadougou niamey lome cotonou conakry yaounde douala
kinshasa tunis alger rabat casablanca montreal bruxelles geneve france senegal mali burkina
afrique coucou jetaime amour reseau association communaute secret admin administrateur
utilisateur bienvenue changeme motdepass passe password welcome liberte football princesse
chocolat papa maman famille dieu allah inchallah jesus nicolas camille
""".split()

LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s", "5": "s",
                      "7": "t", "!": "i", "|": "l", "€": "e"})  # fmt: skip

# Letters that must be left once the guessable words are taken away.
MIN_OWN_LETTERS = 4


def _plain(text):
    """Lower case, without accents."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _letters(text):
    return re.sub(r"[^a-z]", "", text)


@cache
def common_passwords():
    words = {_letters(password) for password in CommonPasswordValidator().passwords}
    return frozenset(w for w in words | set(MORE_COMMON) if len(w) >= 4)


def personal_words(user):
    """Words of the person's name and address (parts of three letters or more)."""
    if user is None:
        return []
    text = " ".join(
        str(getattr(user, attribute, "") or "")
        for attribute in ("display_name", "first_name", "last_name", "username")
    )
    text += " " + str(getattr(user, "email", "") or "").split("@")[0]
    return [w for w in re.split(r"[^a-z]+", _plain(text)) if len(w) >= 3]


class GuessablePasswordValidator:
    def validate(self, password, user=None):
        plain = _plain(password)
        for variant in {plain, plain.translate(LEET)}:
            letters = _letters(variant)
            if letters in common_passwords():
                raise ValidationError(
                    _(
                        "This password is a common one with a few digits or symbols added: it "
                        "is among the first ones tried. A short sentence of unrelated words is "
                        "easier to remember and much harder to guess."
                    ),
                    code="password_guessable_common",
                )
            self._check_words(letters, SITE_WORDS, "password_guessable_site")
            self._check_words(letters, personal_words(user), "password_guessable_personal")

    def _check_words(self, letters, words, code):
        remaining, found = letters, False
        for word in sorted(set(words), key=len, reverse=True):
            if word in remaining:
                remaining, found = remaining.replace(word, ""), True
        if found and len(remaining) < MIN_OWN_LETTERS:
            if code == "password_guessable_site":
                message = _(
                    "This password is built on the site's name: it is among the first ones "
                    "tried. Add a few words of your own, for example a short sentence."
                )
            else:
                message = _(
                    "This password is built on your name or your email address: anyone who "
                    "knows you could guess it. Add a few words of your own, for example a "
                    "short sentence."
                )
            raise ValidationError(message, code=code)

    def get_help_text(self):
        return _(
            "Your password can't be built on the site's name, your name, your email address or "
            "a common password."
        )
