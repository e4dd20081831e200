"""gunicorn settings for the load test: each worker records how long its full garbage collections
hold it (every thread of the worker waits), and writes them to LOADTEST_GC_DIR when it exits."""

from __future__ import annotations

import gc
import os
import time
from collections import Counter


def post_worker_init(worker):
    pauses: list[float] = []
    started: list[float] = []

    def timed(phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            pauses.append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(timed)
    worker._gc_pauses = pauses


def worker_exit(server, worker):
    folder = os.environ.get("LOADTEST_GC_DIR")
    pauses = getattr(worker, "_gc_pauses", None)
    if folder and pauses is not None:
        with open(os.path.join(folder, f"gc-pauses-{worker.pid}.txt"), "w") as out:
            out.write(" ".join(f"{p:.1f}" for p in pauses) + "\n")
        # What the collector scans at the end: the most numerous types, for finding what to keep less of.
        kinds = Counter(type(o).__name__ for o in gc.get_objects())
        with open(os.path.join(folder, f"gc-objects-{worker.pid}.txt"), "w") as out:
            out.write(f"{sum(kinds.values())} objects tracked, {gc.get_freeze_count()} frozen\n")
            out.writelines(f"{n} {name}\n" for name, n in kinds.most_common(30))
