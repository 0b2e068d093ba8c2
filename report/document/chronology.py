"""The chronology: dated events (EDTF, the Library of Congress date format) in time order.

Parsing is the `edtf` library's (report/engines/edtf.py); this module adds what a reader sees
(labels such as "12–19 January 1990", "c. April 1993", "February 1988" for 1988-02-XX, "from
27 February 1988" for 1988-02-27/..) and the ordering rules: by the first day a date can
mean, a coarser date before the finer ones inside it, ties in document order; a date with no
known start (../1988, /1988) before all others.

Labels are in the report's language (`parse(text, language)`, a BCP 47 tag; `words_for`):
English, French, German, Spanish and Russian have a `Words` table, other languages get the
English one. Only the label (and the year headings of `by_year`) depends on the language;
where a date starts and ends, and so the order, does not.

Every date of EDTF levels 0 and 1 is placed. Of level 2, what has one reading is placed too
(seasons 25 to 41, exponent years, X digits that end an interval's date); the rest (sets,
qualifiers or X digits inside a date, significant digits) is a DateError that names the
construct and gives an EDTF form that works. Nothing else escapes `parse`.

Years: EDTF counts astronomically (0000 is 1 BCE, -0001 is 2 BCE) and allows any number of
digits (Y170000002); `datetime.date` holds 1 to 9999 only. `When.start` and `When.end` stay
`datetime.date`s (other code compares them and calls `isoformat()`): outside that range, and
for an open or unknown interval end, they are a `Beyond`, which compares as the first or last
day `datetime.date` has and gives its own ISO text. Sorting and grouping by year use
`When.key`, which holds any year.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from report.engines import edtf
from report.numerals import roman

# --- the words a reader sees -----------------------------------------------------------------

NBSP, NNBSP = "\u00a0", "\u202f"  # no-break space, narrow no-break space


def _english_ordinal(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}" + {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")





def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Words:
    """Every fixed word and pattern of a label, for one language. The patterns are
    `str.format` strings. A season's name may hold `{year}` ("printemps {year} (hémisphère
    Nord)"): it is then the whole label, without `season`.

    `governed` gives, for `starting`, `ending` and `approximate`, the table whose forms follow
    that pattern's preposition (Russian "с января 1990 г.", the genitive; French "à partir de
    le 27 février" with its article, which `contract` makes "à partir du 27 février")."""

    months: tuple[str, ...]  # a month alone: January 1990 (Russian nominative: январь 1990)
    date_months: tuple[str, ...]  # in a full date: 13 January 1990 (Russian: 13 января 1990)
    seasons: Mapping[int, str]  # EDTF 21 to 41
    season_fallback: str
    day: str  # 13 January 1990
    month: str  # January 1990
    season: str  # Spring 1990
    day_and_month: str  # 12 January, the start of "12 January – 3 February 1990"
    days_in_month: str  # 12–19 January 1990: {first} is the first day's number
    days: str  # two whole days: 12 January – 3 February 1990
    interval: str  # 1990 – 1991
    starting: str  # from 27 February 1988 (an open end, ..)
    ending: str  # until 27 February 1988 (an open start, ..)
    unknown: str  # an unknown interval end: 27 February 1988 – unknown
    approximate: str  # ~
    uncertain: str  # ?
    approximate_and_uncertain: str  # % (or both ~ and ?)
    decade: str  # 198X: the 1980s
    century: str  # 19XX: the 20th century
    millennium: str  # 1XXX: the 2nd millennium
    ordinal: Callable[[int], str]  # 20 -> 20th
    before_common_era: str  # 0000: 1 BCE
    thousands: str  # the separator of long years: 170,000,002
    time: str  # 12 April 1985, 23:20:30
    utc: str  # 23:20:30 UTC, 23:20:30 UTC+04:00
    no_start: str  # the heading of the events whose start is open or unknown
    year: str = "{year}"  # a year in a label (Russian after a preposition: 1988 г.)
    day_number: Callable[[int], str] = str  # French: 1er
    governed: Mapping[str, Words] = field(default_factory=dict)
    contract: Callable[[str], str] = _same  # French: de le -> du, jusqu’à 1988 -> jusqu’en


_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")

