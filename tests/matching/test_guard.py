"""The guard that lowers a match whose numbers, negation or direction differ."""

import pytest

from matching import guard


@pytest.mark.parametrize(
    ("a", "b", "reasons"),
    [
        ("Unemployment fell to 3.8%.", "Unemployment fell to 4.8%.", ["numbers"]),
        ("They built 500,000 homes.", "They built 50,000 homes.", ["numbers"]),
        ("They built 500,000 homes.", "They built 500k homes.", []),
        ("Построили 19 тысяч домов.", "They built 19,000 homes.", []),
        ("Inflation is 3,8 %.", "Inflation is 3.8%.", []),
        ("NATO has no plans to intervene.", "NATO plans to intervene.", ["negation"]),
        ("Russia isn't behind it.", "Russia is behind it.", ["negation"]),
        ("Россия не стоит за этим.", "Russia is behind it.", ["negation"]),
        ("A no-fly zone was declared.", "A no-fly zone was declared.", []),
        ("Crime rose last year.", "Crime fell last year.", ["direction"]),
        ("Crime fell by 20%.", "Crime did not rise by 30%.", ["numbers", "negation", "direction"]),
        ("Putin said NATO has a legion", "A NATO legion is fighting alongside Ukraine", []),
    ],
)
def test_reasons(a, b, reasons):
    assert guard.reasons(a, b) == reasons
