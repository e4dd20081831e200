"""Record that a UN General Assembly document is replaced by a later one: manage.py supersede_un OLD NEW."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from drafting.services import DomainError
from drafting.services.citations.un_successors import (
    record_supersession,
    superseded_citations,
    un_successors,
    withdraw_supersession,
)


class Command(BaseCommand):
    help = (
        "Record that a UN General Assembly document is replaced by its successor "
        "(supersede_un A/RES/70/125 A/RES/80/12): the current texts citing it are then listed with the "
        "stale citations, and their update can be drafted. --withdraw OLD forgets a record; --list shows them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "document", nargs="?", help="the replaced document: A/RES/70/125, A/70/125 or 70/125"
        )
        parser.add_argument("successor", nargs="?", help="the document that replaces it")
        parser.add_argument("--note", default="", help="where the replacement is said, for readers")
        parser.add_argument(
            "--replace", action="store_true", help="change the successor already recorded for the document"
        )
        parser.add_argument("--withdraw", action="store_true", help="forget that the document is replaced")
        parser.add_argument("--list", action="store_true", help="list the documents recorded as replaced")

    def handle(self, *args, document=None, successor=None, note="", replace=False, withdraw=False, **options):
        try:
            if options["list"]:
                for old, new in sorted(un_successors().items()):
                    self.stdout.write(f"{old} -> {new}")
                return
            if withdraw:
                if not document or successor:
                    raise CommandError(
                        "Give the one document to forget: supersede_un --withdraw A/RES/70/125"
                    )
                withdraw_supersession(None, document)
                self.stdout.write(f"{document} is no longer recorded as replaced.")
                return
            if not document or not successor:
                raise CommandError("Give the replaced document and its successor: supersede_un OLD NEW")
            record = record_supersession(None, document, successor, note=note, replace=replace)
        except DomainError as problem:
            raise CommandError(problem.message) from None
        [group] = superseded_citations(record.document) or [None]
        count = group.citation_count if group else 0
        self.stdout.write(
            f"{record.document} is replaced by {record.successor}: {count} citation{'s' if count != 1 else ''} "
            f"in {len(group.citing) if group else 0} current text{'s' if not group or len(group.citing) != 1 else ''}"
            " of the library to update."
        )
