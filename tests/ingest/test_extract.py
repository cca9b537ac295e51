"""Statement extraction: the seed article against the demo data, each construct on invented text,
each language, the development reports, and bad input."""

import datetime
import json
import time
from pathlib import Path

import pytest
from django.conf import settings

from ingest.extract import (
    Extraction,
    KnownSpeaker,
    ProposedSpeaker,
    Rebuttal,
    extract,
    extract_statements,
)

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "reuters-2015-01-26-nato-ukraine.txt"
DEV = Path(__file__).parent / "fixtures" / "dev"
PUBLISHED = datetime.date(2025, 6, 4)  # a Wednesday; statements the text does not date get None
MONDAY = datetime.date(2025, 6, 2)


def triples(text, language="en", published_on=PUBLISHED, **kwargs):
    """(speaker, kind, quote, stated_on) of every proposed statement, in text order."""
    result = extract_statements(text, language, published_on=published_on, **kwargs)
    for statement in result.statements:
        assert text[statement.start : statement.end] == statement.quote
        assert 0 <= statement.confidence <= 1
    return [(s.speaker, s.kind, s.quote, s.stated_on) for s in result.statements]


# --- the seed article -------------------------------------------------------------------------


@pytest.fixture
def seed_text():
    if not SEED.exists():
        pytest.skip(f"the seed article is not here ({SEED}): it lives in the shared folder")
    return SEED.read_text(encoding="utf-8")


def _find(result, speaker, words):
    found = [s for s in result.statements if s.speaker == speaker and words in s.quote]
    assert len(found) == 1, f"{speaker}: {words!r} in {[s.quote for s in result.statements]}"
    return found[0]


def test_seed_article_yields_the_demo_statements(seed_text):
    from claims import demo

    known = [
        KnownSpeaker(row["name"], job_title=row.get("job_title"), key=row["slug"])
        for row in demo.SPEAKERS
        if row["slug"] != "ihor-dolhov"  # proposed as a new speaker below
    ]
    result = extract_statements(
        seed_text, "en", known_speakers=known, published_on=demo.PUBLISHED_ON
    )
    by_key = {}
    for claim in demo.CLAIMS:
        speaker = next(s["name"] for s in demo.SPEAKERS if s["slug"] == claim["speaker"])
        # The demo's quotes take in their attribution; the proposals hold the words alone, so
        # a proposal matches when most of the shorter of the two is shared.
        start = seed_text.index(claim["quote"])
        end = start + len(claim["quote"])
        proposals = [
            s
            for s in result.statements
            if s.speaker == speaker
            and min(s.end, end) - max(s.start, start) > 0.5 * min(s.end - s.start, end - start)
        ]
        assert len(proposals) == 1, (claim["key"], [s.quote for s in result.statements])
        by_key[claim["key"]] = proposals[0]
    assert {key: s.kind for key, s in by_key.items()} == {
        "nato-legion": "reported",
        "no-nato-legion": "direct",
        "separatist-escalation": "direct",
        "russian-support": "reported",
        "call-on-russia": "direct",
        "russia-denial": "reported",
        "no-intervention": "reported",
        "asked-for-assistance": "reported",
    }
    for key in ("no-nato-legion", "separatist-escalation", "call-on-russia"):
        assert by_key[key].stated_on == demo.PUBLISHED_ON
    refutation = Rebuttal(
        statement=by_key["no-nato-legion"].id,
        answers=by_key["nato-legion"].id,
        relation="refutes",
        confidence=next(
            r.confidence for r in result.rebuttals if r.statement == by_key["no-nato-legion"].id
        ),
    )
    assert refutation in result.rebuttals
    # Russia's denial, in words of its own, disputes the support Stoltenberg says it gives.
    denial = [r for r in result.rebuttals if r.statement == by_key["russia-denial"].id]
    assert [(r.answers, r.relation) for r in denial] == [(by_key["russian-support"].id, "disputes")]
    speakers = {s.name: s for s in result.speakers}
    assert speakers["Ihor Dolhov"] == ProposedSpeaker(
        name="Ihor Dolhov", kind="person", job_title="Ukraine's Ambassador to NATO", known=None
    )
    assert speakers["Jens Stoltenberg"].known == "jens-stoltenberg"
    assert speakers["Vladimir Putin"].known == "vladimir-putin"
    assert speakers["Russia"].known == "russia"
    assert speakers["NATO"].known == "nato"
    # Nobody's words: the diplomats are unnamed, the caption and the byline say nothing.
    assert not any("political support" in s.quote for s in result.statements)


def test_seed_article_without_known_speakers(seed_text):
    result = extract_statements(seed_text, "en", published_on="2015-01-26")
    assert _find(result, "Jens Stoltenberg", "There is no NATO legion").kind == "direct"
    assert _find(result, "Vladimir Putin", "NATO legion was fighting").kind == "reported"
    assert _find(result, "Ihor Dolhov", "additional military assistance").kind == "reported"
    assert {s.is_new for s in result.speakers} == {True}


