"""Demo data: the Reuters report of 26 January 2015 on NATO's emergency meeting with Ukraine.

Everything here is taken from the article itself (shared/seed/reuters-2015-01-26-nato-ukraine.txt):
every `quote` is a verbatim passage of it, and no verdict is added, since the article reports
statements and a rebuttal but no fact-check. Loading is idempotent: rows are found by their
natural keys (slugs, source title and outlet, claim speaker and text) and updated in place.
"""

import datetime

from django.db import transaction

from api.concurrency import bump_version
from sources.enums import Medium, OutletKind
from sources.models import Outlet, Source

from .enums import ClaimStatus, RebuttalStatus, Relation, SpeakerKind
from .models import Appearance, Claim, Rebuttal, Speaker, Topic

PUBLISHED_ON = datetime.date(2015, 1, 26)  # "on Monday": the article's date, 26 January 2015

OUTLET = {
    "slug": "reuters",
    "name": "Reuters",
    "kind": OutletKind.NEWS_AGENCY,
    "country": "GB",
    "homepage": "https://www.reuters.com/",
}

SOURCE = {
    "title": "NATO criticises Russia, backs Ukraine at emergency meeting",
    "authors": "Adrian Croft",
    "dateline": "BRUSSELS",
    "published_on": PUBLISHED_ON,
    "medium": Medium.ARTICLE,
    "language": "en",
    "excerpt": (
        "NATO blamed Russian-backed separatists on Monday for a sharp escalation of violence "
        "in eastern Ukraine and called on Moscow to stop destabilising Ukraine."
    ),
}

# Organisations and governments first: people refer to them as their affiliation.
SPEAKERS = [
    {
        "slug": "russia",
        "name": "Russia",
        "kind": SpeakerKind.GOVERNMENT,
        "country": "RU",
        "wikidata_id": "Q159",
        "description": "The government of the Russian Federation.",
    },
    {
        "slug": "ukraine",
        "name": "Ukraine",
        "kind": SpeakerKind.GOVERNMENT,
        "country": "UA",
        "wikidata_id": "Q212",
        "description": "The government of Ukraine (Kiev).",
    },
    {
        "slug": "nato",
        "name": "NATO",
        "kind": SpeakerKind.ORGANIZATION,
        "wikidata_id": "Q7184",
        "description": "The North Atlantic Treaty Organization.",
    },
    {
        "slug": "vladimir-putin",
        "name": "Vladimir Putin",
        "kind": SpeakerKind.PERSON,
        "job_title": "President of Russia",
        "affiliation": "russia",
        "country": "RU",
        "wikidata_id": "Q7747",
    },
    {
        "slug": "jens-stoltenberg",
        "name": "Jens Stoltenberg",
        "kind": SpeakerKind.PERSON,
        "job_title": "Secretary-General",
        "affiliation": "nato",
        "country": "NO",
    },
    {
        "slug": "ihor-dolhov",
        "name": "Ihor Dolhov",
        "kind": SpeakerKind.PERSON,
        "job_title": "Ukraine's Ambassador to NATO",
        "affiliation": "ukraine",
        "country": "UA",
    },
]

TOPICS = [
    {"slug": "war-in-eastern-ukraine", "name": "War in eastern Ukraine"},
    {"slug": "nato", "name": "NATO"},
]

NEWS_CONFERENCE = "News conference after the extraordinary NATO-Ukraine meeting in Brussels."

# Each claim has a key so rebuttals can point at it; `quote` is its verbatim passage in the source.
CLAIMS = [
    {
        "key": "nato-legion",
        "speaker": "vladimir-putin",
        "speaker_title": "President of Russia",
        "text": (
            "A NATO legion is fighting alongside Ukraine government troops in the east of "
            "the country."
        ),
        "context": (
            'Allegation by Russia\'s president, reported by Reuters; dismissed as "nonsense" '
            "by NATO's Secretary-General."
        ),
        "quote": (
            "allegations by Russian President Vladimir Putin that a NATO legion was fighting "
            "alongside Ukraine government troops in the east of the country"
        ),
    },
    {
        "key": "no-nato-legion",
        "speaker": "jens-stoltenberg",
        "speaker_title": "Secretary-General of NATO",
        "stated_on": PUBLISHED_ON,
        "text": "There is no NATO legion. The foreign forces in Ukraine are Russian.",
        "context": NEWS_CONFERENCE,
        "quote": "There is no NATO legion. The foreign forces in Ukraine are Russian,",
    },
    {
        "key": "separatist-escalation",
        "speaker": "jens-stoltenberg",
        "speaker_title": "Secretary-General of NATO",
        "stated_on": PUBLISHED_ON,
        "text": (
            "Russia-backed separatists have sharply escalated violence along the ceasefire "
            "line in eastern Ukraine."
        ),
        "context": NEWS_CONFERENCE,
        "quote": (
            "We condemn the sharp escalation of violence along the ceasefire line in eastern "
            "Ukraine by Russia-backed separatists,"
        ),
    },
    {
        "key": "russian-support",
        "speaker": "jens-stoltenberg",
        "speaker_title": "Secretary-General of NATO",
        "stated_on": PUBLISHED_ON,
        "text": (
            "Despite repeated commitments to work for a peaceful solution, Russia continued to "
            "provide the separatists with support, training, forces and advanced equipment, "
            "including rocket systems, heavy artillery, tanks, armoured vehicles and electronic "
            "warfare systems."
        ),
        "context": NEWS_CONFERENCE,
        "quote": (
            "Despite repeated commitments to work for a peaceful solution, Russia continued to "
            "provide the separatists with support, training, forces and advanced equipment, "
            "including rocket systems, heavy artillery, tanks, armoured vehicles and electronic "
            "warfare systems, he said."
        ),
    },
    {
        "key": "call-on-russia",
        "speaker": "jens-stoltenberg",
        "speaker_title": "Secretary-General of NATO",
        "stated_on": PUBLISHED_ON,
        "text": (
            "Russia supports the separatists, destabilises Ukraine and does not respect its "
            "international commitments; NATO calls on it to stop."
        ),
        "context": NEWS_CONFERENCE,
        "quote": (
            "We call on Russia to stop its support for the separatists immediately, to stop "
            "destabilising Ukraine and to respect its international commitments,"
        ),
    },
    {
        "key": "russia-denial",
        "speaker": "russia",
        "text": "Russia is not the driving force behind the rebellion in eastern Ukraine.",
        "context": "Russia's standing denial, as reported by Reuters.",
        "quote": "Russia denies being the driving force behind the rebellion.",
    },
    {
        "key": "no-intervention",
        "speaker": "nato",
        "text": (
            "NATO has no plans to intervene militarily in Ukraine, which is not a NATO member, "
            "but it has stepped up cooperation with Kiev, including help with modernising its "
            "armed forces."
        ),
        "context": "NATO's stated position, as reported by Reuters.",
        "quote": (
            "NATO has made clear it has no plans to intervene militarily in Ukraine, which is "
            "not a NATO member, but it has stepped up cooperation with Kiev, including help with "
            "modernising its armed forces."
        ),
    },
    {
        "key": "asked-for-assistance",
        "speaker": "ihor-dolhov",
        "speaker_title": "Ukraine's Ambassador to NATO",
        "stated_on": PUBLISHED_ON,
        "text": ("Ukraine has asked some individual countries for additional military assistance."),
        "context": (
            "Said around the extraordinary NATO-Ukraine meeting in Brussels; he did not name "
            "the countries or say if any weapons were being supplied."
        ),
        "quote": (
            "Ukraine has asked some individual countries for additional military assistance, "
            "Ukraine's Ambassador to NATO Ihor Dolhov said, but he did not name them or say if "
            "any weapons were being supplied."
        ),
    },
]

