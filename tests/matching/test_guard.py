"""The guard that lowers a match whose numbers, negation, direction, opposites or a swapped
word differ."""

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
        ("Crime rose last year.", "Crime fell last year.", ["direction", "substitution"]),
        ("Crime fell by 20%.", "Crime did not rise by 30%.", ["numbers", "negation", "direction"]),
        ("Putin said NATO has a legion", "A NATO legion is fighting alongside Ukraine", []),
        (
            "Putin said NATO has a legion fighting for Kiev",
            "A NATO legion is fighting alongside the Ukrainian army; the West has in effect sent "
            "its own units to the front.",
            [],
        ),
    ],
)
def test_reasons(a, b, reasons):
    assert guard.reasons(a, b) == reasons


@pytest.mark.parametrize(
    ("text", "quantities"),
    [
        ("Fifty-five of the largest corporations", [(55, None)]),
        ("two hundred and fifty jobs", [(250, None)]),
        ("quince años", [(15, None)]),
        ("treinta y cinco por ciento", [(35, None)]),
        ("quatre-vingt-dix pour cent", [(90, None)]),
        ("fünfundfünfzig Prozent", [(55, None)]),
        ("п'ять мільйонів тонн", [(5_000_000, None)]),
        ("one million people", [(1_000_000, None)]),
        ("one of the largest, no one else", []),  # "one" alone is a pronoun
        ("nine out of ten cases", [(90, None)]),
        ("One in five teachers", [(20, None)]),
        ("uno de cada cinco", [(20, None)]),
        ("5 in 2023", [(5, None), (2023, None)]),  # no ratio: a year
        ("a quarter of the budget", [(25, None)]),
        ("two thirds of voters", [(67, None)]),
        ("die Hälfte der Schulen", [(50, None)]),
        ("треть населения", [(33, None)]),
        ("in three decades", [(30, None)]),
        ("free for everyone under 65", [(65, "<")]),
        ("no more than 35 dollars", [(35, "<")]),
        ("no less than $350", [(350, ">")]),
        ("more than 2 million", [(2_000_000, ">")]),
        ("por debajo del 30 %", [(30, "<")]),
        ("au moins 5 %", [(5, ">")]),
        ("не менее 50", [(50, ">")]),
        ("менше 50", [(50, "<")]),
        ("Over two years, pay went up", [(2, ">")]),
    ],
)
def test_quantities(text, quantities):
    assert guard.quantities(text) == quantities


@pytest.mark.parametrize(
    ("a", "b", "differ"),
    [
        ("Fifty-five firms paid no tax.", "Five firms paid no tax.", True),
        ("Fifty-five firms paid no tax.", "55 firms paid no tax.", False),
        (
            "Die Inflation lag bei fünfundfünfzig Prozent.",
            "Die Inflation lag bei 55 Prozent.",
            False,
        ),
        (
            "El paro cae por primera vez en quince años.",
            "El paro cae por primera vez en 15 años.",
            False,
        ),
        (
            "Nine out of ten cases are never prosecuted.",
            "90% of cases are never prosecuted.",
            False,
        ),
        ("One in five teaching jobs is vacant.", "One in four teaching jobs is vacant.", True),
        ("A quarter of the budget goes to aid.", "25 percent of the budget goes to aid.", False),
        ("A quarter of the budget goes to aid.", "More than 10 percent of it goes to aid.", True),
        ("The lowest level in three decades.", "The lowest level in 30 years.", False),
        ("The lowest level in two decades.", "The lowest level in three decades.", True),
        # counted: the "two" of "two years" does not stand in for the missing 12
        (
            "Pay rose 2 percent over the past two years.",
            "Pay rose 12 percent over two years.",
            True,
        ),
        # bounded opposite ways
        ("Free for everyone under 65.", "Free for everyone over 65.", True),
        ("Явка составила менее 50 процентов.", "Явка составила более 50 процентов.", True),
        ("Fue de menos del 30 por ciento.", "Fue de más del 30 por ciento.", True),
        ("Das Angebot gilt für alle unter 18.", "Das Angebot gilt für alle über 18.", True),
        ("More than 2 million people crossed.", "Over two million people crossed.", False),
        ("More than 2 million people crossed.", "2 million people crossed.", False),
        ("Over two years, pay went up 12 per cent.", "Pay rose 12 percent in two years.", False),
    ],
)
def test_numbers_differ(a, b, differ):
    assert guard.numbers_differ(a, b) is differ