# --- constructs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"We will not raise fares this year," Transport Minister Lena Hart said on Monday.',
            [("Lena Hart", "direct", "We will not raise fares this year", MONDAY)],
        ),
        (
            "Mayor Tom Reyes said: “The bridge will open in May.”",
            [("Tom Reyes", "direct", "The bridge will open in May.", None)],
        ),
        (
            "« Le pont ouvrira en mai », a déclaré lundi le maire, Tom Reyes.",
            [("Tom Reyes", "direct", "Le pont ouvrira en mai", MONDAY)],
        ),
        (
            "„Die Brücke öffnet im Mai“, sagte Bürgermeister Tom Reyes.",
            [("Tom Reyes", "direct", "Die Brücke öffnet im Mai", None)],
        ),
    ],
)
def test_direct_quotes_in_each_style(text, expected):
    language = "fr" if "«" in text else "de" if "„" in text else "en"
    assert triples(text, language) == expected


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (
            "Health Minister Ana Silva said on Tuesday that hospital waiting lists had fallen "
            "by 12% since January.",
            "hospital waiting lists had fallen by 12% since January",
        ),
        (
            "Waiting lists had fallen by 12% since January, Health Minister Ana Silva said.",
            "Waiting lists had fallen by 12% since January",
        ),
        (
            "According to Ana Silva, the health minister, waiting lists had fallen by 12% since "
            "January.",
            "waiting lists had fallen by 12% since January",
        ),
    ],
)
def test_reported_speech(text, quote):
    stated = datetime.date(2025, 6, 3) if "Tuesday" in text else None
    assert triples(text) == [("Ana Silva", "reported", quote, stated)]


def test_reported_speech_two_clauses_and_an_interrupting_attribution():
    text = (
        "Health Minister Ana Silva said waiting lists had fallen and that two clinics would "
        "open. The new beds, she said, had been paid for by the region."
    )
    assert triples(text) == [
        ("Ana Silva", "reported", "waiting lists had fallen", None),
        ("Ana Silva", "reported", "two clinics would open", None),
        (
            "Ana Silva",
            "reported",
            "The new beds, she said, had been paid for by the region",
            None,
        ),
    ]


def test_denials_start_at_the_verb_and_empty_denials_say_nothing():
    text = (
        "The Kessel Water Company denied that it had polluted the river. Its chief executive, "
        "Anton Weller, rejected the accusation."
    )
    assert triples(text) == [
        ("Kessel Water Company", "reported", "denied that it had polluted the river", None)
    ]


def test_title_and_pronoun_attribution_and_job_title_of_a_new_speaker():
    text = (
        "Ana Silva, the health minister, visited the hospital in Norbury. The minister said "
        'waiting lists had fallen. "We are not done yet," she added.'
    )
    result = extract_statements(text, "en", published_on=PUBLISHED)
    assert [(s.speaker, s.kind, s.quote) for s in result.statements] == [
        ("Ana Silva", "reported", "waiting lists had fallen"),
        ("Ana Silva", "direct", "We are not done yet"),
    ]
    assert result.speakers == [
        ProposedSpeaker(name="Ana Silva", kind="person", job_title="health minister")
    ]


def test_pronoun_refers_to_the_previous_subject_not_the_last_name():
    text = (
        'Mayor Tom Reyes dismissed as "nonsense" claims by developer Rita Kahn that the bridge '
        'was unsafe. "The bridge has passed every test," he said.'
    )
    assert triples(text) == [
        ("Tom Reyes", "direct", "nonsense", None),
        ("Rita Kahn", "reported", "the bridge was unsafe", None),
        ("Tom Reyes", "direct", "The bridge has passed every test", None),
    ]


def test_known_speakers_by_alias_and_title():
    known = [KnownSpeaker("Ana Silva Pereira", aliases=("Silva",), key=7)]
    result = extract_statements(
        'Silva told parliament the plan was working. "It is," she said.',
        "en",
        known_speakers=known,
    )
    assert [(s.speaker, s.quote) for s in result.statements] == [
        ("Ana Silva Pereira", "the plan was working"),
        ("Ana Silva Pereira", "It is"),
    ]
    assert result.speakers[0].known == 7


def test_nested_quotes():
    text = (
        'Harbour master Ines Roth criticised the port authority. "Its director Karl Brandt told '
        "us in June, 'The quay is safe.' It was not,\" Roth said."
    )
    assert triples(text) == [
        (
            "Ines Roth",
            "direct",
            "Its director Karl Brandt told us in June, 'The quay is safe.' It was not",
            None,
        ),
        ("Karl Brandt", "direct", "The quay is safe.", None),
    ]


