"""The chronology's labels in the report's language: French, German, Spanish, Russian.

The expected labels are written by hand. Typography: French puts a no-break space between a
day and its month and inside "av. J.-C.", and a narrow no-break space before "?" and between
the thousands of a long year; the abbreviations of the eras never break.
"""

from __future__ import annotations

import pytest
from markupsafe import Markup

from report.document import chronology
from report.document.chronology import Words, by_year, entry, parse, words_for

NBSP = "\u00a0"  # no-break space
NNBSP = "\u202f"  # narrow no-break space

FRENCH = [
    ("1990-01-13", f"13{NBSP}janvier 1990"),
    ("1990-01-01", f"1er{NBSP}janvier 1990"),
    ("1990-01", "janvier 1990"),
    ("1990", "1990"),
    ("1990-01-12/1990-01-19", f"du 12 au 19{NBSP}janvier 1990"),
    ("1990-01-01/1990-01-19", f"du 1er au 19{NBSP}janvier 1990"),
    ("1990-01-12/1990-02-03", f"du 12{NBSP}janvier au 3{NBSP}février 1990"),
    ("1988-02-27/1989-03-03", f"du 27{NBSP}février 1988 au 3{NBSP}mars 1989"),
    ("1990/1991", "1990 – 1991"),
    ("1988-02-27/..", f"à partir du 27{NBSP}février 1988"),
    ("1988/..", "à partir de 1988"),
    ("1988-02/..", "à partir de février 1988"),
    ("1990-22/..", "à partir de l’été 1990"),
    ("../1988-02-27", f"jusqu’au 27{NBSP}février 1988"),
    ("../1988", "jusqu’en 1988"),
    ("../1988-02", "jusqu’en février 1988"),
    ("../1990-21", "jusqu’au printemps 1990"),
    ("../1990-22", "jusqu’à l’été 1990"),
    ("1990~/..", "à partir de 1990 environ"),
    ("1990-01-12~/..", f"à partir du 12{NBSP}janvier 1990 environ"),
    ("../1990?", f"jusqu’en 1990{NNBSP}?"),
    ("1988-02-27/", f"27{NBSP}février 1988 – date inconnue"),
    ("/1988", "date inconnue – 1988"),
    ("1993-04~", "vers avril 1993"),
    ("1990-01-12~", f"vers le 12{NBSP}janvier 1990"),
    ("1990~", "vers 1990"),
    ("1989?", f"1989{NNBSP}?"),
    ("1990-01-13?", f"13{NBSP}janvier 1990{NNBSP}?"),
    ("1990%", f"vers 1990{NNBSP}?"),
    ("1990-21", "printemps 1990"),
    ("1990-24", "hiver 1990"),
    ("1990-25", "printemps 1990 (hémisphère Nord)"),
    ("1990-33", "premier trimestre 1990"),
    ("1990-41", "second semestre 1990"),
    ("198X", "les années 1980"),
    ("198X~", "vers les années 1980"),
    ("19XX", f"XXe{NBSP}siècle"),
    ("19XX~", f"vers le XXe{NBSP}siècle"),
    ("0XXX", f"Ier{NBSP}millénaire"),
    ("1XXX", f"IIe{NBSP}millénaire"),
    ("-1985", f"1986{NBSP}av.{NBSP}J.-C."),
    ("0000", f"1{NBSP}av.{NBSP}J.-C."),
    ("Y170000002", f"170{NNBSP}000{NNBSP}002"),
    ("1985-04-12T23:20:30Z", f"12{NBSP}avril 1985 à 23:20:30 UTC"),
]

