"""Settings for the test suite: the real settings, with test-only shortcuts."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-never-used-outside-the-test-suite")
# Exports are built inside the request under test; one test runs the real worker.
os.environ.setdefault("TASKS_BACKEND", "immediate")

from drafting.settings import *  # noqa: E402,F403

# Hashing demo passwords with the real hasher would dominate the suite's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    # A file, not memory: an in-memory SQLite database fails concurrent writers at once
    # ("table is locked") where a file makes them wait their turn, as in production.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"drafting-test-{os.getpid()}.sqlite3")
    }

# The suite reads mails from Django's test outbox (locmem) as if an e-mail server were configured.
SEND_EMAIL = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


# Static files from the apps' folders under their plain names: no collectstatic before the suite.
# The production storage (hashed names, compressed, immutable) is tested by tests/test_static_files.py,
# which runs collectstatic once.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
