"""WSGI entry point for gunicorn: Django, with the live poll answered in front of it."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drafting.settings")
django_application = get_wsgi_application()

from drafting.live.wsgi import LiveChannelApp  # noqa: E402 (needs Django set up)
from drafting.serving import ready_to_serve  # noqa: E402

application = LiveChannelApp(django_application)
ready_to_serve()
