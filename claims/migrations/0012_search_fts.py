"""Full-text search for `q`, ranked, in place of 0007's trigram indexes; speakers' aliases.

SQLite:
- `claims_claim_search`: an FTS5 table, one row per claim (rowid = its id) with the columns
  text, speaker (name and aliases), quotes (its appearances') and rebuttals (their text),
  tokenized by porter over unicode61 (English inflections, case folded in every script,
  diacritics kept), written by triggers on claims_claim (`claims_claim_search_ai`, `_au`,
  `_ad`), claims_appearance and claims_rebuttal (`<table>_search_ai`, `_au`, `_ad`) and
  claims_speaker (`claims_speaker_claims_search_au`);
- `claims_speaker_search`: name, aliases, job title and description (unicode61), written by
  triggers on claims_speaker (`claims_speaker_search_ai`, `_au`, `_ad`).

PostgreSQL:
- `claims_search_config(language)`: the text-search configuration of a BCP-47 tag;
  `claims_search_term(text)`: a term in web-search syntax as a tsquery in every configuration
  (`websearch_to_tsquery` in each, OR-ed), so a query needs no claim's language;
- `claims_claim.search_vector`: a tsvector (A: text, B: speaker name and aliases, C: quotes,
  D: rebuttals; each stemmed in the claim's language and as plain words), set by a BEFORE
  trigger on claims_claim (`claims_claim_search`) and refreshed by triggers on
  claims_appearance, claims_rebuttal (`<table>_claim_search`) and claims_speaker
  (`claims_speaker_claim_search`), under the GIN index `claims_claim_search_vector`;
- `claims_speaker.search_vector`: generated from name, aliases, job title and description
  ('simple' configuration), under the GIN index `claims_speaker_search_vector`.

0007's trigram tables, triggers and indexes are dropped (the pg_trgm extension is left in
place: other code may use it). 0007's ordering indexes are created again here if missing, so
that this migration alone reinstalls every object the search and ordering checks name
(claims/checks.py; `manage.py reinstall_database_objects`).

The SQL is frozen here. A later migration that rebuilds claims_claim, claims_appearance,
claims_rebuttal or claims_speaker on SQLite (Django's "remake table") drops their triggers
and must run SQLITE_SEARCH again.
"""

from django.db import NotSupportedError, migrations, models

import sources.validators

# --- SQLite ---------------------------------------------------------------------------------

# The search row of the claims chosen by a WHERE on `c`.
CLAIM_ROW = (
    "INSERT INTO claims_claim_search(rowid, text, speaker, quotes, rebuttals) "
    "SELECT c.id, c.text, "
    "(SELECT s.name || ' ' || coalesce((SELECT group_concat(j.value, ' ') "
    "FROM json_each(s.aliases) j), '') FROM claims_speaker s WHERE s.id = c.speaker_id), "
    "(SELECT group_concat(a.quote, ' ') FROM claims_appearance a WHERE a.claim_id = c.id), "
    "(SELECT group_concat(r.text, ' ') FROM claims_rebuttal r WHERE r.claim_id = c.id) "
    "FROM claims_claim c WHERE {where}"
)
SPEAKER_ROW = (
    "INSERT INTO claims_speaker_search(rowid, name, aliases, job_title, description) "
    "SELECT NEW.id, NEW.name, (SELECT group_concat(j.value, ' ') FROM json_each(NEW.aliases) j), "
    "NEW.job_title, NEW.description"
)


def refresh_claims(ids: str) -> str:
    """Statements that write again the search rows of the claims whose ids `ids` lists."""
    return (
        f"DELETE FROM claims_claim_search WHERE rowid IN ({ids}); "
        + CLAIM_ROW.format(where=f"c.id IN ({ids})")
        + ";"
    )


SQLITE_OLD_SEARCH_DROP = [
    f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}"
    for table in ("claims_claim", "claims_appearance", "claims_speaker")
    for suffix in ("ai", "ad", "au")
] + [
    f"DROP TABLE IF EXISTS {table}_fts"
    for table in ("claims_claim", "claims_appearance", "claims_speaker")
]

SQLITE_TRIGGER_NAMES = [
    "claims_claim_search_ai",
    "claims_claim_search_au",
    "claims_claim_search_ad",
    "claims_appearance_search_ai",
    "claims_appearance_search_au",
    "claims_appearance_search_ad",
    "claims_rebuttal_search_ai",
    "claims_rebuttal_search_au",
    "claims_rebuttal_search_ad",
    "claims_speaker_claims_search_au",
    "claims_speaker_search_ai",
    "claims_speaker_search_au",
    "claims_speaker_search_ad",
]

