"""The practices' models, one module per part (STYLE.md: a file past ~400 lines is split):

- `vocabularies`: practice types, topics and funding sources;
- `practice`: the practice itself, its sample levels and the catalogue's indexes on it,
  and the moderation queue (`Submission`);
- `details`: what a practice page lists besides it (partners, amounts, milestones, links,
  attachments, status history);
- `counts`: the facet counts PostgreSQL keeps;
- `spreadsheet_imports`: spreadsheets held between a dry run and its confirmation.

Everything is imported from here (`from practices.models import Practice`), as before.
"""

from practices.models.counts import FacetCount, FacetPairCount
from practices.models.details import (
    Partnership,
    PracticeAmount,
    PracticeAttachment,
    PracticeLink,
    PracticeMilestone,
    PracticeStatusChange,
)
from practices.models.practice import (
    CATALOGUE_INDEX_FIELDS,
    CATALOGUE_TYPE_INDEX_FIELDS,
    SAMPLE_INDEX_LEVELS,
    SAMPLE_LEVELS,
    Practice,
    PracticeQuerySet,
    SampleLevels,
    Submission,
)
from practices.models.spreadsheet_imports import ImportUpload
from practices.models.vocabularies import FundingSource, PracticeType, Topic

__all__ = [
    "CATALOGUE_INDEX_FIELDS",
    "CATALOGUE_TYPE_INDEX_FIELDS",
    "SAMPLE_INDEX_LEVELS",
    "SAMPLE_LEVELS",
    "FacetCount",
    "FacetPairCount",
    "FundingSource",
    "ImportUpload",
    "Partnership",
    "Practice",
    "PracticeAmount",
    "PracticeAttachment",
    "PracticeLink",
    "PracticeMilestone",
    "PracticeQuerySet",
    "PracticeStatusChange",
    "PracticeType",
    "SampleLevels",
    "Submission",
    "Topic",
]
