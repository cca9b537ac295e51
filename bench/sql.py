"""Hand-written SQLite for the comparison servers: Datasette's canned queries and the bare ceiling.

Each query answers one endpoint for an anonymous client with the claim shape of the API
(nested speaker, topics, appearances, rebuttals, reviews, verdict), the JSON built by SQLite.
No Django here: these are what a competent developer would write without a framework, with
the schema they are given: the verdict is read from the stored `claims_claim.verdict` column
(which the service's triggers keep), and a scorecard groups that column over the index on
(speaker, status, verdict).
"""

CLAIM_COLUMNS = """
  c.id, c.text,
  json_object('slug', s.slug, 'name', s.name, 'kind', s.kind, 'job_title', s.job_title)
    AS speaker,
  c.speaker_title, c.stated_on, c.context, c.language,
  (SELECT json_group_array(t.slug) FROM claims_claim_topics ct
     JOIN claims_topic t ON t.id = ct.topic_id WHERE ct.claim_id = c.id) AS topics,
  c.status,
  c.verdict,
  (SELECT json_group_array(json(x)) FROM (
     SELECT json_object(
       'source', json_object('id', so.id, 'title', so.title, 'url', so.url,
         'outlet', json(CASE WHEN o.id IS NULL THEN NULL
                        ELSE json_object('slug', o.slug, 'name', o.name) END),
         'published_on', so.published_on),
       'quote', a.quote,
       'is_first', json(CASE WHEN a.is_first THEN 'true' ELSE 'false' END)) AS x
     FROM claims_appearance a JOIN sources_source so ON so.id = a.source_id
     LEFT JOIN sources_outlet o ON o.id = so.outlet_id
     WHERE a.claim_id = c.id ORDER BY a.is_first DESC, a.id)) AS appearances,
  (SELECT json_group_array(json(x)) FROM (
     SELECT json_object('id', rb.id,
       'speaker', json_object('slug', rs.slug, 'name', rs.name),
       'text', rb.text, 'relation', rb.relation, 'stated_on', rb.stated_on,
       'source', json(CASE WHEN so.id IS NULL THEN NULL
                      ELSE json_object('id', so.id, 'title', so.title, 'url', so.url) END),
       'rebutting_claim', CASE WHEN rc.status = 'published' THEN rc.id END) AS x
     FROM claims_rebuttal rb JOIN claims_speaker rs ON rs.id = rb.speaker_id
     LEFT JOIN sources_source so ON so.id = rb.source_id
     LEFT JOIN claims_claim rc ON rc.id = rb.rebutting_claim_id
     WHERE rb.claim_id = c.id ORDER BY rb.stated_on ASC NULLS LAST, rb.id)) AS rebuttals,
  (SELECT json_group_array(json(x)) FROM (
     SELECT json_object('id', r.id,
       'reviewer', json_object('slug', o.slug, 'name', o.name),
       'rating', r.rating, 'textual_rating', r.textual_rating, 'url', r.url,
       'published_on', r.published_on) AS x
     FROM claims_review r JOIN sources_outlet o ON o.id = r.reviewer_id
     WHERE r.claim_id = c.id AND r.status = 'published'
     ORDER BY r.published_on DESC NULLS LAST, r.id DESC)) AS reviews,
  c.created_at, c.updated_at
"""

ORDER = "c.stated_on DESC NULLS LAST, c.id DESC"


def claims_page(where: str) -> str:
    """A page of published claims matching `where` (on alias c), newest statement first."""
    return f"""
WITH page AS (
  SELECT c.id FROM claims_claim c WHERE c.status = 'published' AND ({where})
  ORDER BY {ORDER} LIMIT CAST(:limit AS INTEGER) OFFSET CAST(:offset AS INTEGER)
)
SELECT {CLAIM_COLUMNS}
FROM page JOIN claims_claim c ON c.id = page.id JOIN claims_speaker s ON s.id = c.speaker_id
ORDER BY {ORDER}"""


BY_SPEAKER = "c.speaker_id = (SELECT id FROM claims_speaker WHERE slug = :speaker)"
# `q` for one word, ranked, as Datasette's FTS5 search sorted by rank (`_search=` on the
# FTS5 table of claims/search.py, `_sort=rank`): the best match first, by bm25.
SEARCH = """c.id IN (SELECT rowid FROM claims_claim_search
  WHERE claims_claim_search MATCH '"' || :q || '"')"""


def ranked_page() -> str:
    """A page of published claims matching :q, by FTS5's rank (bm25), best first."""
    return f"""
WITH page AS (
  SELECT c.id, m.rank FROM claims_claim_search m JOIN claims_claim c ON c.id = m.rowid
  WHERE claims_claim_search MATCH '"' || :q || '"' AND c.status = 'published'
  ORDER BY m.rank, c.id DESC LIMIT CAST(:limit AS INTEGER) OFFSET CAST(:offset AS INTEGER)
)
SELECT {CLAIM_COLUMNS}
FROM page JOIN claims_claim c ON c.id = page.id JOIN claims_speaker s ON s.id = c.speaker_id
ORDER BY page.rank, c.id DESC"""


QUERIES = {
    "claims_by_speaker": claims_page(BY_SPEAKER),
    "claims_search": ranked_page(),
    "claims_all": claims_page("1"),
    "claim_detail": f"""
SELECT {CLAIM_COLUMNS}
FROM claims_claim c JOIN claims_speaker s ON s.id = c.speaker_id
WHERE c.id = :id AND c.status = 'published'""",
    "speaker_detail": """
SELECT s.id, s.slug, s.name, s.kind, s.job_title,
  (SELECT json_object('slug', a.slug, 'name', a.name) FROM claims_speaker a
     WHERE a.id = s.affiliation_id) AS affiliation,
  s.country, s.description, s.wikidata_id,
  (SELECT count(*) FROM claims_claim c WHERE c.speaker_id = s.id AND c.status = 'published')
    AS claim_count,
  (SELECT json_group_object(coalesce(verdict, 'unrated'), n) FROM (
     SELECT c.verdict, count(*) AS n
     FROM claims_claim c WHERE c.speaker_id = s.id AND c.status = 'published'
     GROUP BY c.verdict)) AS scorecard
FROM claims_speaker s WHERE s.slug = :speaker""",
}

# Columns that hold JSON text, for Datasette's `_json=` parameter.
JSON_COLUMNS = [
    "speaker",
    "topics",
    "appearances",
    "rebuttals",
    "reviews",
    "affiliation",
    "scorecard",
]

# Counts for the paginated endpoints (the ceiling counts exactly, like a naive API).
COUNTS = {
    "claims_by_speaker": f"SELECT count(*) FROM claims_claim c "
    f"WHERE c.status = 'published' AND {BY_SPEAKER}",
    "claims_search": f"SELECT count(*) FROM claims_claim c "
    f"WHERE c.status = 'published' AND {SEARCH}",
    "claims_all": "SELECT count(*) FROM claims_claim c WHERE c.status = 'published'",
}
