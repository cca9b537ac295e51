"""`manage.py export`: the claims as CSV or JSON Lines, to a file or stdout."""

import contextlib
import sys

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from claims.filters import ClaimFilter
from claims.models import Claim
from newsroom.exports import FORMATS, claim_rows


class Command(BaseCommand):
    help = (
        "Export claims as CSV or JSON Lines (what anonymous clients see, unless --all), "
        "with the claims list's filters; progress on stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
        parser.add_argument("--output", "-o", help="A file to write (default: stdout).")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A filter of /api/v1/claims/, e.g. speaker=jane-doe (repeatable).",
        )
        parser.add_argument("--all", action="store_true", help="Drafts and claims in review too.")

    def handle(self, *args, **options):
        claims = (
            Claim.objects.all() if options["all"] else Claim.objects.visible_to(AnonymousUser())
        )
        data = QueryDict(mutable=True)
        for item in options["filter"]:
            name, sep, value = item.partition("=")
            if not sep or name not in ClaimFilter.base_filters:
                raise CommandError(
                    f"--filter {item!r}: give NAME=VALUE with NAME one of "
                    f"{', '.join(sorted(ClaimFilter.base_filters))}."
                )
            data.appendlist(name, value)
        filterset = ClaimFilter(data=data, queryset=claims)
        if not filterset.is_valid():
            raise CommandError(f"Bad filter: {dict(filterset.errors)}")
        lines, _ = FORMATS[options["format"]]

        def progress(done):
            self.stderr.write(f"{done} claims exported", ending="\r")

        with contextlib.ExitStack() as stack:
            stream = sys.stdout
            if options["output"]:
                stream = stack.enter_context(
                    open(options["output"], "w", encoding="utf-8", newline="")
                )
            for line in lines(claim_rows(filterset.qs, progress=progress)):
                stream.write(line)
        self.stderr.write("")