WORDS = Words(
    months=_EN_MONTHS,
    date_months=_EN_MONTHS,
    seasons={21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter",
             25: "Spring (northern hemisphere)", 26: "Summer (northern hemisphere)",
             27: "Autumn (northern hemisphere)", 28: "Winter (northern hemisphere)",
             29: "Spring (southern hemisphere)", 30: "Summer (southern hemisphere)",
             31: "Autumn (southern hemisphere)", 32: "Winter (southern hemisphere)",
             33: "First quarter of", 34: "Second quarter of", 35: "Third quarter of",
             36: "Fourth quarter of", 37: "January–April", 38: "May–August",
             39: "September–December", 40: "First half of", 41: "Second half of"},
    season_fallback="Season",
    day="{day} {month} {year}",
    month="{month} {year}",
    season="{season} {year}",
    day_and_month="{day} {month}",
    days_in_month="{first}–{last}",
    days="{first} – {last}",
    interval="{first} – {last}",
    starting="from {first}",
    ending="until {last}",
    unknown="unknown",
    approximate="c. {date}",
    uncertain="{date}?",
    approximate_and_uncertain="c. {date}?",
    decade="the {year}s",
    century="the {ordinal} century",
    millennium="the {ordinal} millennium",
    ordinal=_english_ordinal,
    before_common_era="{year} BCE",
    thousands=",",
    time="{date}, {time}",
    utc="{time} UTC{offset}",
    no_start="Without a start date",
)


# French: "du 12 au 19 janvier 1990", "à partir du 27 février 1988", "jusqu’en 1988",
# "vers le 12 janvier 1990", "XXe siècle", "1989 ?" (a narrow no-break space before ?).
def _french_ordinal(number: int) -> str:
    return roman(number) + ("er" if number == 1 else "e")


def _french_day(number: int) -> str:
    return "1er" if number == 1 else str(number)


def _french_contract(text: str) -> str:
    text = re.sub(r"\b(de|à) (le|les) ", lambda m: {
        ("de", "le"): "du ", ("de", "les"): "des ", ("à", "le"): "au ",
        ("à", "les"): "aux "}[(m[1], m[2])], text)
    return re.sub(r"jusqu’à (?!l’|la |au |aux )", "jusqu’en ", text)


def _french_seasons(article: bool) -> dict[int, str]:
    def a(word: str, name: str) -> str:
        return (word + name if word.endswith("’") else f"{word} {name}") if article else name

    names = {21: a("le", "printemps"), 22: a("l’", "été"), 23: a("l’", "automne"),
             24: a("l’", "hiver")}
    for number, hemisphere in ((25, "Nord"), (29, "Sud")):
        for offset in range(4):
            names[number + offset] = f"{names[21 + offset]} {{year}} (hémisphère {hemisphere})"
    for number, rank in zip(range(33, 37), ("premier", "deuxième", "troisième", "quatrième"),
                            strict=True):
        names[number] = a("le", f"{rank} trimestre")
    names |= {37: "janvier–avril", 38: "mai–août", 39: "septembre–décembre",
              40: a("le", "premier semestre"), 41: a("le", "second semestre")}
    return names


_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")
_FR = Words(
    months=_FR_MONTHS,
    date_months=_FR_MONTHS,
    seasons=_french_seasons(article=False),
    season_fallback="saison",
    day=f"{{day}}{NBSP}{{month}} {{year}}",
    month="{month} {year}",
    season="{season} {year}",
    day_and_month=f"{{day}}{NBSP}{{month}}",
    days_in_month="du {first} au {last}",
    days="du {first} au {last}",
    interval="{first} – {last}",
    starting="à partir de {first}",
    ending="jusqu’à {last}",
    unknown="date inconnue",
    approximate="vers {date}",
    uncertain=f"{{date}}{NNBSP}?",
    approximate_and_uncertain=f"vers {{date}}{NNBSP}?",
    decade="les années {year}",
    century=f"{{ordinal}}{NBSP}siècle",
    millennium=f"{{ordinal}}{NBSP}millénaire",
    ordinal=_french_ordinal,
    before_common_era=f"{{year}}{NBSP}av.{NBSP}J.-C.",
    thousands=NNBSP,
    time="{date} à {time}",
    utc="{time} UTC{offset}",
    no_start="Sans date de début",
    day_number=_french_day,
    contract=_french_contract,
)
_FR_ARTICLE = replace(_FR, seasons=_french_seasons(article=True), season_fallback="la saison",
                      day=f"le {{day}}{NBSP}{{month}} {{year}}",
                      century=f"le {{ordinal}}{NBSP}siècle",
                      millennium=f"le {{ordinal}}{NBSP}millénaire",
                      # after "à partir de", "jusqu’à": "à partir de 1990 environ"
                      approximate="{date} environ",
                      approximate_and_uncertain=f"{{date}} environ{NNBSP}?")
FRENCH = replace(_FR, governed={"starting": _FR_ARTICLE, "ending": _FR_ARTICLE,
                                "approximate": _FR_ARTICLE})