SQLITE_SEARCH = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGER_NAMES),
    "DROP TABLE IF EXISTS claims_claim_search",
    "CREATE VIRTUAL TABLE claims_claim_search USING fts5(text, speaker, quotes, rebuttals, "
    "tokenize='porter unicode61 remove_diacritics 0')",
    "CREATE TRIGGER claims_claim_search_ai AFTER INSERT ON claims_claim BEGIN "
    + CLAIM_ROW.format(where="c.id = NEW.id")
    + "; END",
    "CREATE TRIGGER claims_claim_search_au AFTER UPDATE OF text, speaker_id ON claims_claim "
    "WHEN OLD.text IS NOT NEW.text OR OLD.speaker_id IS NOT NEW.speaker_id BEGIN "
    + refresh_claims("NEW.id")
    + " END",
    "CREATE TRIGGER claims_claim_search_ad AFTER DELETE ON claims_claim BEGIN "
    "DELETE FROM claims_claim_search WHERE rowid = OLD.id; END",
    *(
        statement
        for table, column in (("claims_appearance", "quote"), ("claims_rebuttal", "text"))
        for statement in (
            f"CREATE TRIGGER {table}_search_ai AFTER INSERT ON {table} BEGIN "
            + refresh_claims("NEW.claim_id")
            + " END",
            f"CREATE TRIGGER {table}_search_au AFTER UPDATE OF {column}, claim_id ON {table} "
            f"WHEN OLD.{column} IS NOT NEW.{column} OR OLD.claim_id IS NOT NEW.claim_id BEGIN "
            + refresh_claims("OLD.claim_id, NEW.claim_id")
            + " END",
            f"CREATE TRIGGER {table}_search_ad AFTER DELETE ON {table} BEGIN "
            + refresh_claims("OLD.claim_id")
            + " END",
        )
    ),
    "CREATE TRIGGER claims_speaker_claims_search_au AFTER UPDATE OF name, aliases "
    "ON claims_speaker WHEN OLD.name IS NOT NEW.name OR OLD.aliases IS NOT NEW.aliases BEGIN "
    + refresh_claims("SELECT id FROM claims_claim WHERE speaker_id = NEW.id")
    + " END",
    CLAIM_ROW.format(where="1"),
    "DROP TABLE IF EXISTS claims_speaker_search",
    "CREATE VIRTUAL TABLE claims_speaker_search USING fts5(name, aliases, job_title, "
    "description, tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER claims_speaker_search_ai AFTER INSERT ON claims_speaker BEGIN {SPEAKER_ROW}; END",
    "CREATE TRIGGER claims_speaker_search_au "
    "AFTER UPDATE OF name, aliases, job_title, description ON claims_speaker BEGIN "
    f"DELETE FROM claims_speaker_search WHERE rowid = OLD.id; {SPEAKER_ROW}; END",
    "CREATE TRIGGER claims_speaker_search_ad AFTER DELETE ON claims_speaker BEGIN "
    "DELETE FROM claims_speaker_search WHERE rowid = OLD.id; END",
    "INSERT INTO claims_speaker_search(rowid, name, aliases, job_title, description) "
    "SELECT s.id, s.name, (SELECT group_concat(j.value, ' ') FROM json_each(s.aliases) j), "
    "s.job_title, s.description FROM claims_speaker s",
]
SQLITE_SEARCH_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGER_NAMES),
    "DROP TABLE IF EXISTS claims_claim_search",
    "DROP TABLE IF EXISTS claims_speaker_search",
]
SQLITE_ORDERING = [
    "CREATE INDEX IF NOT EXISTS claims_claim_speaker_status_stated "
    "ON claims_claim (speaker_id, status, stated_on DESC, id DESC)",
    "CREATE INDEX IF NOT EXISTS claims_claim_status_stated "
    "ON claims_claim (status, stated_on DESC, id DESC)",
    "CREATE INDEX IF NOT EXISTS claims_review_verdict "
    "ON claims_review (claim_id, status, published_on DESC, id DESC, rating)",
]

# --- PostgreSQL -----------------------------------------------------------------------------

