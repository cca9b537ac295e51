"""`manage.py ingest PATH_OR_URL…`: ingest reports from files, folders, URLs or standard input."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from ingest.fetch import decode
from ingest.services import IngestError, article_ingest

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}


def _is_html(data: bytes) -> bool:
    return data.lstrip()[:1] == b"<"


class Command(BaseCommand):
    help = (
        "Ingest news reports and propose their statements: files (.html, .htm and .xhtml as "
        "HTML, anything else as plain text), folders (their .html, .htm, .xhtml, .txt, .text "
        "and .md files, recursively), http(s) URLs (fetched) or - (standard input). Prints one "
        "line per report; reports ingested before are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument(
            "--user",
            required=True,
            help="The username recorded as the ingester; needs the permission to add claims.",
        )
        parser.add_argument("--outlet", help="The outlet of plain-text reports.")

    def handle(self, *args, inputs, user, outlet, **options):
        try:
            by = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user is named {user!r}.") from error
        items = [item for given in inputs for item in self._expand(given)]
        failed = 0
        for number, (label, kwargs) in enumerate(items, start=1):
            prefix = f"[{number}/{len(items)}] {label}: "
            try:
                if "text" in kwargs and outlet:
                    kwargs["outlet"] = outlet
                ingested = article_ingest(by=by, **kwargs)
            except (IngestError, OSError) as error:
                failed += 1
                self.stderr.write(f"{prefix}not ingested: {error}")
                continue
            except PermissionDenied as error:
                raise CommandError(f"{user}: {error}") from error
            article = ingested.article
            if ingested.created:
                count = article.proposals.count()
                self.stdout.write(
                    f"{prefix}article #{article.pk} created, {count} statement(s) proposed"
                )
            else:
                self.stdout.write(f"{prefix}already ingested as article #{article.pk}, skipped")
        if failed:
            raise CommandError(f"{failed} of {len(items)} report(s) could not be ingested.")

    def _expand(self, given: str):
        """(label, article_ingest keywords) for each report an argument names."""
        if given == "-":
            yield "standard input", self._read(sys.stdin.buffer.read(), html=None)
            return
        if given.startswith(("http://", "https://")):
            yield given, {"url": given}
            return
        path = Path(given)
        if path.is_dir():
            suffixes = HTML_SUFFIXES | TEXT_SUFFIXES
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in suffixes)
            if not files:
                self.stderr.write(f"{given}: no .html, .htm, .xhtml, .txt, .text or .md files")
            for file in files:
                yield str(file), self._file(file)
        elif path.is_file():
            yield given, self._file(path)
        else:
            raise CommandError(f"{given}: no such file or folder, and not an http(s) URL.")

    def _file(self, path: Path) -> dict:
        return self._read(path.read_bytes(), html=path.suffix.lower() in HTML_SUFFIXES)

    @staticmethod
    def _read(data: bytes, *, html: bool | None) -> dict:
        html = _is_html(data) if html is None else html
        text, _ = decode(data, None, html=html)
        return {"html": text} if html else {"text": text}
