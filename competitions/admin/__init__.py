"""The organisers' tool for competitions: editions with categories, criteria and jury;
entries; ballot codes (issued as a CSV download, never stored in plain text);
phases; and read-only records of scores, votes and decisions.

Decisions on entries (finalist, laureate, place, distinction) are made by the
jury's chair on the jury pages, through the services that log them; here they
are read-only. Votes are not listed before an edition's results are published.

One module per part, as competitions.models is split; importing this package registers
every admin page.
"""

from competitions.admin import applications, editions, entries, jury, voting

__all__ = ["applications", "editions", "entries", "jury", "voting"]