# German: "12.–19. Januar 1990", "ab den 1980er Jahren", "bis zum 20. Jahrhundert", "um 1990".
def _german_contract(text: str) -> str:
    return re.sub(r"\bbis (dem|den) ", lambda m: "bis zum " if m[1] == "dem" else "bis zu den ",
                  text)


def _german_seasons() -> dict[int, str]:
    names = {21: "Frühling", 22: "Sommer", 23: "Herbst", 24: "Winter"}
    for number, hemisphere in ((25, "Nordhalbkugel"), (29, "Südhalbkugel")):
        for offset in range(4):
            names[number + offset] = f"{names[21 + offset]} {{year}} ({hemisphere})"
    names |= {33: "1. Quartal", 34: "2. Quartal", 35: "3. Quartal", 36: "4. Quartal",
              37: "Januar–April", 38: "Mai–August", 39: "September–Dezember",
              40: "1. Halbjahr", 41: "2. Halbjahr"}
    return names


_DE_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
              "September", "Oktober", "November", "Dezember")
_DE = Words(
    months=_DE_MONTHS,
    date_months=_DE_MONTHS,
    seasons=_german_seasons(),
    season_fallback="Jahreszeit",
    day="{day}. {month} {year}",
    month="{month} {year}",
    season="{season} {year}",
    day_and_month="{day}. {month}",
    days_in_month="{first}.–{last}",
    days="{first} – {last}",
    interval="{first} – {last}",
    starting="ab {first}",
    ending="bis {last}",
    unknown="unbekannt",
    approximate="um {date}",
    uncertain="{date}?",
    approximate_and_uncertain="um {date}?",
    decade="die {year}er Jahre",
    century="{ordinal} Jahrhundert",
    millennium="{ordinal} Jahrtausend",
    ordinal=lambda number: f"{number}.",
    before_common_era=f"{{year}}{NBSP}v.{NBSP}Chr.",
    thousands=".",
    time="{date}, {time}",
    utc="{time} UTC{offset}",
    no_start="Ohne Anfangsdatum",
    contract=_german_contract,
)
_DE_DATIVE = replace(_DE, decade="den {year}er Jahren", century="dem {ordinal} Jahrhundert",
                     millennium="dem {ordinal} Jahrtausend",
                     approximate="ca. {date}", approximate_and_uncertain="ca. {date}?")
_DE_AROUND = replace(_DE, day="den {day}. {month} {year}", century="das {ordinal} Jahrhundert",
                     millennium="das {ordinal} Jahrtausend")
GERMAN = replace(_DE, governed={"starting": _DE_DATIVE, "ending": _DE_DATIVE,
                                "approximate": _DE_AROUND})


# Spanish: "del 12 al 19 de enero de 1990", "desde el 27 de febrero de 1988", "siglo XX",
# "¿1989?".
def _spanish_seasons(article: bool) -> dict[int, str]:
    def a(word: str, name: str) -> str:
        return f"{word} {name}" if article else name

    names = {21: a("la", "primavera"), 22: a("el", "verano"), 23: a("el", "otoño"),
             24: a("el", "invierno")}
    for number, hemisphere in ((25, "norte"), (29, "sur")):
        for offset in range(4):
            names[number + offset] = (f"{names[21 + offset]} de {{year}} "
                                      f"(hemisferio {hemisphere})")
    for number, rank in zip(range(33, 37), ("primer", "segundo", "tercer", "cuarto"), strict=True):
        names[number] = a("el", f"{rank} trimestre")
    names |= {37: "enero–abril", 38: "mayo–agosto", 39: "septiembre–diciembre",
              40: a("el", "primer semestre"), 41: a("el", "segundo semestre")}
    return names


_ES_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre")
_ES = Words(
    months=_ES_MONTHS,
    date_months=_ES_MONTHS,
    seasons=_spanish_seasons(article=False),
    season_fallback="estación",
    day="{day} de {month} de {year}",
    month="{month} de {year}",
    season="{season} de {year}",
    day_and_month="{day} de {month}",
    days_in_month="del {first} al {last}",
    days="del {first} al {last}",
    interval="{first} – {last}",
    starting="desde {first}",
    ending="hasta {last}",
    unknown="fecha desconocida",
    approximate="hacia {date}",
    uncertain="¿{date}?",
    approximate_and_uncertain="¿hacia {date}?",
    decade="los años {year}",
    century="siglo {ordinal}",
    millennium="{ordinal} milenio",
    ordinal=roman,
    before_common_era=f"{{year}}{NBSP}a.{NBSP}C.",
    thousands=NNBSP,
    time="{date}, {time}",
    utc="{time} UTC{offset}",
    no_start="Sin fecha de inicio",
)
_ES_ARTICLE = replace(_ES, seasons=_spanish_seasons(article=True), season_fallback="la estación",
                      day="el {day} de {month} de {year}", century="el siglo {ordinal}",
                      millennium="el {ordinal} milenio",
                      # after "desde", "hasta": "desde 1990 aproximadamente", "hasta 1990 (?)"
                      approximate="{date} aproximadamente", uncertain="{date} (?)",
                      approximate_and_uncertain="{date} aproximadamente (?)")