GERMAN = [
    ("1990-01-13", "13. Januar 1990"),
    ("1990-01-01", "1. Januar 1990"),
    ("1990-01", "Januar 1990"),
    ("1990", "1990"),
    ("1990-01-12/1990-01-19", "12.–19. Januar 1990"),
    ("1990-01-12/1990-02-03", "12. Januar – 3. Februar 1990"),
    ("1988-02-27/1989-03-03", "27. Februar 1988 – 3. März 1989"),
    ("1990/1991", "1990 – 1991"),
    ("1988-02-27/..", "ab 27. Februar 1988"),
    ("1988/..", "ab 1988"),
    ("../1988-02-27", "bis 27. Februar 1988"),
    ("../1988-02", "bis Februar 1988"),
    ("1990~/..", "ab ca. 1990"),
    ("1988-02-27/", "27. Februar 1988 – unbekannt"),
    ("/1988", "unbekannt – 1988"),
    ("1990~", "um 1990"),
    ("1990-01-12~", "um den 12. Januar 1990"),
    ("1989?", "1989?"),
    ("1990%", "um 1990?"),
    ("1990-21", "Frühling 1990"),
    ("1990-23", "Herbst 1990"),
    ("1990-29", "Frühling 1990 (Südhalbkugel)"),
    ("1990-34", "2. Quartal 1990"),
    ("1990-38", "Mai–August 1990"),
    ("198X", "die 1980er Jahre"),
    ("198X~", "um die 1980er Jahre"),
    ("19XX", "20. Jahrhundert"),
    ("19XX~", "um das 20. Jahrhundert"),
    ("1XXX", "2. Jahrtausend"),
    ("-1985", f"1986{NBSP}v.{NBSP}Chr."),
    ("Y170000002", "170.000.002"),
    ("1985-04-12T23:20:30+04:00", "12. April 1985, 23:20:30 UTC+04:00"),
]

SPANISH = [
    ("1990-01-13", "13 de enero de 1990"),
    ("1990-01", "enero de 1990"),
    ("1990", "1990"),
    ("1990-01-12/1990-01-19", "del 12 al 19 de enero de 1990"),
    ("1990-01-12/1990-02-03", "del 12 de enero al 3 de febrero de 1990"),
    ("1988-02-27/1989-03-03", "del 27 de febrero de 1988 al 3 de marzo de 1989"),
    ("1990/1991", "1990 – 1991"),
    ("1988-02-27/..", "desde el 27 de febrero de 1988"),
    ("1988/..", "desde 1988"),
    ("1990-21/..", "desde la primavera de 1990"),
    ("../1988-02-27", "hasta el 27 de febrero de 1988"),
    ("../1988-02", "hasta febrero de 1988"),
    ("1990~/..", "desde 1990 aproximadamente"),
    ("../1990?", "hasta 1990 (?)"),
    ("1988-02-27/", "27 de febrero de 1988 – fecha desconocida"),
    ("/1988", "fecha desconocida – 1988"),
    ("1993-04~", "hacia abril de 1993"),
    ("1990-01-12~", "hacia el 12 de enero de 1990"),
    ("1990~", "hacia 1990"),
    ("1989?", "¿1989?"),
    ("1990-01-13?", "¿13 de enero de 1990?"),
    ("1990%", "¿hacia 1990?"),
    ("1990-21", "primavera de 1990"),
    ("1990-22", "verano de 1990"),
    ("1990-26", "verano de 1990 (hemisferio norte)"),
    ("1990-35", "tercer trimestre de 1990"),
    ("1990-39", "septiembre–diciembre de 1990"),
    ("198X", "los años 1980"),
    ("19XX", "siglo XX"),
    ("19XX~", "hacia el siglo XX"),
    ("1XXX", "II milenio"),
    ("-1985", f"1986{NBSP}a.{NBSP}C."),
    ("Y170000002", f"170{NNBSP}000{NNBSP}002"),
]

