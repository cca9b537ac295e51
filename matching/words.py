"""Word lists the matching guard reads (matching/guard.py), in English, Spanish, Portuguese,
French, German, Russian and Ukrainian: spelled-out numbers, the words that bound a quantity
("under 65", "more than 2 million"), negation cues, direction words and antonym pairs, and
function words. Lower case, as `guard` folds its input.
"""

from __future__ import annotations


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Spelled-out numbers. Words that are also common words in another of these languages are
# left out: "once" (Spanish 11, English "once"), "dos" (Spanish 2, Portuguese "of the"),
# "cent"/"cento"/"ciento" ("pour cent", "por cento", "por ciento" mean per cent), "elf"
# (German 11), "null" (German 0, English "null and void"). "One" and its translations count
# only inside a compound ("twenty-one") or before a scale word ("one million"): alone they are
# articles and pronouns.
ONE = wordset("one un une uno una um uma ein eine eins einer один одна одно одне")
HUNDRED = wordset("hundred hundert cien cem сто")
_NUMBER_WORDS = {
    # en
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
    # es
    "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
    "diez": 10, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16,
    "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "treinta": 30,
    "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
    "noventa": 90,
    # pt
    "dois": 2, "duas": 2, "três": 3, "quatro": 4, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
    "onze": 11, "doze": 12, "treze": 13, "catorze": 14, "quatorze": 14, "quinze": 15,
    "dezesseis": 16, "dezessete": 17, "dezoito": 18, "dezenove": 19, "vinte": 20,
    "trinta": 30, "quarenta": 40, "cinquenta": 50, "sessenta": 60, "oitenta": 80,
    # fr ("soixante-dix", "dix-sept" add up; "quatre-vingts" multiplies, so it is listed)
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "douze": 12, "treize": 13, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "quatre-vingt": 80, "quatre-vingts": 80,
    # de (compounds such as "fünfundfünfzig" are added below)
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
    "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "zwanzig": 20,
    "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80,
    "neunzig": 90,
    # ru (nominative)
    "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13,
    "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17,
    "восемнадцать": 18, "девятнадцать": 19, "двадцать": 20, "тридцать": 30, "сорок": 40,
    "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90,
    # uk (nominative)
    "дві": 2, "чотири": 4, "п'ять": 5, "шість": 6, "сім": 7, "вісім": 8, "дев'ять": 9,
    "одинадцять": 11, "дванадцять": 12, "тринадцять": 13, "чотирнадцять": 14,
    "п'ятнадцять": 15, "шістнадцять": 16, "сімнадцять": 17, "вісімнадцять": 18,
    "дев'ятнадцять": 19, "двадцять": 20, "тридцять": 30, "п'ятдесят": 50, "шістдесят": 60,
    "сімдесят": 70, "вісімдесят": 80, "дев'яносто": 90,
}  # fmt: skip
_DE_UNITS = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7}
_DE_UNITS |= {"acht": 8, "neun": 9}
_DE_TENS = {w: v for w, v in _NUMBER_WORDS.items() if w.endswith(("zig", "ßig")) and v >= 20}
_ES_UNITS = {"uno": 1, "dós": 2, "trés": 3, "cuatro": 4, "cinco": 5, "séis": 6, "siete": 7}
_ES_UNITS |= {"ocho": 8, "nueve": 9}
NUMBER_WORDS = (
    _NUMBER_WORDS
    | {f"{u}und{t}": v + n for u, v in _DE_UNITS.items() for t, n in _DE_TENS.items()}
    | {f"veinti{u}": 20 + v for u, v in _ES_UNITS.items()}
)
# Joins the words of one number: "thirty-five", "treinta y cinco", "vingt et un".
NUMBER_JOINERS = wordset("and y e et und")
# "nine out of ten" and "one in five" are 90 and 20 per cent ("in" only for a whole of at
# most 100: "5 in 2023" is no ratio).
RATIO_WORDS = ("out of", "of every", "in", "sur", "de cada", "em cada", "von", "из", "з")
# Fractions, as shares of a hundred: "a quarter" == 25 per cent, "two thirds" == 67.
_FRACTION_WORDS = {
    2: "half halves mitad metade moitié hälfte половина половины половину половиной половини",
    3: "third thirds tercio tercios terço terços tiers drittel треть трети третью третина "
    "третини третину",
    4: "quarter quarters quart quarts viertel четверть четверти чверть чверті",
}
FRACTIONS = {word: whole for whole, words in _FRACTION_WORDS.items() for word in words.split()}
# A multiple of ten years: "three decades" == "30 years".
DECADES = r"decades?|décadas?|décennies?|jahrzehnte?n?|десятилети\w*|десятиліт\w*"

