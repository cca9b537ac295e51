"""The documented mapping table from fact-checkers' labels and numbers to our rating."""

import pytest

from interop.ratings import rating_for_label, rating_from_scale, verdict


@pytest.mark.parametrize(
    ("label", "rating"),
    [
        # PolitiFact's Truth-O-Meter, as written on its pages and in its feeds
        ("True", "true"),
        ("Mostly True", "mostly_true"),
        ("Half True", "mixed"),
        ("half-true", "mixed"),
        ("Mostly False", "mostly_false"),
        ("Barely True", "mostly_false"),
        ("barely-true", "mostly_false"),
        ("False", "false"),
        ("Pants on Fire!", "false"),
        ("pants-fire", "false"),  # PolitiFact's slug
        # the usual English labels
        ("Misleading", "misleading"),
        ("Unproven", "unproven"),
        ("Correct", "true"),
        ("Incorrect \r", "false"),
        ("FALSE", "false"),
        ("really_false", "false"),
        ("Missing context", "misleading"),
        # other languages
        ("Faux", "false"),
        ("Falsch", "false"),
        ("Falso.", "false"),
        ("Engañoso", "misleading"),
        ("não_é_bem_assim", "misleading"),
        ("错误", "false"),
        ("Falsk", "false"),
        # a verdict first, explained after a colon
        ("FALSO: the pictures were taken elsewhere", "false"),
        ("Not really, charts say", None),
        ("", None),
    ],
)
def test_labels(label, rating):
    assert rating_for_label(label) == rating


@pytest.mark.parametrize(
    ("value", "best", "worst", "site", "rating"),
    [
        (1, 5, 1, "", "false"),
        (3, 5, 1, "", "mixed"),
        (5, 5, 1, "", "true"),
        (4, 5, None, "", "mostly_true"),  # worst defaults to 1
        (2, 6, 1, "", "mostly_false"),
        # bestRating below worstRating: the document says a higher number is more false
        (5, 1, 5, "", "false"),
        (1, 1, 5, "", "true"),
        # a fact-checker whose scale runs the other way (SCALES_HIGHER_IS_FALSER)
        (6, 6, 1, "piaui.folha.uol.com.br", "false"),
        # no usable scale
        (None, 5, 1, "", None),
        (1, None, None, "", None),
        (-1, -1, -1, "", None),
        (9, 5, 1, "", None),
    ],
)
def test_numbers_on_a_known_scale(value, best, worst, site, rating):
    assert rating_from_scale(value, best, worst, site=site) == rating


def test_the_label_wins_over_the_numbers_and_an_unknown_one_is_flagged():
    assert verdict("False", 5, 5, 1) == ("false", True)
    assert verdict("Not really", 2, 6, 1) == ("mostly_false", False)
    assert verdict("Not really") == ("unproven", False)
