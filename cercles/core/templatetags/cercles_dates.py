"""Loaded as a template builtin (settings.TEMPLATES): Django's `date` filter, with "1er" for
the first of the month in French ("1er septembre 2027", never "1 septembre")."""

import datetime

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.formats import get_format

from cercles.core.words import first_day_format

register = template.Library()

NAMED_FORMATS = {
    "DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT",
    "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT",
}  # fmt: skip


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if isinstance(value, datetime.date) and getattr(value, "day", None) == 1:
        format_string = arg or "DATE_FORMAT"
        if format_string in NAMED_FORMATS:
            format_string = get_format(format_string)
        arg = first_day_format(format_string, 1)
    return django_date(value, arg)
