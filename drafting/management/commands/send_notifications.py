"""The notifications' periodic job: draft-change summaries, deadline reminders, quiet e-mails, daily digests.

    python manage.py send_notifications [--digest-now]

Run it every few minutes (cron, or the ``notifier`` service of docker compose): each part is
safe to run again. ``--digest-now`` sends the daily digests at once, whatever the hour.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from drafting.services.notifications import run_due


class Command(BaseCommand):
    help = "Summarise draft changes, remind deadlines, send waiting e-mails and the daily digests."

    def add_arguments(self, parser):
        parser.add_argument("--digest-now", action="store_true", help="send the daily digests now")

    def handle(self, *args, digest_now: bool = False, **options):
        done = run_due(digest_now=digest_now)
        self.stdout.write("; ".join(f"{what}: {n}" for what, n in done.items()))
