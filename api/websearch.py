"""Web-search syntax for `q`, read once and written out for each engine's full-text search.

The syntax: plain words (all must match), `"quoted phrases"` (words next to each other),
`or` between two terms (either matches; it binds tighter than the implicit AND, as on web
search engines: `nato legion or brigade` is nato AND (legion OR brigade)), and `-term`
(excluded). Anything else is read as plain words: a word is a run of letters and digits, so
punctuation, FTS5 operators (`NEAR(`, `*`, `^`, `:`), SQL and unbalanced quotes (a phrase to
the end) are never syntax. A token that holds several words (`don't`, `a*b`) is a phrase, as
PostgreSQL's `websearch_to_tsquery` reads it.

A query is rendered for SQLite's FTS5 (`fts5`: each term a quoted FTS5 string, so that nothing
the client types is an FTS5 operator) and for PostgreSQL (`tsquery_sql`: each term through
`websearch_to_tsquery` with a quoted phrase, combined with tsquery's own && || !!, so that both
engines read the same structure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

# The most different terms a query takes: each adds to the query's size on both engines.
MAX_TERMS = 10

WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """One or more words; several words must stand next to each other, in this order."""

    words: tuple[str, ...]

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(word.lower() for word in self.words)

    def quoted(self) -> str:
        """The words as one quoted phrase: a string to FTS5 (never an operator), a phrase to
        `websearch_to_tsquery` (never `or` or `-`); words hold no quote to escape."""
        return '"' + " ".join(self.words) + '"'


@dataclass(frozen=True)
class Query:
    """Every group must match (a group matches when one of its terms does); no excluded term
    may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    @property
    def phrase(self) -> Term | None:
        """The plain words of the query as one phrase, when it has two or more and nothing
        else: a claim holding them side by side ranks above one holding them apart."""
        terms = [group[0] for group in self.groups if len(group) == 1]
        if len(terms) != len(self.groups) or len(terms) < 2:
            return None
        if any(len(term.words) != 1 for term in terms):
            return None
        return Term(tuple(term.words[0] for term in terms))

    def fts5(self) -> str:
        """An FTS5 MATCH expression."""
        expression = " AND ".join(
            "(" + " OR ".join(term.quoted() for term in group) + ")" for group in self.groups
        )
        for term in self.excluded:
            expression = f"({expression}) NOT {term.quoted()}"
        return expression

    def fts5_positive(self) -> str:
        """The groups alone, without the excluded terms (to apply a column filter to)."""
        return " AND ".join(
            "(" + " OR ".join(term.quoted() for term in group) + ")" for group in self.groups
        )

    def tsquery_sql(self, term_sql: str, positive_only: bool = False) -> tuple[str, list[str]]:
        """A PostgreSQL tsquery expression; `term_sql` turns one `%s` (a term in web-search
        syntax) into a tsquery, e.g. "websearch_to_tsquery('simple', %s)"."""
        parts, params = [], []
        for group in self.groups:
            parts.append("(" + " || ".join(term_sql for _ in group) + ")")
            params += [term.quoted() for term in group]
        if not positive_only:
            for term in self.excluded:
                parts.append(f"!!{term_sql}")
                params.append(term.quoted())
        return "(" + " && ".join(parts) + ")", params


def terms_of(text: str) -> list[tuple[str, Term | None]]:
    """The tokens of `text`: ("or", None), ("-", term) or ("+", term); empty terms dropped."""
    tokens: list[tuple[str, Term | None]] = []
    for match in TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None:
            if bare.lower() == "or":
                tokens.append(("or", None))
                continue
            minus, phrase = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        words = tuple(WORD.findall(phrase))
        if words:
            tokens.append(("-" if minus else "+", Term(words)))
    return tokens


def unique(terms: list[Term]) -> tuple[Term, ...]:
    """Each term once (up to case), in its first place."""
    found: dict[tuple[str, ...], Term] = {}
    for term in terms:
        found.setdefault(term.key, term)
    return tuple(found.values())


def parse(text: str) -> Query:
    """The query `text` states, each term once; a ValidationError when it finds nothing to
    look for or has more than MAX_TERMS different terms."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for kind, term in terms_of(text):
        if kind == "or":
            pending_or = bool(groups)
            continue
        if kind == "-":
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    seen: set = set()
    unique_groups = []
    for group in groups:
        terms = unique(group)
        key = frozenset(term.key for term in terms)
        if key not in seen:
            seen.add(key)
            unique_groups.append(terms)
    unique_excluded = unique(excluded)
    different = {term.key for group in unique_groups for term in group}
    different |= {term.key for term in unique_excluded}
    if len(different) > MAX_TERMS:
        raise ValidationError(
            f"Give at most {MAX_TERMS} different words or phrases.", code="max_words"
        )
    if not unique_groups:
        raise ValidationError(
            "Give at least one word to look for (letters or digits, not only exclusions).",
            code="no_words",
        )
    return Query(tuple(unique_groups), unique_excluded)


def validate(text: str) -> None:
    parse(text)


SIMPLE_TERM = "websearch_to_tsquery('simple', %s)"


def condition(query: Query, using: str, *, table: str, term_sql: str = SIMPLE_TERM) -> Q:
    """Rows of `table` matching the query, through its full-text index: on SQLite the FTS5
    table `<table>_search` (rowid = the row's id), on PostgreSQL the tsvector column
    `<table>.search_vector` (a term becomes a tsquery through `term_sql`)."""
    if connections[using].vendor == "postgresql":
        sql, params = query.tsquery_sql(term_sql)
        expression = RawSQL(f"{table}.search_vector @@ {sql}", params, BooleanField())
        return Q(expression)
    fts = f"{table}_search"
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [query.fts5()]))
