from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from drafting.engine.export import resolution_data
from drafting.engine.printer import print_resolution
from drafting.models import Edition, Resolution
from drafting.reading import edition_tree, latest_edition


class Command(BaseCommand):
    help = "Print an edition of a resolution as plain text or JSON (the latest unless --edition names one)."

    def add_arguments(self, parser):
        parser.add_argument("--body", required=True)
        parser.add_argument("--number", required=True)
        parser.add_argument("--edition", default="", help='Edition slug, e.g. "hammamet-2016"')
        parser.add_argument("--format", choices=["txt", "json"], default="txt")

    def handle(self, *args, body: str, number: str, edition: str, format: str, **options):
        resolution = Resolution.objects.filter(body__code__iexact=body, number__iexact=number).first()
        if resolution is None:
            raise CommandError(f"There is no {body} Resolution {number} in the library.")
        if edition:
            found = Edition.objects.filter(resolution=resolution, slug=edition).first()
            if found is None:
                slugs = ", ".join(resolution.editions.values_list("slug", flat=True))
                raise CommandError(f"{resolution} has no edition {edition!r}. Editions: {slugs}.")
        else:
            found = latest_edition(resolution)
            if found is None:
                raise CommandError(f"{resolution} has no edition yet.")
        tree = edition_tree(found)
        if format == "json":
            data = resolution_data(tree)
            data.update(body=resolution.body.code, number=resolution.number, edition=found.slug)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(print_resolution(tree), ending="")