RUSSIAN = [
    ("1990-01-13", "13 января 1990"),
    ("1990-01", "январь 1990"),
    ("1990-05", "май 1990"),
    ("1990", "1990"),
    ("1990-01-12/1990-01-19", "12–19 января 1990"),
    ("1990-01-12/1990-02-03", "12 января – 3 февраля 1990"),
    ("1988-02-27/1989-03-03", "27 февраля 1988 – 3 марта 1989"),
    ("1990/1991", "1990 – 1991"),
    ("1988-02-27/..", f"с 27 февраля 1988{NBSP}г."),
    ("1988/..", f"с 1988{NBSP}г."),
    ("1988-02/..", f"с февраля 1988{NBSP}г."),
    ("1990-22/..", f"с лета 1990{NBSP}г."),
    ("../1988-02-27", f"до 27 февраля 1988{NBSP}г."),
    ("../1988", f"до 1988{NBSP}г."),
    ("1990~/..", f"с 1990{NBSP}г. (приблизительно)"),
    ("-1985/..", f"с 1986{NBSP}г.{NBSP}до{NBSP}н.{NBSP}э."),
    ("1988-02-27/", "27 февраля 1988 – неизвестно"),
    ("/1988", "неизвестно – 1988"),
    ("1993-04~", f"около апреля 1993{NBSP}г."),
    ("1990~", f"около 1990{NBSP}г."),
    ("1989?", "1989?"),
    ("1990-01-13?", "13 января 1990?"),
    ("1990-21", "весна 1990"),
    ("1990-24", "зима 1990"),
    ("1990-30", "лето 1990 (Южное полушарие)"),
    ("1990-36", "четвёртый квартал 1990"),
    ("1990-40", "первое полугодие 1990"),
    ("198X", "1980-е годы"),
    ("198X~", "около 1980-х годов"),
    ("19XX", "XX век"),
    ("19XX~", "около XX века"),
    ("1XXX", "II тысячелетие"),
    ("-1985", f"1986{NBSP}до{NBSP}н.{NBSP}э."),
    ("Y170000002", f"170{NNBSP}000{NNBSP}002"),
]

TABLES = {"fr": FRENCH, "de": GERMAN, "es": SPANISH, "ru": RUSSIAN}
CASES = [(language, text, label) for language, rows in TABLES.items() for text, label in rows]


@pytest.mark.parametrize(("language", "text", "label"), CASES)
def test_labels_in_the_reports_language(language: str, text: str, label: str) -> None:
    assert parse(text, language).label == label


@pytest.mark.parametrize("language", list(TABLES))
def test_every_table_covers_what_a_chronology_needs(language: str) -> None:
    """At least 12 dates, of every kind the issue names; the table has every word."""
    written = [text for text, _ in TABLES[language]]
    assert len(written) >= 12
    for needed in ("1990-01-13", "1990-01", "1990", "1990-01-12/1990-01-19",
                   "1990-01-12/1990-02-03", "1988-02-27/..", "../1988-02-27", "1988-02-27/",
                   "1989?", "1990-21", "198X", "19XX", "-1985"):
        assert needed in written
    assert any(text.endswith("~") for text in written)
    words = words_for(language)
    assert words is not chronology.WORDS
    assert len(words.months) == len(words.date_months) == 12
    assert all(words.seasons.get(n) for n in range(21, 42))
    for governed in words.governed.values():
        assert len(governed.months) == 12
        assert all(governed.seasons.get(n) for n in range(21, 42))


def test_the_forms_of_a_month() -> None:
    """Russian: the nominative alone, the genitive in a date and after a preposition."""
    assert parse("1990-03", "ru").label == "март 1990"
    assert parse("1990-03-08", "ru").label == "8 марта 1990"
    assert parse("1990-03/..", "ru").label == f"с марта 1990{NBSP}г."
    assert words_for("fr").months == words_for("fr").date_months


@pytest.mark.parametrize("text", sorted({text for rows in TABLES.values() for text, _ in rows}))
def test_the_placing_does_not_depend_on_the_language(text: str) -> None:
    english = parse(text)
    for language in ("fr", "de-CH", "es", "ru"):
        other = parse(text, language)
        assert (other.start, other.end, other.key, other.precision, other.datetime) == (
            english.start, english.end, english.key, english.precision, english.datetime)
        assert other.edtf == english.edtf


def test_the_order_of_a_chronology_does_not_depend_on_the_language() -> None:
    dates = ["1990-01-13", "../1988", "1990", "1990-01", "198X", "1990-01-12/1990-01-19",
             "-1985", "1988-02-27/..", "1990-21", "19XX", "1989?", "/1990", "1990-01-13"]

    def order(language: str) -> list[tuple[str, int]]:
        entries = [entry(d, Markup(""), Markup(""), f"e{i}", i, language)
                   for i, d in enumerate(dates)]
        return [(e.when.edtf, e.order) for group in by_year(entries, language)
                for e in group.entries]

    assert order("fr") == order("de") == order("es") == order("ru") == order("en")


