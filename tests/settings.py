"""Settings for the test suite: the real settings, with test-only shortcuts."""

from __future__ import annotations

import os

os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")

from drafting.settings import *  # noqa: E402,F403

# Hashing demo passwords with the real hasher would dominate the suite's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
