"""`manage.py import_claimreview PATH…`: import ClaimReview documents (interop.services)."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from interop import values
from interop.parse import Document, DocumentError, Rejection, read_document
from interop.services import ROW_NAMES, CommandLine, claimreview_import

# Files a folder is read for; anything else in it (a README, a licence) is left alone.
SUFFIXES = {".json", ".jsonld", ".html", ".htm"}


class Command(BaseCommand):
    help = (
        "Import ClaimReviews from files, folders (their .json, .jsonld, .html and .htm files) "
        "or standard input (-): ClaimReview objects, lists, @graph, DataFeed, HTML pages with "
        "JSON-LD, Fact Check Tools claims:search answers. Prints created / updated / unchanged "
        "/ rejected counts, and each rejected entry with its position and reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or -")
        parser.add_argument(
            "--status",
            choices=["draft", "in_review", "published"],
            default="published",
            help="status of imported claims and reviews (default: published)",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid entries and report the others (default: nothing is "
            "imported when one entry is invalid)",
        )
        parser.add_argument(
            "--user",
            help="username recorded in the edit history as the importer, whose permissions "
            "apply (default: none recorded, every permission)",
        )
        parser.add_argument(
            "--base-url", help="address the documents come from, for their relative URLs"
        )
        parser.add_argument(
            "--per-file",
            action="store_true",
            help="print, for each file, the records it created and its warnings",
        )

    def handle(self, *args, paths, status, skip_invalid, user, base_url, per_file, **options):
        by = CommandLine()
        if user:
            try:
                by = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f'No user "{user}".') from None
        if base_url:
            try:
                base_url = values.url(base_url)
            except values.BadValue as error:
                raise CommandError(f"--base-url: {error}") from None
        documents = [self.read(path, base_url) for path in self.files(paths)]
        self.stderr.write(f"Importing {len(documents)} document(s)…")
        try:
            report = claimreview_import(
                documents=documents,
                status=status,
                by=by,
                skip_invalid=skip_invalid,
                progress=lambda name, entries: self.stderr.write(f"  read {name}: {entries}"),
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.print_report(report, per_file)
        if not report.imported:
            raise CommandError(
                f"Nothing was imported: {report.rejected} rejected (see above). Fix them, or "
                "import the rest with --skip-invalid."
            )

    def files(self, paths):
        for raw in paths:
            if raw == "-":
                yield "-"
                continue
            path = Path(raw)
            if path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
                if not found:
                    raise CommandError(f"{raw}: no .json, .jsonld, .html or .htm file.")
                yield from found
            elif path.is_file():
                yield path
            else:
                raise CommandError(f"{raw}: no such file or folder.")

    def read(self, path, base_url) -> Document:
        name = "-" if path == "-" else str(path)
        content = sys.stdin.buffer.read() if path == "-" else path.read_bytes()
        try:
            return read_document(content, name=name, base_url=base_url)
        except DocumentError as error:
            # The file as a whole is one rejected entry.
            return Document(name=name, rejections=[Rejection("document", str(error))])

    def print_report(self, report, per_file: bool) -> None:
        write = self.stdout.write
        if per_file:
            for name, counts in report.files.items():
                rows = report.file_rows.get(name, {})
                made = ", ".join(f"{rows[k]} {k}" for k in ROW_NAMES if rows.get(k))
                outcome = ", ".join(
                    f"{counts[k]} {k}"
                    for k in ("created", "updated", "unchanged", "rejected")
                    if counts.get(k)
                )
                write(f"{name}: {outcome or 'nothing'}" + (f" — new: {made}" if made else ""))
                for rejection in report.rejections:
                    if rejection["document"] == name:
                        write(f"  rejected {rejection['position']}: {rejection['reason']}")
                for warning in report.warnings:
                    if warning["document"] == name:
                        where = f"{warning['position']}: " if warning["position"] else ""
                        write(f"  warning {where}{warning['message']}")
        else:
            for rejection in report.rejections:
                write(
                    f"rejected {rejection['document']} {rejection['position']}: "
                    f"{rejection['reason']}"
                )
        write(
            f"created: {report.created}\nupdated: {report.updated}\n"
            f"unchanged: {report.unchanged}\nrejected: {report.rejected}"
        )
        rows = ", ".join(f"{report.rows_created[k]} {k}" for k in ROW_NAMES)
        write(f"records created: {rows}")
        if report.unknown_labels:
            labels = ", ".join(f'"{k}" ×{n}' for k, n in sorted(report.unknown_labels.items()))
            write(f"unknown labels (rated unproven or from their numbers): {labels}")
