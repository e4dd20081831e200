from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from drafting.services.citations.indexing import rebuild_graph
from drafting.services.citations.stale import stale_citations, wrong_citations


class Command(BaseCommand):
    help = "Parse every clause of the library again and rebuild the citation graph (after a parser change)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = rebuild_graph()
        stale = stale_citations()
        wrong = wrong_citations()
        self.stdout.write(
            f"{count} citations indexed ({time.perf_counter() - started:.1f} s); "
            f"{sum(g.citation_count for g in stale)} cite an older edition of {len(stale)} resolutions; "
            f"{sum(r.citation_count for r in wrong)} cite a meeting that never was."
        )
