from django.db import models
from django.utils.translation import gettext_lazy as _


class EditionPhase(models.TextChoices):
    """An edition's lifecycle, in order."""

    ANNOUNCED = "announced", _("zapowiedziana")
    SUBMISSIONS = "submissions", _("nabór zgłoszeń")
    JURY_REVIEW = "jury_review", _("ocena jury")
    PUBLIC_VOTE = "public_vote", _("głosowanie")
    RESULTS = "results", _("wyniki ogłoszone")
    ARCHIVED = "archived", _("archiwum")


class OrganiserRole(models.TextChoices):
    ORGANISER = "organiser", _("organizator")
    LEAD = "lead", _("lider projektu")
    PARTNER = "partner", _("partner")
    OPERATOR = "operator", _("operator programu")
    PATRON = "patron", _("patronat")


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("zgłoszona")
    FINALIST = "finalist", _("finalista")
    LAUREATE = "laureate", _("laureat")
    WITHDRAWN = "withdrawn", _("wycofana")


# The phases in order; an edition moves one step forward at a time.
PHASE_ORDER: tuple[str, ...] = tuple(EditionPhase.values)

# The jury's decisions (finalists, laureates and their places, distinctions) are
# drafts that only the jury and the organiser see until the organiser announces
# them: by opening the vote, or, in an edition without one, by publishing the
# results. From these phases on they are public.
DECISIONS_PUBLIC_PHASES: tuple[str, ...] = (
    EditionPhase.PUBLIC_VOTE,
    EditionPhase.RESULTS,
    EditionPhase.ARCHIVED,
)
# Vote counts, rankings and winners: public from the results on.
RESULTS_PUBLIC_PHASES: tuple[str, ...] = (EditionPhase.RESULTS, EditionPhase.ARCHIVED)


class DecisionAction(models.TextChoices):
    """What a logged decision changed."""

    PHASE = "phase", _("zmiana etapu")
    RESULT = "result", _("decyzja jury o zgłoszeniu")
    TIE = "tie", _("rozstrzygnięcie remisu")
    WINNER = "winner", _("zwycięzca kategorii")
    ANNOUNCE = "announce", _("ogłoszenie decyzji jury")
    WINDOW = "window", _("zmiana terminu głosowania")
