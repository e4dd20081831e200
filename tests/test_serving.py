"""A server process loads what every request uses before the first one, and freezes it out of the
garbage collector's scans (a full collection holds every thread of the process)."""

from __future__ import annotations

import gc

from django.template import engines

from drafting.serving import ready_to_serve


def test_a_server_process_compiles_its_templates_and_freezes_them_out_of_the_collector():
    gc.unfreeze()
    try:
        ready_to_serve()
        assert gc.get_freeze_count() > 10_000
        loader = engines["django"].engine.template_loaders[0]
        compiled = set(loader.get_template_cache)
        assert {
            "drafting/proposal_editor.html",
            "drafting/consolidation_detail.html",
            "base.html",
        } <= compiled
    finally:
        gc.unfreeze()