def test_the_year_headings_are_in_the_language() -> None:
    def headings(language: str) -> list[str]:
        entries = [entry(d, Markup(""), Markup(""), f"e{i}", i, language)
                   for i, d in enumerate(["../1988", "-1985", "Y170000002", "1990"])]
        return [str(group.year) for group in by_year(entries, language)]

    assert headings("en") == ["Without a start date", "1986 BCE", "1990", "170,000,002"]
    assert headings("fr") == ["Sans date de début", f"1986{NBSP}av.{NBSP}J.-C.", "1990",
                              f"170{NNBSP}000{NNBSP}002"]
    assert headings("de") == ["Ohne Anfangsdatum", f"1986{NBSP}v.{NBSP}Chr.", "1990",
                              "170.000.002"]
    assert headings("es") == ["Sin fecha de inicio", f"1986{NBSP}a.{NBSP}C.", "1990",
                              f"170{NNBSP}000{NNBSP}002"]
    assert headings("ru") == ["Без даты начала", f"1986{NBSP}до{NBSP}н.{NBSP}э.", "1990",
                              f"170{NNBSP}000{NNBSP}002"]
    # the year itself is the same number in every language
    assert [int(g.year) for g in by_year([entry("-1985", Markup(""), Markup(""), "a", 0, "ru")],
                                         "ru")] == [-1985]


@pytest.mark.parametrize("language", ["xx", "tlh", "pt-BR", "", "und"])
def test_a_language_without_a_table_is_english(language: str) -> None:
    assert words_for(language) is chronology.WORDS
    assert parse("1990-01-12/1990-01-19", language).label == "12–19 January 1990"
    assert parse("1993-04~", language).label == "c. April 1993"


@pytest.mark.parametrize(("tag", "base"), [
    ("de-CH", "de"), ("de-AT", "de"), ("fr-CA", "fr"), ("es-419", "es"), ("ru-RU", "ru"),
    ("FR", "fr"), ("en-GB", "en"), ("de_CH", "de"),
])
def test_the_base_language_of_a_tag(tag: str, base: str) -> None:
    assert words_for(tag) is words_for(base)
    assert isinstance(words_for(tag), Words)


def test_swiss_german_is_german() -> None:
    assert parse("1990-01-13", "de-CH").label == "13. Januar 1990"
    assert parse("198X", "de-CH").label == "die 1980er Jahre"


def test_the_cache_keeps_the_languages_apart() -> None:
    assert parse("1990-02") is parse("1990-02")
    assert parse("1990-02").label == "February 1990"
    assert parse("1990-02", "fr").label == "février 1990"
    assert parse("1990-02", "de").label == "Februar 1990"
    assert parse("1990-02").label == "February 1990"
    assert entry("1990-02", Markup(""), Markup(""), "a", 0).when.label == "February 1990"
    assert entry("1990-02", Markup(""), Markup(""), "a", 0, "es").when.label == "febrero de 1990"


def test_refusals_are_the_same_in_every_language() -> None:
    for text in ("1990-02-30", "[1667,1668]", "../..", "156X-12-25"):
        messages = set()
        for language in ("en", "fr", "de", "es", "ru"):
            with pytest.raises(chronology.DateError) as caught:
                parse(text, language)
            messages.add((str(caught.value), caught.value.hint))
        assert len(messages) == 1


@pytest.mark.parametrize(("language", "ordinals"), [
    ("fr", ["Ier", "IIe", "IIIe", "IVe", "XIXe", "XXe", "XXIe"]),
    ("de", ["1.", "2.", "3.", "4.", "19.", "20.", "21."]),
    ("es", ["I", "II", "III", "IV", "XIX", "XX", "XXI"]),
    ("ru", ["I", "II", "III", "IV", "XIX", "XX", "XXI"]),
])
def test_ordinals(language: str, ordinals: list[str]) -> None:
    assert [words_for(language).ordinal(n) for n in (1, 2, 3, 4, 19, 20, 21)] == ordinals