REBUTTALS = [
    {
        "claim": "nato-legion",
        "speaker": "jens-stoltenberg",
        "text": "There is no NATO legion. The foreign forces in Ukraine are Russian.",
        "relation": Relation.REFUTES,
        "stated_on": PUBLISHED_ON,
        "rebutting_claim": "no-nato-legion",
    },
    {
        "claim": "russian-support",
        "speaker": "russia",
        "text": "Russia denies being the driving force behind the rebellion.",
        "relation": Relation.DISPUTES,
        "rebutting_claim": "russia-denial",
    },
]

TOPICS_OF_CLAIMS = {"war-in-eastern-ukraine": [c["key"] for c in CLAIMS], "nato": ["nato-legion"]}
TOPICS_OF_CLAIMS["nato"] += ["no-nato-legion", "no-intervention", "asked-for-assistance"]


def _upsert(model, lookup: dict, values: dict):
    """Create the row, or update only what differs (bumping its version), so loading the
    demo again writes nothing and adds nothing to the edit history."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**{**lookup, **values}), True
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        bump_version(row)
        row.save()
    return row, False


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Load (or refresh) the seed article's outlet, source, speakers, claims and rebuttals.

    Effects: creates or updates 1 outlet, 1 source, 6 speakers, 2 topics, 8 published claims
    with one first appearance each, and 2 published rebuttals. Running it again changes nothing.
    Returns the number of rows of each kind that it created.
    """
    created = dict.fromkeys(["outlets", "sources", "speakers", "topics", "claims", "rebuttals"], 0)

    outlet, new = _upsert(Outlet, {"slug": OUTLET["slug"]}, OUTLET)
    created["outlets"] += new
    source, new = _upsert(Source, {"title": SOURCE["title"], "outlet": outlet}, SOURCE)
    created["sources"] += new

    speakers = {}
    for row in SPEAKERS:
        fields = dict(row)
        affiliation = fields.pop("affiliation", None)
        fields["affiliation"] = speakers[affiliation] if affiliation else None
        speakers[row["slug"]], new = _upsert(Speaker, {"slug": row["slug"]}, fields)
        created["speakers"] += new

    topics = {}
    for row in TOPICS:
        topics[row["slug"]], new = _upsert(Topic, {"slug": row["slug"]}, row)
        created["topics"] += new

    claims = {}
    for row in CLAIMS:
        speaker = speakers[row["speaker"]]
        claim, new = _upsert(
            Claim,
            {"speaker": speaker, "text": row["text"]},
            {
                "speaker_title": row.get("speaker_title", speaker.job_title),
                "stated_on": row.get("stated_on"),
                "context": row["context"],
                "language": "en",
                "status": ClaimStatus.PUBLISHED,
            },
        )
        created["claims"] += new
        _upsert(
            Appearance,
            {"claim": claim, "source": source},
            {"quote": row["quote"], "is_first": True},
        )
        claims[row["key"]] = claim

    for slug, keys in TOPICS_OF_CLAIMS.items():
        # Add only what is missing: even an empty add would record a history entry.
        filed = set(topics[slug].claims.values_list("pk", flat=True))
        missing = [claims[key] for key in keys if claims[key].pk not in filed]
        if missing:
            topics[slug].claims.add(*missing)

    for row in REBUTTALS:
        _, new = _upsert(
            Rebuttal,
            {
                "claim": claims[row["claim"]],
                "speaker": speakers[row["speaker"]],
                "text": row["text"],
            },
            {
                "relation": row["relation"],
                "source": source,
                "stated_on": row.get("stated_on"),
                "rebutting_claim": claims[row["rebutting_claim"]],
                "status": RebuttalStatus.PUBLISHED,
            },
        )
        created["rebuttals"] += new
    return created