def test_nested_quote_of_nobody_is_not_proposed():
    text = (
        "Union leader Paul Moss spoke outside the plant. \"My grandmother used to say, 'Work "
        "is never wasted.' She was wrong,\" Moss said."
    )
    assert triples(text) == [
        (
            "Paul Moss",
            "direct",
            "My grandmother used to say, 'Work is never wasted.' She was wrong",
            None,
        )
    ]


def test_quotes_that_belong_to_nobody():
    text = (
        'Protesters carried banners reading "Save Our Port". Analysts said the deal was '
        '"a gamble". The so-called "harbour tax" was dropped. The report, titled "Ports of '
        'Tomorrow", was published in May. Some residents said "enough is enough".'
    )
    assert triples(text) == []


def test_stated_dates():
    text = (
        "Mayor Tom Reyes said on Friday that the bridge would open in May. Reyes told a "
        'newspaper in April that costs had doubled. "We are on time," Reyes said yesterday.'
    )
    assert triples(text) == [
        ("Tom Reyes", "reported", "the bridge would open in May", datetime.date(2025, 5, 30)),
        ("Tom Reyes", "reported", "costs had doubled", None),
        ("Tom Reyes", "direct", "We are on time", datetime.date(2025, 6, 3)),
    ]
    assert triples(text, published_on=None)[0][3] is None


def test_rebuttal_with_its_relation():
    text = (
        "Finance Minister Jon Lie said on Monday that unemployment had fallen to 4%. Opposition "
        "leader Eva Dahl said unemployment had not fallen."
    )
    result = extract_statements(text, "en", published_on=PUBLISHED)
    assert [(s.id, s.speaker) for s in result.statements] == [
        ("p1", "Jon Lie"),
        ("p2", "Eva Dahl"),
    ]
    assert [(r.statement, r.answers, r.relation) for r in result.rebuttals] == [
        ("p2", "p1", "refutes")
    ]


def test_a_denial_in_its_own_words_disputes_the_charge_against_the_denier():
    """It shares no words with the charge; it answers the latest statement by another side
    that says something of the denier, not an appeal to it, nor a statement of its own side."""
    text = (
        "Port director Ana Brun said Lisvania had sent pilots to the rebel airfield. "
        '"We call on Lisvania to withdraw them at once," Brun said. '
        "Lisvania denies any role in the conflict."
    )
    result = extract_statements(text, "en", published_on=PUBLISHED)
    assert [(s.id, s.speaker, s.quote) for s in result.statements] == [
        ("p1", "Ana Brun", "Lisvania had sent pilots to the rebel airfield"),
        ("p2", "Ana Brun", "We call on Lisvania to withdraw them at once"),
        ("p3", "Lisvania", "denies any role in the conflict"),
    ]
    assert [(r.statement, r.answers, r.relation) for r in result.rebuttals] == [
        ("p3", "p1", "disputes")
    ]


def test_two_statements_answering_each_other_make_one_rebuttal_the_later_replying():
    """Both deny something and share their subject, so each looks like the other's answer;
    the later one is the reply."""
    text = (
        "The company Quillpay said on Monday that no customer passwords were affected by the "
        "breach. Security researcher Jari Koskinen said the customer passwords had never been "
        "protected."
    )
    result = extract_statements(text, "en", published_on=PUBLISHED)
    assert [(s.id, s.speaker) for s in result.statements] == [
        ("p1", "Quillpay"),
        ("p2", "Jari Koskinen"),
    ]
    assert [(r.statement, r.answers, r.relation) for r in result.rebuttals] == [
        ("p2", "p1", "refutes")
    ]


