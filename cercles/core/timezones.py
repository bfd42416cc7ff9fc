"""Time zones as people pick and read them.

The zones offered are the canonical ones of the tz database's `zone.tab` (one or more per
country, e.g. Africa/Bamako for Mali), plus UTC: the obsolete aliases and technical names that
`zoneinfo.available_timezones()` also lists (Africa/Asmera, CST6CDT, localtime, Etc/GMT+3…)
are left out. Each reads as its city and its current offset, "Bamako (UTC+0)", grouped by the
person's country first, then by region.
"""

import datetime
import functools
import zoneinfo
from pathlib import Path

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .widgets import LongSelect

UTC = "UTC"

REGIONS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


def _zone_tab():
    """The text of the tz database's zone.tab: the tzdata package's, else the system's."""
    try:
        from importlib.resources import files

        return (files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    except (ImportError, ModuleNotFoundError, FileNotFoundError):
        pass
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / "zone.tab"
        if path.exists():
            return path.read_text(encoding="utf-8")
    return ""


@functools.cache
def zones_by_country():
    """{"ML": ["Africa/Bamako"], "FR": ["Europe/Paris"], …} from zone.tab, in its order."""
    available = zoneinfo.available_timezones()
    by_country = {}
    for line in _zone_tab().splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2] in available:
            by_country.setdefault(parts[0], []).append(parts[2])
    return by_country


@functools.cache
def canonical_zones():
    """The zones a person may pick: every zone of a country, and UTC."""
    zones = {zone for names in zones_by_country().values() for zone in names}
    if not zones:  # no zone.tab at all: every zone that looks like a place
        zones = {z for z in zoneinfo.available_timezones() if z.split("/")[0] in REGIONS}
    return frozenset(zones | {UTC})


@functools.cache
def country_of_zone():
    return {zone: code for code, names in zones_by_country().items() for zone in names}


def is_valid_zone(name):
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return True


def utc_offset(name, at=None):
    """ "UTC+1", "UTC−3", "UTC+5:30", "UTC+0": the zone's offset now (or at `at`)."""
    at = at or datetime.datetime.now(datetime.UTC)
    try:
        offset = at.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def city(name):
    """ "Africa/Bamako" → "Bamako"; "America/Argentina/Buenos_Aires" → "Buenos Aires"."""
    return str(name).rsplit("/", 1)[-1].replace("_", " ")


def zone_label(name, at=None):
    """How a zone reads to a person: "Bamako (UTC+0)"; UTC stays "UTC"."""
    name = str(name)
    if name == UTC:
        return UTC
    offset = utc_offset(name, at)
    return f"{city(name)} ({offset})" if offset else city(name)


def time_zone_choices(country="", current=""):
    """The choices of a time-zone picker, as optgroups: the zones of `country` first, then
    every other canonical zone by region, in the order of their cities' names. A `current`
    value outside the canonical set (chosen before the set was narrowed) is kept at the top so
    that the form still shows and accepts it."""
    language = translation.get_language()
    hour = datetime.datetime.now(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    choices = list(_choices(language, hour, str(country or "")))
    current = str(current or "")
    if current and current not in canonical_zones() and is_valid_zone(current):
        choices.insert(0, (current, current.replace("_", " ")))
    return choices


@functools.lru_cache(maxsize=64)
def _choices(language, hour, country):
    def option(zone):
        return (zone, zone_label(zone, hour))

    groups = []
    own = zones_by_country().get(country, [])
    if own:
        groups.append((str(countries.name(country)) or country, [option(z) for z in own]))
    by_region = {}
    for zone in canonical_zones():
        if zone != UTC and zone not in own:
            by_region.setdefault(zone.split("/")[0], []).append(zone)
    groups.append((str(_("Universal time")), [option(UTC)]))
    for region, label in REGIONS.items():
        zones = sorted(by_region.get(region, []), key=city)
        if zones:
            groups.append((str(label), [option(z) for z in zones]))
    return tuple((label, tuple(options)) for label, options in groups)


class TimeZoneField(forms.ChoiceField):
    """A time-zone picker: `country` puts its zones first; `current` stays accepted.

    With `from_browser=True` the page's script puts the browser's zone in place of the initial
    one and says so in a sentence under the field (cercles.js, setUpTimeZones): the default is
    right from the first minute, and visibly so. `chosen=True` leaves an explicit choice alone.
    """

    widget = LongSelect

    def __init__(self, *, country="", current="", from_browser=False, chosen=False, **kwargs):
        kwargs.setdefault("label", _("Time zone"))
        # A form posted without it (an older page, a script) keeps the zone it had.
        kwargs.setdefault("required", False)
        super().__init__(choices=time_zone_choices(country, current), **kwargs)
        if from_browser:
            self.widget.attrs.update(
                {
                    "data-browser-timezone": "",
                    "data-browser-timezone-note": _(
                        "Your browser's time zone was chosen: {zone}. Change it if it is not "
                        "where you live."
                    ),
                }
            )
            if chosen:
                self.widget.attrs["data-chosen"] = ""
