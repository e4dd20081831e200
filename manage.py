#!/usr/bin/env python3
"""Django's command-line utility for the drafting tool."""

from __future__ import annotations

import os
import sys

if sys.version_info < (3, 12):  # noqa: UP036 -- said plainly to whoever runs an older Python
    sys.exit(
        f"The drafting tool needs Python 3.12 or newer (Django 6); this is {sys.version.split()[0]}. "
        "Run it through ./dev, which finds a suitable Python."
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drafting.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
