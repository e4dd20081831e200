"""CPU time of the load test's processes, read from /proc (Linux): where the two cores went.

``LOADTEST_PIDS`` names the server processes ("gunicorn=123 live=456 worker=789 postgres=1011"); each
counts with every process under it, those that ended included (their time is added to the parent that
waited for them). The load generator counts itself.
"""

from __future__ import annotations

import os
import resource

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and of its children it waited for)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command: state ppid ... utime(14) stime(15) cutime(16) cstime(17), counted from 1.
    return int(fields[1]), sum(int(v) for v in fields[11:15]) / TICKS


def tree_seconds(root: int) -> float:
    parents: dict[int, int] = {}
    seconds: dict[int, float] = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (found := _stat(int(name))) is not None:
            parents[int(name)], seconds[int(name)] = found
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += seconds.get(pid, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent not idle (all cores)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / TICKS


def snapshot() -> dict[str, float]:
    shares = {}
    for item in os.environ.get("LOADTEST_PIDS", "").split():
        name, _, pid = item.partition("=")
        if pid.isdigit():
            shares[name] = tree_seconds(int(pid))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    shares["load generator"] = usage.ru_utime + usage.ru_stime
    shares["machine"] = machine_busy_seconds()
    return shares


def report(before: dict[str, float], after: dict[str, float], seconds: float) -> str:
    used = {k: after[k] - before.get(k, 0.0) for k in after}
    machine = used.pop("machine", 0.0)
    named = sum(used.values())
    parts = [f"{name} {value:.0f} s" for name, value in used.items()]
    parts.append(f"anything else {max(machine - named, 0):.0f} s")
    cores = os.cpu_count() or 1
    return (
        f"CPU in the steady state: {machine:.0f} of {cores} x {seconds:.0f} = {cores * seconds:.0f} core-seconds "
        f"busy ({machine / max(cores * seconds, 1):.0%}): " + ", ".join(parts)
    )
