from __future__ import annotations

from django.core.management.base import BaseCommand

from drafting.demo.load import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo data (bodies, regional groups, demo logins, seed resolutions). Safe to run twice."

    def handle(self, *args, **options):
        for line in load_demo():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Logins (password {DEMO_PASSWORD!r}): secretariat, observer, "
                "atu-delegate, atu-coordinator, citel-delegate, ... (see README)."
            )
        )
