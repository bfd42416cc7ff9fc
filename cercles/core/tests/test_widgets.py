from django import forms

from cercles.core.widgets import LongSelect


def test_long_select_writes_the_same_markup_as_django_select():
    choices = [("", "Tous"), ("SN", "Sénégal"), ("CI", "Côte d'Ivoire <b>")]
    for value in ("CI", "", None):
        quick = LongSelect(choices=choices).render("country", value, {"id": "id_c"})
        plain = forms.Select(choices=choices).render("country", value, {"id": "id_c"})
        assert quick == "".join(line.strip() for line in plain.splitlines())
