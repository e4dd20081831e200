"""A login storm, measured: N delegates logging in through the login page, with the configured
password hasher, against the PBKDF2 hashes Django made by default.

    python -m scripts.loadtest.logins [N]        (a throwaway SQLite database; N = 1000)

Prints the wall and CPU time of N logins with Argon2id (OWASP parameters), and of a few with
PBKDF2 (Django's default), extrapolated to N.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    folder = tempfile.mkdtemp(prefix="logins-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/logins.sqlite3"
    os.environ.setdefault("SECRET_KEY", "logins-benchmark-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drafting.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    password = "a conference password"
    argon = make_password(password)
    pbkdf2 = PBKDF2PasswordHasher().encode(password, PBKDF2PasswordHasher().salt())
    User.objects.bulk_create([User(username=f"a{i}", password=argon) for i in range(n)])
    few = 10
    User.objects.bulk_create([User(username=f"p{i}", password=pbkdf2) for i in range(few)])

    def storm(prefix: str, count: int) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(count):
            client = Client()
            response = client.post("/accounts/login/", {"username": f"{prefix}{i}", "password": password})
            assert response.status_code == 302, response.status_code
        return time.perf_counter() - wall, time.process_time() - cpu

    print(f"hasher: {settings.PASSWORD_HASHERS[0]} ({argon.split('$')[2]}, {argon.split('$')[3]})")
    wall, cpu = storm("a", n)
    print(f"{n} logins with Argon2id: {wall:.1f} s wall, {cpu:.1f} s CPU, {cpu / n * 1000:.1f} ms CPU each")
    wall, cpu = storm("p", few)
    print(
        f"{few} logins with PBKDF2 ({PBKDF2PasswordHasher.iterations} iterations): {cpu / few * 1000:.0f} ms CPU each, "
        f"{cpu / few * n:.0f} s CPU for {n} (and each one upgraded its hash to Argon2id)"
    )


if __name__ == "__main__":
    main()
