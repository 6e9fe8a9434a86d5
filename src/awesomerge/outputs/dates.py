"""When an entry dates from, as both bibliographies write it: read in this one place.

The dataset stores it with its origin (`awesomerge.entries.entry_dating`): the year a list
states, else the year the entry's arXiv id records; the id's month when its year is that year.
"""

from __future__ import annotations

from awesomerge.entries import entry_dating
from awesomerge.models import Entry


def entry_date(entry: Entry) -> tuple[int | None, int | None]:
    """The entry's year and month, each None where unknown; a year outside 1..9999 is none."""
    dating = entry_dating(entry)
    if dating.year is None or not 1 <= dating.year <= 9999:
        return None, None
    return dating.year, dating.month
