"""Compute every missing or stale claim vector (and any missing fingerprint), with a progress
bar on standard error. Interrupted, it resumes where it stopped: each batch is committed, and
a claim that has its current vector is not read again."""

import sys
import time

from django.core.management.base import BaseCommand

from matching.backends import BACKENDS, get_backend
from matching.services import stale_claims, vectors_update


class ProgressBar:
    def __init__(self, total: int, stream, width: int = 30):
        self.total, self.stream, self.width = total, stream, width
        self.done, self.started = 0, time.monotonic()

    def __call__(self, count: int) -> None:
        self.done += count
        share = self.done / self.total if self.total else 1.0
        filled = int(self.width * share)
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} "
            f"claims, {rate:.0f}/s"
        )
        self.stream.flush()


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            choices=sorted(BACKENDS),
            help="The backend whose vectors to compute (default: MATCHING_BACKEND).",
        )
        parser.add_argument("--batch-size", type=int, default=128)

    def handle(self, *args, backend=None, batch_size=128, verbosity=1, **options):
        chosen = get_backend(backend)
        total = stale_claims(chosen).count()
        quiet = verbosity == 0
        if not quiet:
            self.stderr.write(f"{total} claim(s) to embed with {chosen.label}.")
        progress = None if quiet or not total else ProgressBar(total, sys.stderr)
        written = vectors_update(backend=chosen, batch_size=batch_size, progress=progress)
        if progress is not None:
            sys.stderr.write("\n")
        if not quiet:
            self.stdout.write(f"{written} vector(s) written with {chosen.label}.")