SPANISH = replace(_ES, governed={"starting": _ES_ARTICLE, "ending": _ES_ARTICLE,
                                 "approximate": _ES_ARTICLE})


# Russian: "январь 1990" but "13 января 1990"; after с, до, около the genitive, with г.:
# "с февраля 1988 г.", "до 1980-х годов", "около 1990 г.".
def _russian_seasons(genitive: bool) -> dict[int, str]:
    names = dict(zip(range(21, 25), ("весны", "лета", "осени", "зимы") if genitive
                     else ("весна", "лето", "осень", "зима"), strict=True))
    for number, hemisphere in ((25, "Северное"), (29, "Южное")):
        for offset in range(4):
            names[number + offset] = f"{names[21 + offset]} {{year}} ({hemisphere} полушарие)"
    ranks = (("первого", "второго", "третьего", "четвёртого") if genitive
             else ("первый", "второй", "третий", "четвёртый"))
    for number, rank in zip(range(33, 37), ranks, strict=True):
        names[number] = f"{rank} квартал" + ("а" if genitive else "")
    names |= ({37: "января–апреля", 38: "мая–августа", 39: "сентября–декабря",
               40: "первого полугодия", 41: "второго полугодия"} if genitive else
              {37: "январь–апрель", 38: "май–август", 39: "сентябрь–декабрь",
               40: "первое полугодие", 41: "второе полугодие"})
    return names


_RU_GENITIVE_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля",
                       "августа", "сентября", "октября", "ноября", "декабря")
_RU = Words(
    months=("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
            "сентябрь", "октябрь", "ноябрь", "декабрь"),
    date_months=_RU_GENITIVE_MONTHS,
    seasons=_russian_seasons(genitive=False),
    season_fallback="сезон",
    day="{day} {month} {year}",
    month="{month} {year}",
    season="{season} {year}",
    day_and_month="{day} {month}",
    days_in_month="{first}–{last}",
    days="{first} – {last}",
    interval="{first} – {last}",
    starting="с {first}",
    ending="до {last}",
    unknown="неизвестно",
    approximate="около {date}",
    uncertain="{date}?",
    approximate_and_uncertain="около {date}?",
    decade="{year}-е годы",
    century="{ordinal} век",
    millennium="{ordinal} тысячелетие",
    ordinal=roman,
    before_common_era=f"{{year}}{NBSP}до{NBSP}н.{NBSP}э.",
    thousands=NNBSP,
    time="{date}, {time}",
    utc="{time} UTC{offset}",
    no_start="Без даты начала",
)
_RU_GENITIVE = replace(_RU, months=_RU_GENITIVE_MONTHS, seasons=_russian_seasons(genitive=True),
                       season_fallback="сезона", decade="{year}-х годов",
                       century="{ordinal} века", millennium="{ordinal} тысячелетия",
                       year=f"{{year}}{NBSP}г.",
                       # after "с", "до": "с 1990 г. (приблизительно)"
                       approximate="{date} (приблизительно)",
                       approximate_and_uncertain="{date}? (приблизительно)")
RUSSIAN = replace(_RU, governed={"starting": _RU_GENITIVE, "ending": _RU_GENITIVE,
                                 "approximate": _RU_GENITIVE})

LANGUAGES: Mapping[str, Words] = {"en": WORDS, "fr": FRENCH, "de": GERMAN, "es": SPANISH,
                                  "ru": RUSSIAN}


def words_for(language: str) -> Words:
    """The table of a BCP 47 tag's base language (`de-CH`: German); English where there is
    none."""
    return LANGUAGES.get(language.split("-")[0].split("_")[0].strip().lower(), WORDS)


MONTHS = WORDS.months
SEASONS = WORDS.seasons
# Coarser first among dates that start on the same day.
PRECISION = {"millennium": -3, "century": -2, "decade": -1, "year": 0, "season": 1,
             "month": 2, "day": 3}

Key = tuple[int, int, int, int]  # (0 no known start | 1, year, month, day of the first day)


# --- days beyond datetime.date -----------------------------------------------------------------

