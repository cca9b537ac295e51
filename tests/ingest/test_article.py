"""Article text and metadata from HTML (trafilatura) and from plain text; datelines; language."""

import datetime
from pathlib import Path

import pytest

from ingest.article import Article, Dateline, detect_language, from_html, from_text, read_dateline

FIXTURES = Path(__file__).parent / "fixtures"


def test_from_html_text_and_metadata():
    html = (FIXTURES / "harbour.html").read_text()
    article = from_html(html, url="https://news.example.org/x")
    assert article == Article(
        text=(
            "Harbour strike ends after pay deal\n\n"
            "PORT MERRIN, Nov 5 (Coastline Herald) - Dock workers at Port Merrin will return to "
            "work on Wednesday after their union accepted a pay offer worth 6% over two years, "
            "ending a strike that had kept container ships waiting offshore for nine days.\n\n"
            '"This is a fair deal and our members have earned it," said Ruth Aldane, the general '
            "secretary of the Harbour Workers' Union, outside the port gates on Tuesday.\n\n"
            "The port authority said about 40 ships were waiting to unload and that the backlog "
            "would be cleared by the end of the month.\n\n"
            "Harbour master Colin Brede said the strike had cost the port about 3 million pounds "
            "a day, a figure the union disputed."
        ),
        title="Harbour strike ends after pay deal",
        authors=["Nadia Ferreira", "Tom Okoye"],
        published_on=datetime.date(2024, 11, 5),
        outlet="Coastline Herald",
        url="https://news.example.org/coastline/2024/11/05/harbour-strike",
        language="en",
        dateline=Dateline(
            place="PORT MERRIN",
            outlet="Coastline Herald",
            date="Nov 5",
            text="PORT MERRIN, Nov 5 (Coastline Herald) -",
        ),
    )


def test_from_html_bytes_in_a_declared_encoding():
    html = (
        '<html><head><meta charset="windows-1251"><title>Порт</title></head><body><article>'
        "<p>ВЕРХНЕДОНСК, 10 декабря (Вестник) - Министр транспорта заявил во вторник, что "
        "порт откроется весной, а строительство новой дороги начнётся летом.</p>"
        "<p>Мэр города сказал, что денег на ремонт причалов в бюджете пока нет.</p>"
        "</article></body></html>"
    ).encode("cp1251")
    article = from_html(html)
    assert article.text.startswith("ВЕРХНЕДОНСК, 10 декабря (Вестник) - Министр транспорта")
    assert article.language == "ru"
    assert article.dateline == Dateline(
        place="ВЕРХНЕДОНСК",
        outlet="Вестник",
        date="10 декабря",
        text="ВЕРХНЕДОНСК, 10 декабря (Вестник) -",
    )


@pytest.mark.parametrize(
    "junk",
    [b"", b"\x00\xff\x89PNG\r\n" * 500, bytes(range(256)) * 50, "<html></html>", "   "],
)
def test_from_html_without_text_is_empty(junk):
    assert from_html(junk, url="https://news.example.org/a") == Article(
        text="", url="https://news.example.org/a"
    )


def test_from_text_takes_metadata_as_given():
    text = "By Adrian Croft BRUSSELS (Reuters) - NATO blamed the separatists on Monday."
    article = from_text(
        text, title="NATO criticises Russia", published_on="2015-01-26", url="https://r.example/a"
    )
    assert article == Article(
        text=text,
        title="NATO criticises Russia",
        authors=["Adrian Croft"],
        published_on=datetime.date(2015, 1, 26),
        outlet="Reuters",
        url="https://r.example/a",
        language="en",
        dateline=Dateline(
            place="BRUSSELS",
            outlet="Reuters",
            date=None,
            text="By Adrian Croft BRUSSELS (Reuters) -",
            byline="Adrian Croft",
        ),
    )


def test_from_text_given_outlet_wins_and_bad_date_is_dropped():
    article = from_text("LIMA (AAP) - Texto.", outlet="Agencia Andina", published_on="26/01/2015")
    assert (article.outlet, article.published_on) == ("Agencia Andina", None)


def test_from_text_normalises_line_ends_and_drops_control_characters():
    assert from_text("One.\r\nTwo.\rThree.\x00\x07").text == "One.\nTwo.\nThree."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "PORT ELLIS, Eastmark, Jan 28 (Meridian Wire) - The",
            Dateline(
                "PORT ELLIS",
                "Meridian Wire",
                "Jan 28",
                "PORT ELLIS, Eastmark, Jan 28 (Meridian Wire) -",
                region="Eastmark",
            ),
        ),
        (
            "HAMBURG, 23. April (NPA) - Der",
            Dateline("HAMBURG", "NPA", "23. April", "HAMBURG, 23. April (NPA) -"),
        ),
        (
            "ЛЬВІВ, 2 липня («Дніпро-Інфо») - Міська",
            Dateline("ЛЬВІВ", "Дніпро-Інфо", "2 липня", "ЛЬВІВ, 2 липня («Дніпро-Інфо») -"),
        ),
        (
            "MONTRÉAL, 26 novembre (DC) – Le",
            Dateline("MONTRÉAL", "DC", "26 novembre", "MONTRÉAL, 26 novembre (DC) –"),
        ),
        ("WASHINGTON (AP) -- The", Dateline("WASHINGTON", "AP", None, "WASHINGTON (AP) --")),
        ("BERLIN - Die Regierung", Dateline("BERLIN", None, None, "BERLIN -")),
        (
            "Headline here\n\nA caption. REUTERS/Photographer\n\nGENEVA (Reuters) - The",
            Dateline("GENEVA", "Reuters", None, "GENEVA (Reuters) -"),
        ),
    ],
)
def test_read_dateline(text, expected):
    assert read_dateline(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "The minister said - and meant it - that", "EU - the bloc - said", "Ok - fine"],
)
def test_read_dateline_absent(text):
    assert read_dateline(text) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The minister said on Tuesday that the port would reopen in spring.", "en"),
        ("El ministro dijo el martes que el puerto volvería a abrir en primavera.", "es"),
        ("Le ministre a affirmé mardi que le port rouvrirait au printemps.", "fr"),
        ("Der Minister sagte am Dienstag, der Hafen werde im Frühjahr wieder öffnen.", "de"),
        ("Il ministro ha detto martedì che il porto riaprirà in primavera.", "it"),
        ("O ministro disse na terça-feira que o porto reabrirá na primavera.", "pt"),
        ("Министр заявил во вторник, что порт откроется весной.", "ru"),
        ("Міністр заявив у вівторок, що порт відкриється навесні.", "uk"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text)[0] == language


def test_detect_language_needs_letters():
    assert detect_language("12 345 — 678") == (None, 0.0)