# --- languages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "es",
            "MADRID, 3 jun (AIN) - La ministra de Sanidad, Carmen Ruiz, afirmó el lunes que las "
            "listas de espera se habían reducido un 12 %. «No hemos terminado», dijo Ruiz. "
            "Añadió que el plan costará 40 millones.",
            [
                ("Carmen Ruiz", "reported", "las listas de espera se habían reducido un 12 %"),
                ("Carmen Ruiz", "direct", "No hemos terminado"),
                ("Carmen Ruiz", "reported", "el plan costará 40 millones"),
            ],
        ),
        (
            "fr",
            "PARIS, 8 octobre (DC) - Le ministre de la Santé, Paul Martin, a déclaré lundi que "
            "les listes d'attente avaient baissé de 12 %. « Nous n'avons pas fini », a-t-il "
            "ajouté. Selon la syndicaliste Marie Dubois, les chiffres sont « trompeurs ».",
            [
                ("Paul Martin", "reported", "les listes d'attente avaient baissé de 12 %"),
                ("Paul Martin", "direct", "Nous n'avons pas fini"),
                ("Marie Dubois", "reported", "les chiffres sont « trompeurs »"),
            ],
        ),
        (
            "de",
            "BERLIN, 3. Juni (NPA) - Gesundheitsminister Karl Berg sagte am Montag, die "
            "Wartelisten seien um zwölf Prozent kürzer geworden. „Wir sind noch nicht fertig“, "
            "sagte Berg. Die Klinik werde im Mai öffnen, so Berg.",
            [
                ("Karl Berg", "reported", "die Wartelisten seien um zwölf Prozent kürzer geworden"),
                ("Karl Berg", "direct", "Wir sind noch nicht fertig"),
                ("Karl Berg", "reported", "Die Klinik werde im Mai öffnen"),
            ],
        ),
        (
            "it",
            "ROMA, 3 giugno (ASP) - Il ministro della Salute, Marco Rossi, ha detto lunedì che "
            "le liste d'attesa si sono ridotte del 12%. «Non abbiamo finito», ha aggiunto Rossi.",
            [
                ("Marco Rossi", "reported", "le liste d'attesa si sono ridotte del 12%"),
                ("Marco Rossi", "direct", "Non abbiamo finito"),
            ],
        ),
        (
            "pt",
            "LISBOA, 3 jun (AA) - A ministra da Saúde, Ana Costa, afirmou na segunda-feira que "
            "as listas de espera diminuíram 12%. “Ainda não terminámos”, disse Costa.",
            [
                ("Ana Costa", "reported", "as listas de espera diminuíram 12%"),
                ("Ana Costa", "direct", "Ainda não terminámos"),
            ],
        ),
        (
            "ru",
            "МОСКВА, 3 июня (Вестник) - Министр здравоохранения Иван Петров заявил в "
            "понедельник, что очереди в больницах сократились на 12%. «Мы ещё не закончили», — "
            "сказал Петров.",
            [
                ("Иван Петров", "reported", "очереди в больницах сократились на 12%"),
                ("Иван Петров", "direct", "Мы ещё не закончили"),
            ],
        ),
        (
            "uk",
            "КИЇВ, 3 червня (Вісник) - Міністр охорони здоров'я Олена Коваль заявила в "
            "понеділок, що черги в лікарнях скоротилися на 12%. «Ми ще не закінчили», — сказала "
            "Коваль.",
            [
                ("Олена Коваль", "reported", "черги в лікарнях скоротилися на 12%"),
                ("Олена Коваль", "direct", "Ми ще не закінчили"),
            ],
        ),
    ],
)
def test_languages(language, text, expected):
    found = triples(text, language)
    assert [item[:3] for item in found] == expected
    assert found[0][3] == MONDAY  # "el lunes", "lundi", "am Montag", … counted back


# --- the development reports ------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DEV.glob("d*.json")), ids=lambda path: path.stem)
def test_development_reports(path):
    """Every labelled statement found with its speaker (half its span covered, the scorer's
    rule), and nothing else proposed."""
    report = json.loads(path.read_text(encoding="utf-8"))
    result = extract_statements(
        report["text"], report["language"], published_on=report["published_on"]
    )
    unmatched = list(result.statements)
    for gold in report["statements"]:
        match = next(
            (
                s
                for s in unmatched
                if s.speaker == gold["speaker"]
                and min(s.end, gold["end"]) - max(s.start, gold["start"])
                >= (gold["end"] - gold["start"]) / 2
            ),
            None,
        )
        assert match is not None, gold
        unmatched.remove(match)
    assert unmatched == []


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n ", None, 42, b"bytes are not text"])
def test_empty_or_odd_input_gives_nothing(text):
    assert extract_statements(text, "en") == Extraction()


def test_text_without_statements():
    text = (
        "The harbour was built in 1850. Ships from twelve countries call there every week, and "
        'the old lighthouse, known as "the Needle", is a museum.'
    )
    assert extract(text, "en") == {
        "statements": [],
        "speakers": [],
        "rebuttals": [],
        "truncated": False,
    }


def test_binary_junk():
    junk = bytes(range(256)).decode("latin-1") * 2000
    assert extract_statements(junk, "en").statements == []


def test_unknown_language_is_read_as_english():
    assert triples('"We are ready," Mayor Tom Reyes said.', "xx") == [
        ("Tom Reyes", "direct", "We are ready", None)
    ]


def test_five_megabytes_of_text_is_cut_and_read_in_bounded_time():
    paragraph = (
        'Mayor Tom Reyes said the bridge would open in May. "We are on time," Reyes said.\n\n'
    )
    text = paragraph * (5_000_000 // len(paragraph))
    started = time.monotonic()
    result = extract_statements(text, "en")
    # Generous on a shared machine; the figure itself is measured in bench/, not here.
    assert time.monotonic() - started < 60
    assert result.truncated
    assert result.statements[0].speaker == "Tom Reyes"
    assert result.statements[-1].end <= 200_000
