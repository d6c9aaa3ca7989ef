"""The refusals of every competitions service, for whoever calls them (views, admin
actions, commands) to show the person who asked.

Every service is keyword-only and atomic, checks before it writes and raises a
`CompetitionRefused` (one subclass per area) whose text is a message for that
person, in the interface language. The database holds the same rules
(migrations 0002 and 0004); a refusal from it is turned into the same kind of
message, never left to become a server error.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError
from django.utils import timezone
from django.utils.formats import date_format


class CompetitionRefused(ValueError):
    """A step the competition's rules do not allow; str() is a message for the user.

    `reason` is a short stable name of the rule, for code and tests.
    """

    def __init__(self, message: str, *, reason: str = "refused"):
        super().__init__(message)
        self.reason = reason


class PhaseRefused(CompetitionRefused):
    pass


class JuryRefused(CompetitionRefused):
    pass


class DecisionRefused(CompetitionRefused):
    pass


class BallotRefused(CompetitionRefused):
    pass


class VoteRefused(CompetitionRefused):
    pass


def format_moment(moment: datetime) -> str:
    """A moment in local time, as a refusal's message names it: "5 maja 2026, 18:00"."""
    return date_format(timezone.localtime(moment), "j E Y, H:i")


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the database rule an IntegrityError broke, if PostgreSQL named one."""
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