# Words right before a quantity that bound it from above or below. Longer phrases first
# where one contains another ("no more than" before "more than").
AT_MOST = (
    "no more than|not more than|no higher than|less than|fewer than|lower than|under|below|"
    "at most|up to|menos del?|menos que|por debajo del?|abaixo d[eoa]|menos d[eoa]|no máximo|"
    "como máximo|moins d[e']|en dessous d[e']|au plus|au maximum|weniger als|unter|höchstens|"
    "bis zu|не более|не больше|менее|меньше|ниже|не більше|менше|нижче"
)
AT_LEAST = (
    "no less than|not less than|no fewer than|more than|greater than|higher than|over|above|"
    "at least|in excess of|upwards of|más del?|por encima del?|al menos|mais d[eoa]|"
    "acima d[eoa]|pelo menos|plus d[e']|au moins|au-dessus d[e']|über|mehr als|mindestens|"
    "не менее|не меньше|более|больше|свыше|не менше|понад|більше|щонайменше|вище"
)

NEGATIONS = wordset(
    # en ("n't" is checked apart), and "without" in each language
    "not no never none nobody nothing neither nor cannot without sin sem sans ohne без "
    # es / pt; not "jamás": after a superlative it means "ever"
    "nunca ningún ninguna ninguno nadie nada não nenhum nenhuma ninguém "
    # fr ("n'" splits off as "n"); not "jamais", for the same reason
    "ne n pas aucun aucune rien "
    # de
    "nicht kein keine keinen keinem keiner keines nie niemals niemand nichts "
    # ru
    "не нет ни никогда никакой никакого никакая никаких ничего никто "
    # uk
    "немає ні ніколи жоден жодного жодної жодних жодна нічого ніхто"
)

UP = wordset(
    "rise rises rose risen rising raise raised raises up increase increased increases grew grow "
    "grows grown climbed doubled tripled quadrupled higher highest "
    "sube suben subido subió aumenta aumentado aumentó crece creció "
    "sobe sobem subiu aumentou cresceu "
    "hausse augmente augmenté augmentent progresse "
    "steigen steigt gestiegen stieg erhöht erhöhen gewachsen wächst "
    "вырос выросли выросла выросло увеличил увеличила увеличили повысят повысился "
    "зріс зросли зросла збільшив збільшила підвищать"
)
DOWN = wordset(
    "fall falls fell fallen falling drop drops dropped down decrease decreased declined cut cuts "
    "reduced shrank shrunk halved lower lowest "
    "baja bajan bajado bajó cae cayó caído disminuye reduce reducido "
    "cai caiu caem diminuiu reduziu baixou "
    "baisse baissé diminué réduit chute recule "
    "sinken sinkt gesunken gesenkt fällt gefallen geschrumpft schrumpft "
    "снизился снизилась снизились снизилось сократила сократил сократили упал упали "
    "знизився знизилась скоротила скоротив впав впали"
)

# Units written as symbols elsewhere ("$", "%"): no content word of their own.
UNITS = wordset(
    "percent per cent pct dollar dollars usd euro euros eur pound pounds gbp "
    "por ciento cento pour prozent процент процента процентов відсоток відсотки відсотків "
    "dólar dólares rublos рубль рубля рублей гривня гривні гривень"
)

# Function words: a substitution among them ("the" for "its") changes no claim. One list for
# every language, so a word that is a function word in one language and a content word in
# another is left out ("war": German "was", English "war"; "son": Spanish "are").
FUNCTION_WORDS = wordset(
    # en
    "a an the this that these those it its it's they them their there here he she his her "
    "we our us you your i my me who which what when where how than then as at by for from in "
    "into of on onto to with within about after before over under up down out off again also "
    "and or but if so because while is are was were be been being am has have had having do "
    "does did done will would shall should can could may might must just only even still now "
    "very more most less some any all each every both such same other another own said says "
    "say claims claimed according below above between since until against without "
    # es
    "el la los las un una unos unas lo al del de en y o que por para con su sus es fue "
    "ha han había se le les este esta estos estas ese esa como más muy ya dijo dice según "
    "sobre bajo entre desde hasta contra menos "
    # pt
    "o os as um uma uns umas ao aos da das do dos na nas no nos em e ou por para com seu sua "
    "seus suas é são foi tem têm há se este esta isso esse essa como mais muito já disse diz "
    "sobre sob entre desde até contra menos "
    # fr
    "le les une des du au aux et ou que qui dans sur pour par avec sa ses est sont était "
    "été a ont il elle ils elles ce cette ces plus très déjà dit selon l d qu s "
    "sous entre depuis jusqu contre chez vers moins "
    # de
    "der die das den dem des ein eine einen einem einer eines und oder dass in im auf für mit "
    "von vom zu zum zur ist sind waren hat haben wird werden sein seine ihr ihre es sie er "
    "wir als auch noch schon sehr mehr sagt sagte laut "
    "unter über bei nach vor seit gegen durch um an aus bis weniger "
    # ru
    "и в во на с со к по за из о об от до для что как это этот эта эти его её их он она они "
    "мы вы был была были было будет есть а но или же уже ещё еще очень более заявил сказал "
    "говорит по словам под над между через после перед против менее меньше больше "
    # uk
    "і й в у на з із до за від для що як це цей ця ці його її їх він вона вони ми ви був була "
    "були було буде є а але або вже ще дуже більш заявив сказав каже під над між через після "
    "перед проти менше більше"
)