# BCP-47 primary subtag -> text-search configuration (snowball stemmers shipped since 12).
CONFIGURATIONS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
CONFIG_CASES = " ".join(f"WHEN '{tag}' THEN '{name}'" for tag, name in CONFIGURATIONS.items())
# Each configuration's reading of the term once: most configurations read a word alike, and
# a tsquery repeating a lexeme 20 times looks 20 times as common to the planner (a sequential
# scan instead of the GIN index).
TERM_QUERIES = (
    "SELECT coalesce(('(' || string_agg(DISTINCT found::text, ') | (') || ')')::tsquery, "
    "''::tsquery) FROM (VALUES "
    + ", ".join(
        f"(websearch_to_tsquery('{name}', term))"
        for name in ["simple", *sorted(set(CONFIGURATIONS.values()))]
    )
    + ") readings(found) WHERE found <> ''::tsquery"
)


def weighted(body: str, weight: str) -> str:
    return (
        f"setweight(to_tsvector(config, coalesce({body}, '')) "
        f"|| to_tsvector('simple', coalesce({body}, '')), '{weight}')"
    )


POSTGRESQL_SEARCH = [
    "DROP INDEX IF EXISTS claims_claim_text_trgm",
    "DROP INDEX IF EXISTS claims_appearance_quote_trgm",
    "DROP INDEX IF EXISTS claims_speaker_name_trgm",
    "CREATE OR REPLACE FUNCTION claims_search_config(language text) RETURNS regconfig "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (CASE split_part(lower(language), '-', 1) "
    f"{CONFIG_CASES} ELSE 'simple' END)::regconfig $$",
    "CREATE OR REPLACE FUNCTION claims_search_term(term text) RETURNS tsquery "
    f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ {TERM_QUERIES} $$",
    "CREATE OR REPLACE FUNCTION claims_claim_search_vector("
    "claim bigint, body text, speaker bigint, language text) RETURNS tsvector "
    "LANGUAGE sql STABLE AS $$ SELECT "
    + weighted("body", "A")
    + " || "
    + weighted(
        "(SELECT s.name || ' ' || coalesce((SELECT string_agg(j, ' ') "
        "FROM jsonb_array_elements_text(s.aliases) j), '') "
        "FROM claims_speaker s WHERE s.id = speaker)",
        "B",
    )
    + " || "
    + weighted(
        "(SELECT string_agg(a.quote, ' ') FROM claims_appearance a WHERE a.claim_id = claim)", "C"
    )
    + " || "
    + weighted(
        "(SELECT string_agg(r.text, ' ') FROM claims_rebuttal r WHERE r.claim_id = claim)", "D"
    )
    + " FROM (SELECT claims_search_config(language) AS config) chosen $$",
    "ALTER TABLE claims_claim ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "CREATE OR REPLACE FUNCTION claims_claim_search() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN NEW.search_vector := claims_claim_search_vector("
    "NEW.id, NEW.text, NEW.speaker_id, NEW.language); RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS claims_claim_search ON claims_claim",
    "CREATE TRIGGER claims_claim_search BEFORE INSERT OR UPDATE OF text, speaker_id, language "
    "ON claims_claim FOR EACH ROW EXECUTE FUNCTION claims_claim_search()",
    "CREATE OR REPLACE FUNCTION claims_claim_search_refresh() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'INSERT' THEN "
    "UPDATE claims_claim c SET search_vector = claims_claim_search_vector("
    "c.id, c.text, c.speaker_id, c.language) WHERE c.id = NEW.claim_id; "
    "ELSIF TG_OP = 'DELETE' THEN "
    "UPDATE claims_claim c SET search_vector = claims_claim_search_vector("
    "c.id, c.text, c.speaker_id, c.language) WHERE c.id = OLD.claim_id; "
    "ELSE "
    "UPDATE claims_claim c SET search_vector = claims_claim_search_vector("
    "c.id, c.text, c.speaker_id, c.language) WHERE c.id IN (OLD.claim_id, NEW.claim_id); "
    "END IF; RETURN NULL; END $$",
    *(
        statement
        for table, column in (("claims_appearance", "quote"), ("claims_rebuttal", "text"))
        for statement in (
            f"DROP TRIGGER IF EXISTS {table}_claim_search ON {table}",
            f"CREATE TRIGGER {table}_claim_search AFTER INSERT OR DELETE OR UPDATE OF "
            f"{column}, claim_id ON {table} FOR EACH ROW "
            "EXECUTE FUNCTION claims_claim_search_refresh()",
        )
    ),
    "CREATE OR REPLACE FUNCTION claims_speaker_claim_search() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE claims_claim c SET search_vector = claims_claim_search_vector("
    "c.id, c.text, c.speaker_id, c.language) WHERE c.speaker_id = NEW.id; "
    "RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS claims_speaker_claim_search ON claims_speaker",
    "CREATE TRIGGER claims_speaker_claim_search AFTER UPDATE OF name, aliases ON claims_speaker "
    "FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name "
    "OR OLD.aliases IS DISTINCT FROM NEW.aliases) "
    "EXECUTE FUNCTION claims_speaker_claim_search()",
    "UPDATE claims_claim SET search_vector = claims_claim_search_vector("
    "id, text, speaker_id, language)",
    "CREATE INDEX IF NOT EXISTS claims_claim_search_vector ON claims_claim "
    "USING gin (search_vector)",
    "ALTER TABLE claims_speaker ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name || ' ' || aliases::text "
    "|| ' ' || job_title || ' ' || description)) STORED",
    "CREATE INDEX IF NOT EXISTS claims_speaker_search_vector ON claims_speaker "
    "USING gin (search_vector)",
]
POSTGRESQL_SEARCH_DROP = [
    "DROP INDEX IF EXISTS claims_speaker_search_vector",
    "ALTER TABLE claims_speaker DROP COLUMN IF EXISTS search_vector",
    "DROP TRIGGER IF EXISTS claims_speaker_claim_search ON claims_speaker",
    "DROP TRIGGER IF EXISTS claims_appearance_claim_search ON claims_appearance",
    "DROP TRIGGER IF EXISTS claims_rebuttal_claim_search ON claims_rebuttal",
    "DROP TRIGGER IF EXISTS claims_claim_search ON claims_claim",
    "DROP INDEX IF EXISTS claims_claim_search_vector",
    "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS claims_speaker_claim_search()",
    "DROP FUNCTION IF EXISTS claims_claim_search_refresh()",
    "DROP FUNCTION IF EXISTS claims_claim_search()",
    "DROP FUNCTION IF EXISTS claims_claim_search_vector(bigint, text, bigint, text)",
    "DROP FUNCTION IF EXISTS claims_search_term(text)",
    "DROP FUNCTION IF EXISTS claims_search_config(text)",
]
POSTGRESQL_ORDERING = [
    "CREATE INDEX IF NOT EXISTS claims_claim_speaker_status_stated "
    "ON claims_claim (speaker_id, status, stated_on DESC NULLS LAST, id DESC)",
    "CREATE INDEX IF NOT EXISTS claims_claim_status_stated "
    "ON claims_claim (status, stated_on DESC NULLS LAST, id DESC)",
    "CREATE INDEX IF NOT EXISTS claims_review_verdict "
    "ON claims_review (claim_id, status, published_on DESC NULLS LAST, id DESC, rating)",
]

INSTALL = {
    "sqlite": [*SQLITE_OLD_SEARCH_DROP, *SQLITE_ORDERING, *SQLITE_SEARCH],
    "postgresql": [*POSTGRESQL_ORDERING, *POSTGRESQL_SEARCH],
}
# Back to 0007's state: this migration's objects go; run `manage.py migrate claims 0007` and
# then 0007's SQL again (`reinstall_database_objects` at that version) for the trigram search.
UNINSTALL = {"sqlite": SQLITE_SEARCH_DROP, "postgresql": POSTGRESQL_SEARCH_DROP}


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in INSTALL:
        raise NotSupportedError(f"Full-text search exists for SQLite and PostgreSQL, not {vendor}.")
    with schema_editor.connection.cursor() as cursor:
        for sql in INSTALL[vendor]:
            cursor.execute(sql)


def backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for sql in UNINSTALL[schema_editor.connection.vendor]:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_matching_fingerprint"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalspeaker",
            name="aliases",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='Other spellings and scripts of the name, e.g. ["Владимир Путин"].',
                validators=[sources.validators.validate_aliases],
            ),
        ),
        migrations.AddField(
            model_name="speaker",
            name="aliases",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='Other spellings and scripts of the name, e.g. ["Владимир Путин"].',
                validators=[sources.validators.validate_aliases],
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
