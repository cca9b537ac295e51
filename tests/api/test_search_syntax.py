"""How `q` is read (api/websearch.py): the structure both engines are given."""

import pytest
from django.core.exceptions import ValidationError

from api.websearch import parse


@pytest.mark.parametrize(
    ("q", "fts5", "tsquery"),
    [
        ("nato", '("nato")', "((T(%s)))"),
        # `or` binds tighter than the implicit AND; an exclusion applies to the whole
        (
            "nato legion or brigade -putin",
            '(("nato") AND ("legion" OR "brigade")) NOT "putin"',
            "((T(%s)) && (T(%s) || T(%s)) && !!T(%s))",
        ),
        ('"big lie', '("big lie")', "((T(%s)))"),  # an unbalanced quote: a phrase to the end
        ("don't", '("don t")', "((T(%s)))"),  # a token of several words is a phrase
        ("NEAR( * :x ^y", '("NEAR") AND ("x") AND ("y")', "((T(%s)) && (T(%s)) && (T(%s)))"),
        ("nato NATO Nato -Putin -putin", '(("nato")) NOT "Putin"', "((T(%s)) && !!T(%s))"),
        ("or nato or", '("nato")', "((T(%s)))"),  # a dangling `or` is no operator
    ],
)
def test_q_is_read_the_same_for_both_engines(q, fts5, tsquery):
    query = parse(q)
    assert query.fts5() == fts5
    assert query.tsquery_sql("T(%s)")[0] == tsquery


def test_the_plain_words_make_the_phrase_that_ranks_higher():
    assert parse("cold war").phrase.quoted() == '"cold war"'
    assert parse("war").phrase is None
    assert parse('"cold war" ended').phrase is None
    assert parse("cold or war").phrase is None


@pytest.mark.parametrize("q", ["-", "-nato", "*", '"', "' ; --", "or"])
def test_a_query_with_nothing_to_find_is_refused(q):
    with pytest.raises(ValidationError) as raised:
        parse(q)
    assert raised.value.code == "no_words"
