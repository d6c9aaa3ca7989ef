"""Dates as precise as a source gives them: a day, a month or only a year."""

from __future__ import annotations

import calendar
import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    """How much of a stored date the source actually gave."""

    DAY = "day", _("dzień")
    MONTH = "month", _("miesiąc")
    YEAR = "year", _("rok")


def parse_partial_date(value: str, *, end: bool) -> tuple[datetime.date, str]:
    """ "2014" / "2015-04" / "2017-06-15" → a date and its precision.

    A start is the first day of the period given, an end its last day, so that
    "2015-04 … 2016" and "2014 … 2014" are both valid periods.
    """
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        (year,) = parts
        return (datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)), (
            DatePrecision.YEAR
        )
    if len(parts) == 2:
        year, month = parts
        day = calendar.monthrange(year, month)[1] if end else 1
        return datetime.date(year, month, day), DatePrecision.MONTH
    if len(parts) == 3:
        return datetime.date(*parts), DatePrecision.DAY
    raise ValueError(value)


def public_moment(day: datetime.date) -> datetime.datetime:
    """A date a source gives as a moment: the start of that day in the site's time zone
    (so it reads as that day wherever the site shows it)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
