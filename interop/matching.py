"""Finding the rows an imported record refers to, so that importing twice creates nothing new.

- an outlet by its site (the host of its homepage, without "www."), then by name (case
  folded);
- a speaker by Wikidata id, then by exact name;
- a claim by speaker and normalised text (`normalise_text`);
- a source by URL (a source without one by title and outlet);
- a review by URL, else by claim and reviewer.

One Matcher serves one import: it remembers what it found and created, so a feed of 10,000
reviews by a few hundred fact-checkers and speakers looks each of them up once.
"""

from __future__ import annotations

import re
import unicodedata

from claims.models import Claim, Review, Speaker
from sources.models import Outlet, Source

from . import values

_PUNCTUATION = re.compile(r"[\s\"'“”‘’«»„.,;:!?¡¿()\[\]…-]+")


def normalise_text(text: str) -> str:
    """A claim's text for comparison: Unicode-normalised, case folded, with punctuation,
    quotation marks and spacing reduced to single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCTUATION.sub(" ", text).strip()


class Matcher:
    def __init__(self):
        self._outlets_by_site: dict[str, Outlet] | None = None
        self._outlets_by_name: dict[str, Outlet] = {}
        self._speakers_by_wikidata: dict[str, Speaker | None] = {}
        self._speakers_by_name: dict[str, Speaker | None] = {}
        self._claims: dict[int, dict[str, Claim]] = {}
        self._sources: dict[str, Source | None] = {}

    # --- outlets ---------------------------------------------------------------------------

    def _load_outlets(self) -> None:
        self._outlets_by_site = {}
        for outlet in Outlet.objects.order_by("id"):
            self.remember_outlet(outlet)

    def outlet(self, *, name: str, url: str) -> Outlet | None:
        if self._outlets_by_site is None:
            self._load_outlets()
        site = values.site(url)
        if site and site in self._outlets_by_site:
            return self._outlets_by_site[site]
        return self._outlets_by_name.get(name.casefold())

    def remember_outlet(self, outlet: Outlet) -> None:
        site = values.site(outlet.homepage)
        if site:
            self._outlets_by_site.setdefault(site, outlet)
        self._outlets_by_name.setdefault(outlet.name.casefold(), outlet)

    # --- speakers --------------------------------------------------------------------------

    def speaker(self, *, name: str, wikidata_id: str) -> Speaker | None:
        if wikidata_id:
            if wikidata_id not in self._speakers_by_wikidata:
                found = Speaker.objects.filter(wikidata_id=wikidata_id).first()
                self._speakers_by_wikidata[wikidata_id] = found
            if self._speakers_by_wikidata[wikidata_id] is not None:
                return self._speakers_by_wikidata[wikidata_id]
        if name not in self._speakers_by_name:
            self._speakers_by_name[name] = Speaker.objects.filter(name=name).order_by("id").first()
        return self._speakers_by_name[name]

    def remember_speaker(self, speaker: Speaker) -> None:
        if speaker.wikidata_id:
            self._speakers_by_wikidata[speaker.wikidata_id] = speaker
        if self._speakers_by_name.get(speaker.name) is None:
            self._speakers_by_name[speaker.name] = speaker

    # --- claims ----------------------------------------------------------------------------

    def claim(self, *, speaker: Speaker, text: str) -> Claim | None:
        if speaker.pk is None:
            return None
        if speaker.pk not in self._claims:
            claims = Claim.objects.filter(speaker=speaker).order_by("id")
            self._claims[speaker.pk] = {}
            for claim in claims:
                self._claims[speaker.pk].setdefault(normalise_text(claim.text), claim)
        return self._claims[speaker.pk].get(normalise_text(text))

    def remember_claim(self, claim: Claim) -> None:
        self._claims.setdefault(claim.speaker_id, {}).setdefault(normalise_text(claim.text), claim)

    # --- sources ---------------------------------------------------------------------------

    def source(self, *, url: str, title: str, outlet: Outlet | None) -> Source | None:
        if not url:
            return Source.objects.filter(url="", title=title, outlet=outlet).order_by("id").first()
        if url not in self._sources:
            self._sources[url] = Source.objects.filter(url=url).first()
        return self._sources[url]

    def remember_source(self, source: Source) -> None:
        if source.url:
            self._sources[source.url] = source

    # --- reviews ---------------------------------------------------------------------------

    @staticmethod
    def review(*, url: str, claim: Claim, reviewer: Outlet) -> Review | None:
        if url:
            found = Review.objects.select_for_update().filter(url=url).order_by("id").first()
            if found is not None:
                return found
        if claim.pk is None or reviewer.pk is None:
            return None
        reviews = Review.objects.select_for_update().filter(claim=claim, reviewer=reviewer, url=url)
        return reviews.order_by("id").first()

    def forget(self) -> None:
        """Drop what was remembered: after a rolled-back entry, rows it created are gone."""
        self.__init__()
