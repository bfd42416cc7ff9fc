import datetime
import zoneinfo

import pytest
from django import forms
from django.utils import translation

from cercles.core.timezones import (
    TimeZoneField,
    canonical_zones,
    time_zone_choices,
    utc_offset,
    zone_label,
)

JANUARY = datetime.datetime(2027, 1, 15, 12, tzinfo=datetime.UTC)
JULY = datetime.datetime(2027, 7, 15, 12, tzinfo=datetime.UTC)


def values(choices):
    flat = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            flat.extend(v for v, _ in label)
        else:
            flat.append(value)
    return flat


def test_obsolete_aliases_and_technical_names_are_not_offered():
    zones = canonical_zones()
    for obsolete in ["Africa/Asmera", "CST6CDT", "localtime", "Etc/GMT+3", "US/Eastern", "GMT"]:
        assert obsolete not in zones
    for kept in ["Africa/Bamako", "Africa/Asmara", "Europe/Paris", "America/Toronto", "UTC"]:
        assert kept in zones
    assert len(values(time_zone_choices())) == len(zones)


def test_offsets_and_labels_read_as_people_say_them():
    assert utc_offset("Europe/Paris", JANUARY) == "UTC+1"
    assert utc_offset("Europe/Paris", JULY) == "UTC+2"
    assert utc_offset("Asia/Kolkata", JANUARY) == "UTC+5:30"
    assert utc_offset("America/Sao_Paulo", JANUARY) == "UTC−3"
    assert zone_label("Africa/Bamako", JANUARY) == "Bamako (UTC+0)"
    assert zone_label("America/Argentina/Buenos_Aires", JANUARY) == "Buenos Aires (UTC−3)"
    assert zone_label("UTC") == "UTC"
    assert utc_offset("Nowhere/Atlantis") == ""


def test_the_persons_country_comes_first_once():
    with translation.override("fr"):
        choices = time_zone_choices("ML")
    label, options = choices[0]
    assert label == "Mali"
    assert [value for value, _ in options] == ["Africa/Bamako"]
    assert values(choices).count("Africa/Bamako") == 1
    brazil = time_zone_choices("BR")[0]
    assert "America/Sao_Paulo" in [value for value, _ in brazil[1]]
    # Regions are named in the interface's language.
    with translation.override("fr"):
        assert "Afrique" in [label for label, _ in time_zone_choices()]


def test_a_zone_chosen_before_stays_shown_and_accepted():
    assert time_zone_choices(current="Africa/Asmera")[0] == ("Africa/Asmera", "Africa/Asmera")

    class Form(forms.Form):
        def __init__(self, *args, current="", **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["zone"] = TimeZoneField(current=current)

    assert Form({"zone": "Africa/Asmera"}, current="Africa/Asmera").is_valid()
    assert not Form({"zone": "Africa/Asmera"}).is_valid()
    assert not Form({"zone": "<script>"}).is_valid()
    assert Form({"zone": "Africa/Bamako"}).is_valid()


def test_the_browser_default_is_announced_by_the_widget():
    field = TimeZoneField(from_browser=True)
    html = field.widget.render("timezone", "Europe/Paris", {"id": "id_timezone"})
    assert "data-browser-timezone" in html
    assert "data-browser-timezone-note" in html and "{zone}" in html
    assert "data-chosen" not in html
    assert '<optgroup label="' in html
    assert '<option value="Europe/Paris" selected>' in html
    chosen = TimeZoneField(from_browser=True, chosen=True).widget.render("timezone", "UTC")
    assert "data-chosen" in chosen


@pytest.mark.parametrize("zone", sorted(canonical_zones()))
def test_every_offered_zone_loads(zone):
    zoneinfo.ZoneInfo(zone)
