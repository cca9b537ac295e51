"""The tolerant readers of messy ClaimReview values (interop.values)."""

import datetime

import pytest

from interop import values


@pytest.mark.parametrize(
    ("raw", "base", "expected"),
    [
        ("https://a.example/x", None, "https://a.example/x"),
        ("aosfatos.example/noticias/x/", None, "https://aosfatos.example/noticias/x/"),
        ("//cdn.example/x", None, "https://cdn.example/x"),
        ("/fact-check/x/", "https://page.example/a/b", "https://page.example/fact-check/x/"),
        ("/fact-check/x/", None, None),
        ("glem-piller.html", None, None),  # a file name, not a host
        ("1", None, None),
        ("", None, None),
        ({"@type": "WebPage", "@id": "https://a.example/"}, None, "https://a.example/"),
        (["", "https://b.example/"], None, "https://b.example/"),
        ("https://a.example/a b", None, "https://a.example/a%20b"),
    ],
)
def test_urls(raw, base, expected):
    assert values.url(raw, base) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ftp://a.example/x", '"ftp://a.example/x" is not an http(s) URL.'),
        ("javascript:alert(1)", '"javascript:alert(1)" is not an http(s) URL.'),
        ("http://[::1", '"http://[::1" is not a URL.'),
        ("https://a.example/\x00", "is not a URL: it holds control characters."),
    ],
)
def test_urls_that_are_refused(raw, message):
    with pytest.raises(values.BadValue) as error:
        values.url(raw)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-06-20", datetime.date(2024, 6, 20)),
        ("2022-01-28 18:35", datetime.date(2022, 1, 28)),
        ("2020-08-31 17:22:16", datetime.date(2020, 8, 31)),
        ("2020-03-18T14:00:00+0200", datetime.date(2020, 3, 18)),
        ("2023-01-24T13:32:06.838Z", datetime.date(2023, 1, 24)),
        ("2017-03-01 20:30:17 UTC", datetime.date(2017, 3, 1)),
        ("2015-06-7", datetime.date(2015, 6, 7)),
        ("", None),
        (None, None),
    ],
)
def test_dates(raw, expected):
    assert values.date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(1, 1), ("5", 5), (" -1 ", -1), (3.0, 3), ("", None), (None, None), ("2.0", 2)],
)
def test_whole_numbers(raw, expected):
    assert values.integer(raw) == expected


@pytest.mark.parametrize("raw", ["five", 3.5, True, "1e3"])
def test_what_is_no_whole_number(raw):
    with pytest.raises(values.BadValue):
        values.integer(raw)


def test_types_text_and_sites():
    assert values.types({"@type": ["Review", "schema:ClaimReview"]}) == {"review", "claimreview"}
    assert values.types({"@type": "claimreview"}) == {"claimreview"}
    assert values.text("Sunak praises Singh&#039;s ideas\r\n ") == "Sunak praises Singh's ideas"
    assert values.text(["Last tweets", "of June"]) == "Last tweets of June"
    assert values.names(["Mzwandile Masina", "mayor"]) == ["Mzwandile Masina", "mayor"]
    assert values.site("https://www.PolitiFact.com/x") == "politifact.com"
    assert values.site("http://[::1") == ""