@pytest.mark.parametrize(
    ("a", "b", "swap"),
    [
        # one content word for another, the rest the same
        (
            "NATO has no plans to intervene in Moldova.",
            "NATO has no plans to intervene in Ukraine.",
            ("moldova", "ukraine"),
        ),
        (
            "The government has fired 1,500 border agents.",
            "The government has hired 1,500 border agents.",
            ("fired", "hired"),
        ),
        (
            "The US is the largest importer of crude oil.",
            "The US is the largest producer of crude oil.",
            ("importer", "producer"),
        ),
        (
            "Die Renten der Lehrer in Bayern steigen zum 1. Juli um 4 Prozent.",
            "Die Renten der Lehrer in Sachsen steigen zum 1. Juli um 4 Prozent.",
            ("bayern", "sachsen"),
        ),
        (
            "Las pensiones de los maestros jubilados suben un 3 por ciento este año.",
            "Las pensiones de los médicos jubilados suben un 3 por ciento este año.",
            ("maestros", "médicos"),
        ),
        (
            "Six millions de Français n'ont toujours pas de logement.",
            "Six millions de Français n'ont toujours pas de médecin.",
            ("logement", "médecin"),
        ),
        (
            "Россия вернула более 19 000 украинских детей.",
            "Россия похитила более 19 000 украинских детей.",
            ("вернула", "похитила"),
        ),
        # numbers they both write count among what they share
        (
            "We have sent 100 billion dollars in cash to Israel.",
            "We have sent 100 billion dollars in cash to Ukraine.",
            ("israel", "ukraine"),
        ),
        # a name for a name, however much more the other says
        (
            "NATO has no plans to intervene militarily in Moldova.",
            "NATO has no plans to intervene militarily in Ukraine and will not send troops there.",
            ("moldova", "ukraine"),
        ),
        (
            "A NATO legion is fighting alongside the Russian army.",
            "A NATO legion is fighting alongside the Ukrainian army; the West has sent its units.",
            ("russian", "ukrainian"),
        ),
        # a typo, an inflection, a function word, a number: no swap
        (
            "The government has hired 1,500 border agents.",
            "The goverment has hired 1,500 border agents.",
            None,
        ),
        (
            "We have sent 100 billion dollars to Ukraine.",
            "We have sent 100 billion dollars to Ukriane.",
            None,
        ),
        (
            "Homelessness in our cities fell by a third.",
            "Homelessness in our city fell by a third.",
            None,
        ),
        (
            "O desmatamento na Amazônia cai 33 por cento.",
            "O desmatamento na Amazônia caiu 33 por cento.",
            None,
        ),
        ("We sent the money to Ukraine.", "We sent our money to Ukraine.", None),
        (
            "Україна експортувала п'ять мільйонів тонн зерна.",
            "Україна експортувала 5 млн тонн зерна.",
            None,
        ),
        # a common word swapped while the other says more: a rewording, no swap
        (
            "The mayor hired new teachers for the city schools.",
            "The mayor hired new nurses for the city schools and opened two clinics.",
            None,
        ),
        # reworded in several places
        (
            "Despite the 2020 spike, violent crime in the US is close to a 50-year low.",
            "Violent crime in America is near a 50-year low, despite the spike in 2020.",
            None,
        ),
        (
            "Delgado says the mayor gave $12 million of contracts to his donors.",
            "The mayor awarded 12 million dollars in contracts to his donors.",
            None,
        ),
        # two languages share too few words
        (
            "Russia has abducted 19,000 Ukrainian children.",
            "Россия похитила 19 000 украинских детей.",
            None,
        ),
        # too little in common to call one word a swap
        ("Prices rose.", "Wages rose.", None),
    ],
)
def test_substitution(a, b, swap):
    assert guard.substitution(a, b) == swap
    assert guard.substitution(b, a) == (swap[::-1] if swap else None)


@pytest.mark.parametrize(
    ("a", "b", "pair"),
    [
        (
            "July 2023 was the hottest month on record.",
            "Julio de 2023 fue el mes más frío jamás registrado.",
            "hot/cold",
        ),
        (
            "The government ran a budget surplus.",
            "Le gouvernement a affiché un déficit budgétaire.",
            "surplus/deficit",
        ),
        (
            "The company sold its stake in the port.",
            "La empresa compró su participación en el puerto.",
            "buy/sell",
        ),
        (
            "The government has hired 1,500 border agents.",
            "Die Regierung hat 1.500 Grenzbeamte entlassen.",
            "hire/fire",
        ),
        ("The city has banned e-scooters.", "Die Stadt hat E-Scooter erlaubt.", "allow/ban"),
        (
            "Deutschland hat drei Atomkraftwerke abgeschaltet.",
            "Germany commissioned three nuclear plants.",
            "open/close",
        ),
        ("The factory hired 200 workers.", "La fábrica contrató a 200 trabajadores.", None),
        ("They won the vote but lost the seat.", "They lost the seat.", None),  # both sides
        ("The party won the vote.", "The party held its congress.", None),  # one side only
    ],
)
def test_opposite(a, b, pair):
    assert guard.opposite(a, b) == pair
    assert guard.opposite(b, a) == pair


@pytest.mark.parametrize(
    ("x", "y", "same"),
    [
        ("city", "cities", True),
        ("cai", "caiu", True),
        ("ofice", "office", True),
        ("ukriane", "ukraine", True),
        ("decriminalized", "decriminalised", True),
        ("hired", "fired", False),
        ("northern", "southern", False),
        ("importer", "producer", False),
        ("cost", "costs", True),
        ("coal", "cost", False),
    ],
)
def test_same_word(x, y, same):
    assert guard.same_word(x, y) is same
