"""A real installation's first step after ``migrate``: the regional groups and the first secretariat officer.

    python manage.py setup_installation --officer NAME [--email ADDRESS]

The password is read from standard input when it is not a terminal (``echo "$PW" |
...``), otherwise asked twice; it must pass the password validators. Safe to run
again: what exists is kept (an existing officer's password is not changed).
"""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from drafting.models import Body, RegionalGroup
from drafting.models.people import ROLES, SECRETARIAT
from drafting.reference import BODIES, GROUPS


class Command(BaseCommand):
    help = "Create the ITU bodies, the roles, the six regional groups with their prefixes and the first secretariat officer."

    def add_arguments(self, parser):
        parser.add_argument("--officer", required=True, help="username of the first secretariat officer")
        parser.add_argument("--email", default="", help="the officer's e-mail address")

    def _password(self) -> str:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password for the officer: ")
            if getpass.getpass("Again: ") != password:
                raise CommandError("The two passwords differ. Nothing was created.")
        if not password:
            raise CommandError("No password given (on standard input or at the prompt). Nothing was created.")
        return password

    def handle(self, *args, officer: str, email: str, **options):
        user = User.objects.filter(username=officer).first()
        password = None
        if user is None:
            password = self._password()
            try:
                password_validation.validate_password(password, User(username=officer, email=email))
            except ValidationError as e:
                raise CommandError(" ".join(e.messages) + " Nothing was created.") from None
        with transaction.atomic():
            for order, (code, name) in enumerate(BODIES):
                if not Body.objects.filter(code__iexact=code).exists():
                    Body.objects.create(code=code, name=name, sort_order=order)
            for role in ROLES:
                Group.objects.get_or_create(name=role)
            for code, name, region, prefix in GROUPS:
                _, created = RegionalGroup.objects.get_or_create(
                    code=code, defaults={"name": name, "region": region, "proposal_prefix": prefix}
                )
                if created:
                    self.stdout.write(f"Regional group {code} (proposals {prefix}/…) created.")
            if user is None:
                # Staff: the officer manages people (groups, roles, passwords) in the admin.
                user = User.objects.create_user(officer, email=email, password=password, is_staff=True)
                self.stdout.write(f"Secretariat officer {officer} created.")
            else:
                self.stdout.write(f"{officer} exists already; their password is unchanged.")
            user.groups.add(Group.objects.get(name=SECRETARIAT))
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            # The officer administers people, groups and conferences (nothing that bypasses the services).
            user.user_permissions.add(
                *Permission.objects.filter(
                    content_type__app_label__in=["auth", "drafting"],
                    codename__in=[
                        "add_user",
                        "change_user",
                        "view_user",
                        "view_group",
                        "view_regionalgroup",
                        "change_regionalgroup",
                        "add_conference",
                        "change_conference",
                        "view_conference",
                    ],
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Ready: log in as {officer}, import the base texts (Library, Import, or `manage.py "
                "import_resolution`) and add people in the admin (/admin/): each in a role group "
                "(Delegates, Coordinators, Secretariat, Observers) and, for delegates and coordinators, "
                "a regional group."
            )
        )
