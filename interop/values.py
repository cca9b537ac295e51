"""Tolerant readers of the values real ClaimReview markup holds.

Published documents are messy: `@type` as a list or in lower case, an author given as a list,
a name given as a list, URLs without a scheme or relative to the page, numbers as strings or
empty strings, HTML entities in text, dates such as "2022-01-28 18:35" or "… UTC". Each reader
takes what a fact-checker plausibly meant and raises `BadValue` (with a message fit for the
import report) only for what cannot be read at all.
"""

from __future__ import annotations

import datetime
import html
import re
from urllib.parse import urljoin, urlsplit

SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")


class BadValue(ValueError):
    """A value that cannot be read; its message says which and why."""


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types(node) -> set[str]:
    """The node's `@type`s, lower case and without a schema.org prefix ("ClaimReview",
    ["Review", "ClaimReview"], "schema:ClaimReview" and "claimreview" all give claimreview)."""
    if not isinstance(node, dict):
        return set()
    found = set()
    for name in as_list(node.get("@type")):
        if isinstance(name, str):
            for prefix in SCHEMA_PREFIXES:
                if name.startswith(prefix):
                    name = name[len(prefix) :]
            found.add(name.strip().lower())
    return found


def type_label(node) -> str:
    """The node's `@type` as written, for messages."""
    names = [n for n in as_list(node.get("@type")) if isinstance(n, str)]
    return "/".join(names) or "(no @type)"


_SPACES = re.compile(r"\s+")


def text(value, *, keep_lines: bool = False) -> str:
    """A string with HTML entities decoded and spaces collapsed (line breaks kept as single
    newlines with `keep_lines`); a list gives its texts joined by a space; a number its
    digits; an object its `name`; anything else ""."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, list):
        return " ".join(filter(None, (text(item, keep_lines=keep_lines) for item in value)))
    if isinstance(value, dict):
        return text(value.get("name"), keep_lines=keep_lines)
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        return ""
    value = html.unescape(value).replace("\r\n", "\n").replace("\r", "\n")
    if keep_lines:
        lines = (_SPACES.sub(" ", line).strip() for line in value.split("\n"))
        return "\n".join(line for line in lines if line)
    return _SPACES.sub(" ", value).strip()


def names(value) -> list[str]:
    """The names of a `name` given as a string or a list of strings."""
    return [name for name in (text(item) for item in as_list(value)) if name]


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_HOST = re.compile(r"^(?:[\w-]+\.)+([a-zA-Z]{2,24})(?::\d+)?$")
# A first path segment ending in one of these is a file name, not a host.
_FILE_ENDINGS = {"html", "htm", "php", "asp", "aspx", "jsp", "jpg", "jpeg", "png", "gif", "pdf"}


def url(value, base: str | None = None) -> str | None:
    """An absolute http(s) URL, or None when there is none to be had.

    Accepts a string or an object with `url` or `@id`; escaped slashes and entities are
    already decoded by JSON and `text`. A URL without a scheme whose first part is a host name
    ("aosfatos.org/noticias/…") gets https; "//host/…" gets https; a relative one is resolved
    against `base` (None without a base). Another scheme (ftp:, mailto:, javascript:) is a
    BadValue."""
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    if isinstance(value, list):
        value = next((item for item in value if item), None)
    raw = text(value)
    if not raw:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in raw):
        raise BadValue(f'"{shorten(raw)}" is not a URL: it holds control characters.')
    raw = raw.replace(" ", "%20")
    scheme = _SCHEME.match(raw)
    if scheme and not re.match(r"^[\w.-]+:\d+(/|$)", raw):
        if scheme.group(1).lower() not in ("http", "https"):
            raise BadValue(f'"{shorten(raw)}" is not an http(s) URL.')
        if not _netloc(raw):
            raise BadValue(f'"{shorten(raw)}" is not a URL.')
        return raw
    if raw.startswith("//"):
        return "https:" + raw
    first = raw.split("/", 1)[0]
    host = _HOST.match(first)
    if host and host.group(1).lower() not in _FILE_ENDINGS:
        return "https://" + raw
    if base:
        try:
            joined = urljoin(base, raw)
        except ValueError:
            raise BadValue(f'"{shorten(raw)}" is not a URL.') from None
        return joined if _netloc(joined) else None
    return None


def _netloc(address: str) -> str:
    """The host part of `address`, "" when there is none or it is malformed ("http://[x")."""
    try:
        return urlsplit(address).netloc
    except ValueError:
        return ""


def site(address: str | None) -> str:
    """The host of a URL, lower case and without "www.": how outlets are matched."""
    if not address:
        return ""
    try:
        host = (urlsplit(address).hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


def shorten(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"  # the day, as everyone writes it first
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"  # a time, with T or a space
    r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?$",  # a zone, in any of the usual spellings
    re.IGNORECASE,
)


def date(value) -> datetime.date | None:
    """The day of an ISO date or date-time as written (its own zone's day): "2024-06-20",
    "2022-01-28 18:35", "2020-03-18T14:00:00+0200", "2017-03-01 20:30:17 UTC". None for an
    empty value; BadValue for anything else."""
    raw = text(value)
    if not raw:
        return None
    found = _DATE.match(raw)
    if not found:
        raise BadValue(f'"{shorten(raw)}" is not a date in a known format (e.g. 2024-06-20).')
    year, month, day = (int(part) for part in found.group(1, 2, 3))
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise BadValue(f'"{raw}" is not a date: {error}.') from None


def integer(value) -> int | None:
    """A whole number given as a number or a string ("1", " 5 ", "-1", 3.0); None when empty.
    BadValue for anything else (3.5, "five", true)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadValue(f"{value!r} is not a whole number.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise BadValue(f"{value} is not a whole number.")
    raw = text(value)
    if not raw:
        return None
    if re.fullmatch(r"[+-]?\d{1,9}(\.0+)?", raw):
        return int(float(raw))
    raise BadValue(f'"{shorten(raw)}" is not a whole number.')
