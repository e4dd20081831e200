"""The citation graph of the library (being split by what each part does; see the next change)."""

from __future__ import annotations

from .indexing import *  # noqa: F403