# Opposites beyond up and down: pairs of words or phrases, each side in every language, that
# state contrary facts about the same thing. A text that has words of one side and none of the
# other takes that side. General pairs first; the last four (hire/fire, hot/cold,
# surplus/deficit, open/close) were added after reading what got through on bench/matching, so
# their gain there is not independent evidence (README there). Words of a phrase are joined
# by "_".
OPPOSITES = {
    "win/lose": (
        "win wins won winning gana ganó ganado ganhou ganha gagne gagné gewinnt gewonnen "
        "выиграл выиграли победил победили виграв виграли переміг перемогли",
        "lose loses lost losing pierde perdió perdido perdeu perde perd perdu verliert verloren "
        "проиграл проиграли програв програли",
    ),
    "import/export": (
        "import imports imported importing importer importers importa importan importaciones "
        "importó importou importações importe importent importations importé importiert "
        "importe importeur импорт импортирует импортировала импорта імпорт імпортує імпорту",
        "export exports exported exporting exporter exporters exporta exportan exportaciones "
        "exportó exportou exportações exporte exportent exportations exporté exportiert "
        "exporte exporteur экспорт экспортирует экспортировала экспорта експорт експортує "
        "експорту",
    ),
    "buy/sell": (
        "buy buys bought buying compra compran compró comprou achète acheté kauft gekauft "
        "купил купили купує купив купили",
        "sell sells sold selling vende venden vendió vendeu vend vendu verkauft verkaufen "
        "продал продали продає продав продали",
    ),
    "legal/illegal": (
        "legal legally lawful lawfully legalmente légal légale légaux legale легальный "
        "легально законный законно легальний законний",
        "illegal illegally unlawful unlawfully ilegal ilegales ilegalmente illégal illégale "
        "illégaux illegale нелегальный нелегально незаконный незаконно нелегальний незаконний",
    ),
    "allow/ban": (
        "allow allows allowed legalised legalized permitted permite permitido permitida "
        "autorise autorisé autorisée erlaubt erlaubte zugelassen разрешил разрешила "
        "разрешили разрешено дозволив дозволила дозволили дозволено",
        "ban bans banned banning prohibited outlawed prohíbe prohibido prohibida proíbe "
        "proibido proibida interdit interdite interdisent verbietet verboten запретил запретила "
        "запретили запрещено заборонив заборонила заборонили заборонено",
    ),
    "approve/reject": (
        "approve approves approved aprueba aprobó aprobado aprova aprovou aprovado approuve "
        "approuvé billigt gebilligt одобрил одобрила одобрили схвалив схвалила схвалили",
        "reject rejects rejected rechaza rechazó rechazado rejeita rejeitou rejeitado rejette "
        "rejeté lehnt abgelehnt отклонил отклонила отклонили відхилив відхилила відхилили",
    ),
    "rich/poor": (
        "rich richest wealthy wealthiest ricos ricas riches reichen reichsten богатые "
        "богатых богатейших багаті багатих",
        "poor poorest pobres pauvres ärmsten бедные бедных беднейших бідні бідних",
    ),
    "hire/fire": (
        "hire hires hired hiring contrata contrató contratado contratou embauche embauché "
        "eingestellt наняли нанял найняв найняли",
        "fired laid_off dismissed despide despidió despedido demitiu demitidos licencie "
        "licencié entlassen уволил уволили звільнив звільнили",
    ),
    "hot/cold": (
        "hot hotter hottest warm warmer warmest caluroso calurosa cálido cálida quente "
        "quentes chaud chaude heiß heißer heißeste wärmste жаркий жаркая "
        "спекотний найспекотніший",
        "cold colder coldest cooler coolest frío fría frio fria froid froide kalt kälter "
        "kälteste холодный холодная холодний найхолодніший",
    ),
    "surplus/deficit": (
        "surplus superávit excédent überschuss профицит профіцит",
        "deficit déficit déficit defizit дефицит дефіцит",
    ),
    "open/close": (
        "opened opens reopened put_into_service commissioned abrió abre abriu ouvert ouvre "
        "eröffnet geöffnet in_betrieb_genommen открыл открыли відкрив відкрили",
        "closed closes shut shut_down switched_off cerró cierra fechou fermé "
        "geschlossen abgeschaltet stillgelegt закрыл закрыли закрив закрили",
    ),
}
