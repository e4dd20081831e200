"""Production safe by default (issue 11): compose refuses placeholder secrets, the demo is opt-in,
HTTPS=1 passes `check --deploy`, and an empty database goes from `migrate` to its first imported
resolution without the demo.

There is no Docker engine here: the compose file is read as YAML and its ${...} interpolation is
applied as Compose does, to the environment and a .env file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
SEED = ROOT / "drafting" / "demo" / "seeds" / "wtsa-res75-rev-hammamet-2016.txt"
GOOD_KEY = "k" + uuid.uuid4().hex + uuid.uuid4().hex

# --- docker-compose.yml as configuration ------------------------------------------------------------

_VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:\?|:-|\?|-)(?P<arg>[^}]*))?\}")


class MissingVariable(Exception):
    pass


def interpolate(value, env: dict[str, str]):
    """Compose's ${VAR}, ${VAR:-default}, ${VAR:?error} over every string of the file."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(m: re.Match) -> str:
        name, op, arg = m.group("name"), m.group("op"), m.group("arg")
        present = env.get(name)
        if op == ":?" and not present:
            raise MissingVariable(f"{name}: {arg}")
        if op == ":-" and not present:
            return arg
        return present or ""

    return _VARIABLE.sub(one, value)


def read_dotenv(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def compose(env: dict[str, str], profiles: tuple[str, ...] = ()) -> dict:
    """The services Compose would start with this environment (and profiles)."""
    raw = yaml.safe_load(COMPOSE.read_text())
    services = {
        name: service
        for name, service in raw["services"].items()
        if not service.get("profiles") or set(service["profiles"]) & set(profiles)
    }
    return interpolate(services, env)


def test_compose_refuses_to_start_without_a_secret_key():
    with pytest.raises(MissingVariable, match="SECRET_KEY"):
        compose({"POSTGRES_PASSWORD": "a-database-password"})


def test_compose_refuses_to_start_without_a_database_password():
    with pytest.raises(MissingVariable, match="POSTGRES_PASSWORD"):
        compose({"SECRET_KEY": GOOD_KEY})


def test_compose_takes_its_secrets_from_a_dotenv_file(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"# secrets\nSECRET_KEY={GOOD_KEY}\nPOSTGRES_PASSWORD=pw-from-dotenv\n")
    services = compose(read_dotenv(dotenv))
    assert services["web"]["environment"]["SECRET_KEY"] == GOOD_KEY
    assert "pw-from-dotenv@db" in services["web"]["environment"]["DATABASE_URL"]
    assert services["db"]["environment"]["POSTGRES_PASSWORD"] == "pw-from-dotenv"


def test_no_secret_in_the_compose_file_has_a_default():
    text = COMPOSE.read_text()
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD"):
        for m in re.finditer(rf"\$\{{{name}(?P<op>[^A-Za-z0-9_][^}}]*)?\}}", text):
            assert (m.group("op") or "").startswith(":?"), m.group(0)
    assert "change-me" not in text and "POSTGRES_PASSWORD: drafting" not in text


def test_the_demo_is_an_opt_in_profile_and_never_loaded_by_default():
    env = {"SECRET_KEY": GOOD_KEY, "POSTGRES_PASSWORD": "pw"}
    default = compose(env)
    assert "demo" not in default
    assert default["web"]["environment"]["LOAD_DEMO"] == "0"
    with_demo = compose(env, profiles=("demo",))
    assert with_demo["demo"]["command"] == ["python", "manage.py", "load_demo"]


def test_the_app_listens_on_loopback_unless_told_otherwise():
    env = {"SECRET_KEY": GOOD_KEY, "POSTGRES_PASSWORD": "pw"}
    # The proxy is the one door (tests/test_compose_proxy.py); the app's services publish nothing.
    assert compose(env)["proxy"]["ports"][0] == "127.0.0.1:80:80"
    assert compose({**env, "BIND_ADDRESS": "0.0.0.0"})["proxy"]["ports"][0] == "0.0.0.0:80:80"
    assert all("ports" not in service for name, service in compose(env).items() if name != "proxy")


def test_every_service_of_the_app_gets_the_same_secret_and_database():
    env = {"SECRET_KEY": GOOD_KEY, "POSTGRES_PASSWORD": "pw"}
    services = compose(env, profiles=("demo",))
    app = [s for s in services.values() if s.get("build")]
    assert {s["environment"]["SECRET_KEY"] for s in app} == {GOOD_KEY}
    assert {s["environment"]["DATABASE_URL"] for s in app} == {"postgres://drafting:pw@db:5432/drafting"}
    assert all(s["environment"]["DEBUG"] == "0" for s in app)


# --- the settings in production mode -------------------------------------------------------------


# The suite's own switches are not what production runs with.
_NOT_PASSED = {
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "TEST_SQLITE_NAME",
}


def run_django(args: list[str], env: dict[str, str], stdin: str | None = None, timeout: int = 120):
    """manage.py in a fresh process with only the given settings environment (production settings)."""
    base = {k: v for k, v in os.environ.items() if k not in _NOT_PASSED}
    base.update({"DJANGO_SETTINGS_MODULE": "drafting.settings", "TASKS_BACKEND": "immediate"}, **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": GOOD_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "ALLOWED_HOSTS": "drafting.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://drafting.example.org",
        **extra,
    }


def test_check_deploy_is_clean_with_https_on(tmp_path):
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path, HTTPS="1"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_what_https_off_leaves_out(tmp_path):
    result = run_django(["check", "--deploy"], production_env(tmp_path, HTTPS="0"))
    assert "SESSION_COOKIE_SECURE" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "key",
    ["", "change-me-to-a-long-random-string", "short", "django-insecure-" + "x" * 40],
)
def test_a_missing_placeholder_or_short_key_stops_the_app(tmp_path, key):
    env = production_env(tmp_path, SECRET_KEY=key, ALLOW_INSECURE_SECRET_KEY="1")
    result = run_django(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_image_build_key_is_accepted_by_the_settings():
    dockerfile = (ROOT / "Dockerfile").read_text()
    key = re.search(r"SECRET_KEY=(\S+)", dockerfile).group(1)
    assert len(key) >= 32 and not key.startswith("change-me")


def test_password_reset_is_not_offered_without_an_email_server(db):
    # db: the login page asks whether the demo is loaded.
    assert not settings.PASSWORD_RESET_BY_EMAIL
    assert Client().get("/accounts/password_reset/").status_code == 404
    assert Client().get("/accounts/login/").status_code == 200


def test_password_reset_is_routed_and_sends_mail_with_an_email_server(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.conf import settings; from django.urls import reverse;"
        "print(reverse('password_reset'), settings.MAILERS['default']['BACKEND'])"
    )
    env = production_env(tmp_path, EMAIL_HOST="smtp.example.org")
    base = {k: v for k, v in os.environ.items() if k not in _NOT_PASSED}
    base.update({"DJANGO_SETTINGS_MODULE": "drafting.settings"}, **env)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "/accounts/password_reset/",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


# --- an empty database to its first imported resolution, without the demo -----------------------


@pytest.fixture
def fresh_database(tmp_path):
    """A database URL of an empty database: a new SQLite file, or a new database on the test server."""
    url = settings.DATABASES["default"]
    if url["ENGINE"].endswith("postgresql"):
        import psycopg

        name = f"fresh_{uuid.uuid4().hex[:10]}"
        admin = f"postgresql://{url['USER']}:{url['PASSWORD']}@{url['HOST']}:{url['PORT']}/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        yield f"postgres://{url['USER']}:{url['PASSWORD']}@{url['HOST']}:{url['PORT']}/{name}"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"


# Migrates a new database of production's kind on the server under test, in other processes (SQLite's
# migrations run at the start of every SQLite run of the suite, and in ./dev run).
@pytest.mark.production_database
def test_an_empty_database_migrates_then_imports_its_first_resolution_without_the_demo(
    tmp_path, fresh_database
):
    env = production_env(tmp_path, DATABASE_URL=fresh_database)
    migrated = run_django(["migrate", "--noinput"], env, timeout=300)
    assert migrated.returncode == 0, migrated.stderr[-3000:]

    shown = run_django(
        [
            "shell",
            "--no-imports",
            "-c",
            "from drafting.models import Body; from django.contrib.auth.models import Group;"
            "print(sorted(Body.objects.values_list('code', flat=True)));"
            "print(sorted(Group.objects.values_list('name', flat=True)))",
        ],
        env,
    )
    assert shown.stdout.splitlines() == [
        "['Council', 'PP', 'RA', 'WTDC', 'WTSA']",
        "['Coordinators', 'Delegates', 'Observers', 'Secretariat']",
    ], shown.stderr

    weak = run_django(["setup_installation", "--officer", "okafor"], env, stdin="okafor\n")
    assert weak.returncode != 0 and "Nothing was created" in weak.stderr

    officer = run_django(
        ["setup_installation", "--officer", "okafor", "--email", "okafor@example.org"],
        env,
        stdin="a long passphrase for the officer\n",
    )
    assert officer.returncode == 0, officer.stderr
    assert "Secretariat officer okafor created" in officer.stdout

    imported = run_django(["import_resolution", str(SEED), "--body", "WTSA", "--number", "75"], env)
    assert imported.returncode == 0, imported.stderr
    assert "75" in imported.stdout

    shown = run_django(
        [
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth.models import User; from drafting.models import RegionalGroup, Edition;"
            "u = User.objects.get(username='okafor');"
            "print(u.is_staff, list(u.groups.values_list('name', flat=True)), u.check_password('a long passphrase for the officer'));"
            "print(sorted(RegionalGroup.objects.values_list('code', 'proposal_prefix')));"
            "print(Edition.objects.count(), User.objects.filter(username='secretariat').exists())",
        ],
        env,
    )
    lines = shown.stdout.splitlines()
    assert lines[0] == "True ['Secretariat'] True", shown.stderr
    assert lines[1] == str(
        sorted(
            [
                ("APT", "ACP"),
                ("ASMG", "ARB"),
                ("ATU", "ATU"),
                ("CEPT", "EUR"),
                ("CITEL", "IAP"),
                ("RCC", "RCC"),
            ]
        )
    )
    # One edition, and no demo login with its public password.
    assert lines[2] == "1 False"
