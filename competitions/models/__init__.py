"""The competitions' models, one module per part of a competition's life (STYLE.md: a file
past ~400 lines, or one that mixes audiences, is split):

- `editions`: competitions, editions, their links, organisers and categories: what every
  audience reads;
- `entries`: the entries, and which of them the public may see;
- `jury`: the jury's members, criteria, scores, conflicts, submissions and decisions;
- `voting`: ballot batches, one-time ballots and votes;
- `applications`: online entry (an edition's questions, applications, their files).

Everything is imported from here (`from competitions.models import Entry`), as before.
"""

from competitions.models.applications import (
    Application,
    ApplicationAttachment,
    EditionQuestion,
    EntryAnswer,
    application_upload_to,
)
from competitions.models.editions import (
    MAX_LAUREATE_PLACES,
    Category,
    Competition,
    Edition,
    EditionLink,
    EditionOrganiser,
)
from competitions.models.entries import Entry, EntryQuerySet
from competitions.models.jury import (
    ConflictOfInterest,
    Criterion,
    DecisionLog,
    JuryMember,
    JurySubmission,
    Score,
    TieResolution,
)
from competitions.models.voting import Ballot, BallotBatch, Vote

__all__ = [
    "MAX_LAUREATE_PLACES",
    "Application",
    "ApplicationAttachment",
    "Ballot",
    "BallotBatch",
    "Category",
    "Competition",
    "ConflictOfInterest",
    "Criterion",
    "DecisionLog",
    "Edition",
    "EditionLink",
    "EditionOrganiser",
    "EditionQuestion",
    "Entry",
    "EntryAnswer",
    "EntryQuerySet",
    "JuryMember",
    "JurySubmission",
    "Score",
    "TieResolution",
    "Vote",
    "application_upload_to",
]
