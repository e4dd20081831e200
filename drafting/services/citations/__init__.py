"""The citation graph of the library, by what each part does.

- :mod:`.indexing`: every clause version's citations stored, and linked to the library's resolutions
  and editions as they arrive;
- :mod:`.graph`: what an edition cites and which current texts cite it, citations as links;
- :mod:`.stale`: the report of citations of older editions and of meetings that never were;
- :mod:`.updates`: the update of those citations planned and drafted into a contribution;
- :mod:`.un_successors`: UN documents replaced by a later one;
- :mod:`.editor`: the proposal editor's live check of the text being typed.

This module holds only the error they raise, so that importing one part loads no other.
"""

from __future__ import annotations

from drafting.services import DomainError


class CitationProblem(DomainError):
    """A citation update that cannot be drafted; nothing was saved."""
