"""When an entry dates from, as both bibliographies write it: derived here only.

The year a list states, else the year the entry's arXiv id records (its first version's
submission, a fact); the id's month when its year is that year.
"""

from __future__ import annotations

from awesomerge.identifiers import arxiv_submitted
from awesomerge.models import Entry


def entry_date(entry: Entry) -> tuple[int | None, int | None]:
    """The entry's year and month, each None where unknown; a year outside 1..9999 is none."""
    submitted = arxiv_submitted(entry.identifiers.get("arxiv", ""))
    year = entry.year if entry.year is not None and 1 <= entry.year <= 9999 else None
    if year is None and submitted is not None:
        year = submitted[0]
    month = submitted[1] if submitted is not None and submitted[0] == year else None
    return year, month