class Beyond(dt.date):
    """A first or last day `datetime.date` cannot hold (a year before 1 or after 9999, an open
    or unknown interval end): compares as `near` (`date.min` or `date.max`), and `isoformat()`
    (so str()) gives `text`: the ISO 8601 day ("-1985-01-01", "+170000002-12-31"), ".." for an
    open end, "" for an unknown one."""

    text: str

    def __new__(cls, near: dt.date, text: str) -> Beyond:
        self = super().__new__(cls, near.year, near.month, near.day)
        self.text = text
        return self

    def isoformat(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Beyond({self.text!r})"

    def __reduce__(self) -> tuple[type[Beyond], tuple[dt.date, str]]:
        return Beyond, (dt.date(self.year, self.month, self.day), self.text)


def _iso(year: int, month: int, day: int) -> str:
    sign = "-" if year < 0 else "+" if year > 9999 else ""
    return f"{sign}{abs(year):04d}-{month:02d}-{day:02d}"


def _date(day: tuple[int, int, int]) -> dt.date:
    year, month, number = day
    if dt.MINYEAR <= year <= dt.MAXYEAR:
        return dt.date(year, month, number)
    return Beyond(dt.date.min if year < dt.MINYEAR else dt.date.max, _iso(*day))


def _days_in(year: int, month: int) -> int:
    """Days of a month of the proleptic Gregorian calendar, of any year (astronomical)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


# --- the result ----------------------------------------------------------------------------

@dataclass(frozen=True)
class When:
    edtf: str
    start: dt.date  # a Beyond where datetime.date cannot say it (see the module's doc)
    end: dt.date
    precision: int
    label: str
    datetime: str  # for <time datetime=...>, "" where HTML cannot say it
    key: Key  # for sorting and the year groups: see `sort_key`

    @property
    def open_start(self) -> bool:
        """No known start (../1988, /1988): `start` is a Beyond that compares as date.min."""
        return isinstance(self.start, Beyond) and self.start.text in ("..", "")

    @property
    def open_end(self) -> bool:
        """No known end (1988/.., 1988/): `end` is a Beyond that compares as date.max."""
        return isinstance(self.end, Beyond) and self.end.text in ("..", "")


class DateError(ValueError):
    """A date that cannot be used, with what to do about it."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


INVALID_HINT = ("Write it in EDTF: 1990-01-13, 1990-01, 1988, 1988-21 (spring), "
                "1990-01-12/1990-01-19, 1993-04~ (about), 1989? (uncertain); check "
                "that the day exists.")


def _invalid(text: str) -> DateError:
    hint = INVALID_HINT
    if "X" in text:
        hint += (" X can stand only for the last digits of a year, month or day (198X, "
                 "1988-XX, 1988-02-XX).")
    return DateError(f"`{text}` is not a valid date.", hint)


@dataclass(frozen=True)
class _Point:
    """One date, placed: its first and last day, precision, label and HTML datetime."""

    first: tuple[int, int, int]
    last: tuple[int, int, int]
    precision: int
    label: str
    stamp: str
    plain_day: bool  # a whole day without qualifier or time: for the short interval labels
    render: Callable[[Words], str]  # the label in a table (for the forms after a preposition)


# --- single dates ----------------------------------------------------------------------------

def _year_label(year: int, digits: int = 4, words: Words = WORDS) -> str:
    """The year as a reader sees it: 1990; 0990 alone or with a month, 990 in a day (as the
    labels have always been); 1 BCE for 0000; 170,000,002."""
    if dt.MINYEAR <= year <= dt.MAXYEAR:
        return words.year.format(year=f"{year:0{digits}d}")
    number = 1 - year if year < 1 else year  # astronomical 0 is 1 BCE
    shown = f"{number:,}".replace(",", words.thousands) if number > 9999 else str(number)
    shown = words.year.format(year=shown)
    return words.before_common_era.format(year=shown) if year < 1 else shown


def _edtf_year(year: int) -> str:
    if abs(year) > 9999:
        return f"Y{year}"
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _qualify(words: Words, written: edtf.Written, name: Callable[[Words], str]) -> str:
    """The label `name` gives in `words`, with the date's qualifiers."""
    if written.approximate:
        pattern = (words.approximate_and_uncertain if written.uncertain
                   else words.approximate)
        inner = name(words.governed.get("approximate", words))
        return words.contract(pattern.format(date=inner))
    if written.uncertain:
        return words.uncertain.format(date=name(words))
    return name(words)


def _as_written(written: edtf.Written) -> str:
    return "-".join(p for p in (written.year, written.month, written.day) if p is not None)


def _unspecified_inside(text: str, written: edtf.Written) -> DateError:
    """X digits that do not end the date (156X-12-25, 1988-XX-12, XXXX): level 2."""
    digits = written.year.lstrip("-")
    if not digits or set(digits) == {"X"}:
        return DateError(f"`{text}` does not say the year.",
                         "A chronology needs the year, or at least its first digits: 19XX "
                         "(the 20th century), 198X (the 1980s).")
    sign = -1 if written.year.startswith("-") else 1
    years = sorted(sign * int(digits.replace("X", fill)) for fill in "09")

    def bound(year: int, last: bool) -> str:
        month = 12 if last else 1
        if written.month and written.month.isdigit():
            month = int(written.month)
        day = _days_in(year, month) if last else 1
        if written.day and written.day.isdigit():
            day = int(written.day)
        text = f"{'-' if year < 0 else ''}{abs(year):04d}"
        if written.month is not None:
            text += f"-{month:02d}"
        if written.day is not None:
            text += f"-{day:02d}"
        return text

    return DateError(f"`{text}` has unspecified digits (X) inside the date (EDTF level 2).",
                     "X can stand only for the last digits of a date (1988-02-XX, 1988-XX, "
                     f"198X): write an interval instead, such as "
                     f"{bound(years[0], False)}/{bound(years[1], True)}.")


def _point(text: str, written: edtf.Written, words: Words = WORDS) -> _Point:
    """Place one date of the library's reading; DateError for what it cannot be placed."""
    if written.partial:
        marks = ("%" if written.approximate and written.uncertain
                 else "~" if written.approximate else "?")
        whole = _as_written(written) + marks
        raise DateError(f"`{text}` qualifies only part of the date (EDTF level 2).",
                        f"Qualify the whole date, with the sign at its end: {whole}.")
    if written.significant:
        year = int(written.year)
        spare = len(str(abs(year))) - written.significant
        hint = f"Write the year itself: {_edtf_year(year)}."
        if spare > 0 and abs(year) <= 9999:  # (the library has no intervals of Y-years)
            low = abs(year) // 10 ** spare * 10 ** spare
            high = low + 10 ** spare - 1
            low, high = (-high, -low) if year < 0 else (low, high)
            hint = (f"Write the range it stands for as an interval: {_edtf_year(low)}/"
                    f"{_edtf_year(high)}, or an approximate year: {_edtf_year(year)}~.")
        raise DateError(f"`{text}` gives significant digits (EDTF level 2).", hint)

    found = re.fullmatch(r"(-?)(\d*)(X*)", written.year)
    if not found or not found[2]:
        raise _unspecified_inside(text, written)
    sign, digits, unspecified = found.groups()
    month, day = written.month, written.day
    if any(p is not None and p != "XX" and not p.isdigit() for p in (month, day)):
        raise _unspecified_inside(text, written)  # 1988-1X, 1988-02-1X
    if (unspecified and (written.season or (month or "XX") != "XX" or (day or "XX") != "XX")
            or month == "XX" and day not in (None, "XX")):
        raise _unspecified_inside(text, written)  # 1XXX-12, 1988-XX-12
    if len(unspecified) > 3:
        raise _unspecified_inside(text, written)
    low = int(digits + "0" * len(unspecified))
    high = int(digits + "9" * len(unspecified))
    first_year, last_year = (-high, -low) if sign else (low, high)

    if unspecified:  # 198X, 19XX, 1XXX (and their month and day XX)
        first, last = (first_year, 1, 1), (last_year, 12, 31)
        unit = ("decade", "century", "millennium")[len(unspecified) - 1]

        def span_name(w: Words) -> str:
            if sign or low == 0 and unit == "decade":
                return w.interval.format(first=_year_label(first_year, words=w),
                                         last=_year_label(last_year, words=w))
            if unit == "decade":
                return w.decade.format(year=low)
            size = 100 if unit == "century" else 1000
            return str(getattr(w, unit)).format(ordinal=w.ordinal(low // size + 1))

        return _point_of(first, last, PRECISION[unit], "", False, written, span_name, words)

    year = first_year
    stamp = ""
    if written.season is not None:
        months = edtf.season_months(written.season)
        first, last = (year, months[0], 1), (year, months[1], _days_in(year, months[1]))
        season_number = written.season

        def season_name(w: Words) -> str:
            season = w.seasons.get(season_number, w.season_fallback)
            if "{year}" in season:
                return season.format(year=_year_label(year, words=w))
            return w.season.format(season=season, year=_year_label(year, words=w))

        return _point_of(first, last, PRECISION["season"], "", False, written, season_name,
                         words)
    number = 0
    if month is None or month == "XX":
        first, last = (year, 1, 1), (year, 12, 31)
        precision = PRECISION["year"]
        stamp = f"{year:04d}" if month is None else ""
    else:
        number = int(month)
        if not 1 <= number <= 12:
            raise _invalid(text)
        if day is None or day == "XX":
            first, last = (year, number, 1), (year, number, _days_in(year, number))
            precision = PRECISION["month"]
            stamp = f"{year:04d}-{number:02d}" if day is None else ""
        else:
            if not 1 <= int(day) <= _days_in(year, number):
                raise _invalid(text)
            first = last = (year, number, int(day))
            precision = PRECISION["day"]
            stamp = _iso(*first)
    clock = None
    if written.time is not None:
        clock = re.fullmatch(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?",
                             written.time)
        if not clock:
            raise _invalid(text)
        stamp = f"{stamp}T{written.time}"

    def name(w: Words) -> str:
        if precision == PRECISION["year"]:
            label = _year_label(year, words=w)
        elif precision == PRECISION["month"]:
            label = w.month.format(month=w.months[number - 1], year=_year_label(year, words=w))
        else:
            label = w.day.format(day=w.day_number(first[2]), month=w.date_months[number - 1],
                                 year=_year_label(year, 1, w))
        if clock is not None:
            shown = clock[1]
            if clock[2]:
                shown = w.utc.format(time=shown, offset="" if clock[2] == "Z" else clock[2])
            label = w.time.format(date=label, time=shown)
        return label

    if (written.approximate or written.uncertain or year < 1
            or not re.fullmatch(r"\d{4,}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                                r"(Z|[+-]\d{2}:?\d{2})?)?)?)?", stamp)):
        stamp = ""  # 199X, 1988-XX, 1 BCE, c. 1990: nothing HTML can say
    plain = (precision == PRECISION["day"] and written.time is None
             and not (written.approximate or written.uncertain))
    return _point_of(first, last, precision, stamp, plain, written, name, words)


def _point_of(first: tuple[int, int, int], last: tuple[int, int, int], precision: int,
              stamp: str, plain: bool, written: edtf.Written, name: Callable[[Words], str],
              words: Words) -> _Point:
    def render(w: Words) -> str:
        return _qualify(w, written, name)

    return _Point(first, last, precision, render(words), stamp, plain, render)


# --- intervals -----------------------------------------------------------------------------

def _interval_label(a: _Point, b: _Point, words: Words) -> str:
    if a.plain_day and b.plain_day:
        year, month, day = a.first
        if (year, month) == b.first[:2]:
            return words.days_in_month.format(first=words.day_number(day), last=b.label)
        if year == b.first[0]:
            start = words.day_and_month.format(day=words.day_number(day),
                                               month=words.date_months[month - 1])
            return words.days.format(first=start, last=b.label)
        return words.days.format(first=a.label, last=b.label)
    return words.interval.format(first=a.label, last=b.label)


def _governed(words: Words, pattern: str, point: _Point, slot: str) -> str:
    """`starting` or `ending` around a date, in the form that follows its preposition."""
    inner = point.render(words.governed.get(pattern, words))
    return words.contract(str(getattr(words, pattern)).format(**{slot: inner}))


def _open(end: edtf.OpenEnd, near: dt.date) -> dt.date:
    return Beyond(near, "" if end.unknown else "..")


def _span(text: str, span: edtf.Span, words: Words) -> When:
    lower, upper = span.lower, span.upper
    if isinstance(lower, edtf.OpenEnd) and isinstance(upper, edtf.OpenEnd):
        raise DateError(f"`{text}` has neither a start nor an end.",
                        "Give at least one end: 1988/.. (from 1988), ../1988 (until 1988).")
    if lower == upper and isinstance(lower, edtf.Written):  # a one-day "interval": that day
        return replace(_single(text, lower, words), edtf=text)
    if isinstance(lower, edtf.OpenEnd):
        assert isinstance(upper, edtf.Written)
        b = _point(text, upper, words)
        label = (words.interval.format(first=words.unknown, last=b.label) if lower.unknown
                 else _governed(words, "ending", b, "last"))
        return When(text, _open(lower, dt.date.min), _date(b.last), b.precision, label, "",
                    (0, *b.first))
    a = _point(text, lower, words)
    if isinstance(upper, edtf.OpenEnd):
        label = (words.interval.format(first=a.label, last=words.unknown) if upper.unknown
                 else _governed(words, "starting", a, "first"))
        return When(text, _date(a.first), _open(upper, dt.date.max), a.precision, label, "",
                    (1, *a.first))
    b = _point(text, upper, words)
    if b.last < a.first:
        raise DateError(f"The interval `{text}` ends before it starts.",
                        "Write the earlier date first.")
    return When(text, _date(a.first), _date(b.last), a.precision, _interval_label(a, b, words), "",
                (1, *a.first))


def _single(text: str, written: edtf.Written, words: Words) -> When:
    p = _point(text, written, words)
    return When(text, _date(p.first), _date(p.last), p.precision, p.label, p.stamp,
                (1, *p.first))


def _set(text: str, found: edtf.DateSet) -> DateError:
    members = [m.strip() for m in found.members] or ["1667", "1668"]
    low = members[0].split("..")[0] or ".."
    high = members[-1].split("..")[-1] or ".."
    interval = f"{low}/{high}"
    if found.every:
        return DateError(f"`{text}` is a set of dates that all apply (EDTF level 2).",
                         "Write one event for each date (" + ", ".join(members) + "), or "
                         f"an interval if they follow each other: {interval}.")
    likely = next((m for m in members if ".." not in m), None)
    return DateError(f"`{text}` is a set of dates of which one applies (EDTF level 2).",
                     f"Use an interval: {interval}" + (
                         f", or the likeliest date, uncertain: {likely}?." if likely else "."))


# --- parsing -------------------------------------------------------------------------------

PLAIN = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")


def _plain(text: str) -> edtf.Node | None:
    found = PLAIN.fullmatch(text)
    return edtf.date(found[1], found[2], found[3]) if found else None


def _node(text: str) -> object:
    """The EDTF node of `text`. Plain dates and intervals of them (most of a chronology) are
    built directly: the library's grammar takes about 10 ms a date, 20 s for a dossier of
    2,000 events; tests/test_chronology.py checks both ways agree."""
    lower, slash, upper = text.partition("/")
    a, b = _plain(lower), _plain(upper) if slash else None
    if a is not None and not slash:
        return a
    if a is not None and b is not None:
        return edtf.interval(a, b)
    return edtf.parse(text)


@functools.cache
def parse(text: str, language: str = "en") -> When:
    """Parse an EDTF date, its label in `language` (a BCP 47 tag: see `words_for`); DateError
    with a reason a person can act on, never another exception. The placing (start, end,
    key, precision) does not depend on the language."""
    words = words_for(language)
    try:
        shape = edtf.describe(_node(text.strip()))
    except (edtf.ParseError, ValueError, TypeError, AttributeError, OverflowError):
        raise _invalid(text) from None
    try:
        if isinstance(shape, edtf.Written):
            return _single(text, shape, words)
        if isinstance(shape, edtf.Span):
            return _span(text, shape, words)
        if isinstance(shape, edtf.DateSet):
            raise _set(text, shape)
    except DateError:
        raise
    except (ValueError, KeyError, IndexError, OverflowError):
        raise _invalid(text) from None
    raise DateError(f"`{text}` is an EDTF form a chronology cannot place.", INVALID_HINT)


# --- ordering and the year groups ----------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    when: When
    html: Markup
    cite: Markup
    anchor: str
    order: int

    @property
    def sort_key(self) -> tuple[Key, int, int]:
        return sort_key(self.when, self.order)


def sort_key(when: When, order: int) -> tuple[Key, int, int]:
    """By first day (no known start first); a coarser date before the finer ones it contains;
    then document order."""
    return (when.key, when.precision, order)


class Year(int):
    """A year group's year: equal to the year's number (astronomical: 0 is 1 BCE), printed as
    the reader sees it ("1990", "1 BCE", "170,000,002", or the heading of the events without
    a start date)."""

    label: str

    def __new__(cls, number: int, label: str) -> Year:
        self = super().__new__(cls, number)
        self.label = label
        return self

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Year({int(self)}, {self.label!r})"

    def __reduce__(self) -> tuple[type[Year], tuple[int, str]]:
        return Year, (int(self), self.label)


@dataclass(frozen=True)
class YearGroup:
    year: int  # a Year
    entries: tuple[Entry, ...]


def entry(date: str, html: Markup, cite: Markup, anchor: str, order: int,
          language: str = "en") -> Entry:
    return Entry(parse(date, language), html, cite, anchor, order)


def by_year(entries: list[Entry], language: str = "en") -> tuple[YearGroup, ...]:
    """Entries in order, by year of their first day; those without a known start first, in a
    group of their own. The headings are in `language`."""
    words = words_for(language)
    groups: dict[tuple[int, ...], list[Entry]] = {}
    for item in sorted(entries, key=lambda e: e.sort_key):
        known, year = item.when.key[:2]
        groups.setdefault((known, year) if known else (known,), []).append(item)
    out = []
    for key, items in groups.items():
        year = items[0].when.key[1]
        heading = _year_label(year, 1, words) if key[0] else words.no_start
        out.append(YearGroup(Year(year, heading), tuple(items)))
    return tuple(out)
