from __future__ import annotations

from django.core.management.base import BaseCommand

from drafting.demo.load import DEMO_PASSWORD, load_demo, load_rebase_example


class Command(BaseCommand):
    help = "Load the demo data (bodies, regional groups, demo logins, seed resolutions). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebase-example",
            action="store_true",
            help="Also import Res. 75 (Rev. Dubai, 2012), rebuilt from the CITEL seed, and draft CITEL's proposal "
            "on it for WTSA-16: its page shows what carrying it onto Rev. Hammamet, 2016 would do.",
        )

    def handle(self, *args, **options):
        for line in load_demo():
            self.stdout.write(line)
        if options["rebase_example"]:
            for line in load_rebase_example():
                self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Logins (password {DEMO_PASSWORD!r}): secretariat, observer, "
                "atu-delegate, atu-coordinator, citel-delegate, ... (see README)."
            )
        )
