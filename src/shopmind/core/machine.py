"""Facts about the machine the process runs on."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores this process may run on: ``taskset -c 0`` gives 1, unlike ``os.cpu_count()``."""
    allowed = getattr(os, "sched_getaffinity", None)
    return len(allowed(0)) if allowed is not None else os.cpu_count() or 1
