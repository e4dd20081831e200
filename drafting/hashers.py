"""The password hasher: Argon2id with OWASP's parameters, sized for a login storm on a small server.

Django's default PBKDF2 (1,000,000+ iterations) costs about a second of CPU per check on a
2-core machine: a thousand delegates logging in at 9:00 would hold both cores for minutes.
Argon2id with OWASP's recommended minimum (19 MiB of memory, 2 passes, 1 lane) costs about
30 ms here and is memory-hard, so a GPU attacker gains far less than against PBKDF2.
PBKDF2 stays in PASSWORD_HASHERS after it, so existing hashes still verify and are
rewritten as Argon2id at the user's next login.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id, m=19 MiB, t=2, p=1 (OWASP Password Storage Cheat Sheet)."""

    # The same algorithm name as Django's: hashes stay readable by the stock hasher, and
    # Django's must_update() upgrades any hash made with other parameters at login.
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
