"""Every fixed word and sentence the theme prints, per language, so a report is in its own
language throughout: headings, the publications list's and the chronology's explanations, the
colophon, page references, month names.

`content/report.yaml` may replace any of them (`words:`, by key); `report check` names a key
that does not exist. A sentence may hold `{placeholders}` that the templates fill in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# The keys, with the English text (the reference: every other language has the same keys).
EN: dict[str, str] = {
    "report": "Report",  # what the report is, unless `kind:` says
    "table": "Table",  # "Table 2"
    "table-source": "Source:",
    "table-note": "Note:",
    "table-notes": "Notes:",
    "figure": "Figure",  # "Figure 2"
    "figure-credit": "Credit:",
    "contents": "Contents",
    "list-of-tables": "List of tables",
    "list-of-figures": "List of figures",
    "key-facts": "Key facts",
    "chronology": "Chronology",
    "publications": "Publications list",
    "colophon": "Colophon",
    "page": "Page",  # the folio: "Page 3", "Page 3 of 12"
    "of": "of",
    "to-page": "→ p.",  # from a chronology entry to the page that discusses it
    "page-abbr": "p.",  # cross-references: "section 2, p. 7"
    "section": "section",
    "cited-on-page": "Cited on p.",
    "cited-on-pages": "Cited on pp.",
    "further-reading": "Further reading.",
    "publications-intro": "Every source this report cites, formatted in the style {style}.",
    "publications-intro-further": "Every source this report cites, and further reading, "
                                  "formatted in the style {style}.",
    "publications-note-form": "Sources that the style leaves out of a bibliography "
                              "(interviews, testimonies, unpublished documents) are given in "
                              "the form of their first note, marked †.",
    "group-books": "Books and reports",
    "group-articles": "Newspaper and magazine articles",
    "group-official": "Official documents and resolutions",
    "group-other": "Testimonies and other sources",
    "chronology-intro": "Dated events stated in this report, in time order. Each entry gives "
                        "its sources and the page where the report discusses it.",
    "credit-cover": "Adapted from the {publisher} {work} “{title}”, available under the "
                    "{licence} licence. See the colophon.",
    "credit-colophon": "The text of this {kind} is adapted from the {publisher} {work} "
                       "“{title}” ({url}){by}, and is available under the {licence} licence "
                       "({licence_url}).",
    "credit-by": ", by {by}",
    "corrections": "Corrections to the source text:",
    "corrected": "Corrected: “{original}” → “{corrected}”.",
    "citations-by": "Citations formatted by citeproc-js in the style {style}.",
    "built": "Built on {date} with {generator}; set in {fonts}.",
    "months": "January February March April May June July August September October "
              "November December",
    "date": "{day} {month} {year}",
}

WORDS: dict[str, dict[str, str]] = {
    "en": EN,
    "fr": {
        "report": "Rapport",
        "table": "Tableau",  # "Table 2"
        "table-source": "Source :",
        "table-note": "Note :",
        "table-notes": "Notes :",
        "figure": "Figure",  # "Figure 2"
        "figure-credit": "Crédit :",
        "contents": "Sommaire",
        "list-of-tables": "Liste des tableaux",
        "list-of-figures": "Liste des figures",
        "key-facts": "L’essentiel",
        "chronology": "Chronologie",
        "publications": "Liste des publications",
        "colophon": "Colophon",
        "page": "Page",
        "of": "sur",
        "to-page": "→ p.",
        "page-abbr": "p.",
        "section": "section",
        "cited-on-page": "Cité p.",
        "cited-on-pages": "Cité p.",
        "further-reading": "Pour aller plus loin.",
        "publications-intro": "Toutes les sources citées dans ce document, mises "
                              "en forme dans le style {style}.",
        "publications-intro-further": "Toutes les sources citées dans ce document, "
                                      "et des lectures complémentaires, mises en forme dans "
                                      "le style {style}.",
        "publications-note-form": "Les sources que le style exclut d’une bibliographie "
                                  "(entretiens, témoignages, documents inédits) sont données "
                                  "sous la forme de leur première note, marquées †.",
        "group-books": "Livres et rapports",
        "group-articles": "Articles de presse et de magazines",
        "group-official": "Documents officiels et résolutions",
        "group-other": "Témoignages et autres sources",
        "chronology-intro": "Les événements datés mentionnés dans ce document, "
                            "dans l’ordre chronologique. Chaque entrée indique ses sources "
                            "et la page où le document en traite.",
        "credit-cover": "Adapté de « {title} » ({work}, {publisher}), disponible sous la "
                        "licence {licence}. Voir le colophon.",
        "credit-colophon": "Le texte de ce document est adapté de « {title} » "
                           "({work}, {publisher}, {url}){by} ; il est disponible sous la "
                           "licence {licence} ({licence_url}).",
        "credit-by": ", par {by}",
        "corrections": "Corrections apportées au texte source :",
        "corrected": "Corrigé : « {original} » → « {corrected} ».",
        "citations-by": "Citations mises en forme par citeproc-js dans le style {style}.",
        "built": "Produit le {date} avec {generator} ; composé en {fonts}.",
        "months": "janvier février mars avril mai juin juillet août septembre octobre "
                  "novembre décembre",
        "date": "{day} {month} {year}",
    },
    "de": {
        "report": "Bericht",
        "table": "Tabelle",  # "Table 2"
        "table-source": "Quelle:",
        "table-note": "Anmerkung:",
        "table-notes": "Anmerkungen:",
        "figure": "Abbildung",  # "Figure 2"
        "figure-credit": "Quelle:",
        "contents": "Inhalt",
        "list-of-tables": "Tabellenverzeichnis",
        "list-of-figures": "Abbildungsverzeichnis",
        "key-facts": "Eckdaten",
        "chronology": "Chronologie",
        "publications": "Quellenverzeichnis",
        "colophon": "Impressum",
        "page": "Seite",
        "of": "von",
        "to-page": "→ S.",
        "page-abbr": "S.",
        "section": "Abschnitt",
        "cited-on-page": "Zitiert auf S.",
        "cited-on-pages": "Zitiert auf S.",
        "further-reading": "Weiterführende Literatur.",
        "publications-intro": "Alle Quellen, die dieses Dokument zitiert, im Stil "
                              "{style}.",
        "publications-intro-further": "Alle Quellen, die dieses Dokument zitiert, "
                                      "und weiterführende Literatur, im Stil {style}.",
        "publications-note-form": "Quellen, die der Stil nicht ins Literaturverzeichnis "
                                  "aufnimmt (Interviews, Zeugenaussagen, unveröffentlichte "
                                  "Dokumente), stehen in der Form ihrer ersten Fußnote, "
                                  "mit † markiert.",
        "group-books": "Bücher und Berichte",
        "group-articles": "Zeitungs- und Zeitschriftenartikel",
        "group-official": "Amtliche Dokumente und Resolutionen",
        "group-other": "Zeugenaussagen und weitere Quellen",
        "chronology-intro": "Die in diesem Dokument genannten datierten Ereignisse "
                            "in zeitlicher Folge. Jeder Eintrag nennt seine Quellen und die "
                            "Seite, auf der das Dokument darauf eingeht.",
        "credit-cover": "Bearbeitet nach „{title}“ ({work}, {publisher}), verfügbar unter "
                        "der Lizenz {licence}. Siehe Impressum.",
        "credit-colophon": "Der Text dieses Dokuments ist eine Bearbeitung von "
                           "„{title}“ ({work}, {publisher}, {url}){by} und steht unter der "
                           "Lizenz {licence} ({licence_url}).",
        "credit-by": ", von {by}",
        "corrections": "Korrekturen am Ausgangstext:",
        "corrected": "Korrigiert: „{original}“ → „{corrected}“.",
        "citations-by": "Zitate von citeproc-js im Stil {style} gesetzt.",
        "built": "Erstellt am {date} mit {generator}; gesetzt in {fonts}.",
        "months": "Januar Februar März April Mai Juni Juli August September Oktober "
                  "November Dezember",
        "date": "{day}. {month} {year}",
    },
    "es": {
        "report": "Informe",
        "table": "Tabla",  # "Table 2"
        "table-source": "Fuente:",
        "table-note": "Nota:",
        "table-notes": "Notas:",
        "figure": "Figura",  # "Figure 2"
        "figure-credit": "Créditos:",
        "contents": "Índice",
        "list-of-tables": "Índice de tablas",
        "list-of-figures": "Índice de figuras",
        "key-facts": "Datos clave",
        "chronology": "Cronología",
        "publications": "Lista de publicaciones",
        "colophon": "Colofón",
        "page": "Página",
        "of": "de",
        "to-page": "→ p.",
        "page-abbr": "p.",
        "section": "sección",
        "cited-on-page": "Citado en p.",
        "cited-on-pages": "Citado en pp.",
        "further-reading": "Lectura complementaria.",
        "publications-intro": "Todas las fuentes que cita este documento, con el "
                              "estilo {style}.",
        "publications-intro-further": "Todas las fuentes que cita este documento, "
                                      "y lecturas complementarias, con el estilo {style}.",
        "publications-note-form": "Las fuentes que el estilo deja fuera de una bibliografía "
                                  "(entrevistas, testimonios, documentos inéditos) se dan en "
                                  "la forma de su primera nota, marcadas con †.",
        "group-books": "Libros e informes",
        "group-articles": "Artículos de prensa y revistas",
        "group-official": "Documentos oficiales y resoluciones",
        "group-other": "Testimonios y otras fuentes",
        "chronology-intro": "Los hechos fechados que menciona este documento, en "
                            "orden cronológico. Cada entrada da sus fuentes y la página "
                            "donde el documento los trata.",
        "credit-cover": "Adaptado de «{title}» ({work}, {publisher}), disponible bajo la "
                        "licencia {licence}. Véase el colofón.",
        "credit-colophon": "El texto de este documento es una adaptación de "
                           "«{title}» ({work}, {publisher}, {url}){by}, y está disponible "
                           "bajo la licencia {licence} ({licence_url}).",
        "credit-by": ", por {by}",
        "corrections": "Correcciones al texto original:",
        "corrected": "Corregido: «{original}» → «{corrected}».",
        "citations-by": "Citas formateadas por citeproc-js con el estilo {style}.",
        "built": "Generado el {date} con {generator}; compuesto en {fonts}.",
        "months": "enero febrero marzo abril mayo junio julio agosto septiembre octubre "
                  "noviembre diciembre",
        "date": "{day} de {month} de {year}",
    },
    "ru": {
        "report": "Доклад",
        "table": "Таблица",  # "Table 2"
        "table-source": "Источник:",
        "table-note": "Примечание:",
        "table-notes": "Примечания:",
        "figure": "Рисунок",  # "Figure 2"
        "figure-credit": "Источник:",
        "contents": "Содержание",
        "list-of-tables": "Список таблиц",
        "list-of-figures": "Список рисунков",
        "key-facts": "Основные факты",
        "chronology": "Хронология",
        "publications": "Список публикаций",
        "colophon": "Выходные сведения",
        "page": "Страница",
        "of": "из",
        "to-page": "→ с.",
        "page-abbr": "с.",
        "section": "раздел",
        "cited-on-page": "Цит. на с.",
        "cited-on-pages": "Цит. на с.",
        "further-reading": "Дополнительная литература.",
        "publications-intro": "Все источники, на которые ссылается этот документ, "
                              "оформленные в стиле {style}.",
        "publications-intro-further": "Все источники, на которые ссылается этот документ, "
                                      "и дополнительная литература, оформленные в "
                                      "стиле {style}.",
        "publications-note-form": "Источники, которые стиль не включает в библиографию "
                                  "(интервью, свидетельства, неопубликованные документы), "
                                  "приведены в форме их первой сноски и отмечены †.",
        "group-books": "Книги и доклады",
        "group-articles": "Газетные и журнальные статьи",
        "group-official": "Официальные документы и резолюции",
        "group-other": "Свидетельства и другие источники",
        "chronology-intro": "Датированные события, упомянутые в этом документе, в "
                            "хронологическом порядке. Для каждого указаны источники и "
                            "страница, где о нём идёт речь.",
        "credit-cover": "Адаптировано по материалу «{title}» ({work}, {publisher}), "
                        "доступному по лицензии {licence}. См. выходные сведения.",
        "credit-colophon": "Текст этого документа адаптирован по материалу "
                           "«{title}» ({work}, {publisher}, {url}){by} и доступен по "
                           "лицензии {licence} ({licence_url}).",
        "credit-by": ", авторы: {by}",
        "corrections": "Исправления в исходном тексте:",
        "corrected": "Исправлено: «{original}» → «{corrected}».",
        "citations-by": "Ссылки оформлены citeproc-js в стиле {style}.",
        "built": "Собрано {date} с помощью {generator}; набрано шрифтами {fonts}.",
        "months": "января февраля марта апреля мая июня июля августа сентября октября "
                  "ноября декабря",
        "date": "{day} {month} {year} г.",
    },
}
KEYS = tuple(EN)


def base_language(tag: str) -> str:
    """The language of a BCP 47 tag: `en-US` → `en`."""
    return tag.split("-")[0].lower()


def has_language(tag: str) -> bool:
    return base_language(tag) in WORDS


def words_for(tag: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The words of a language (English where the theme has none yet), with the report's own
    replacements."""
    return {**WORDS.get(base_language(tag), EN), **(overrides or {})}


def months(words: Mapping[str, str]) -> list[str]:
    return words["months"].split()


def date_label(words: Mapping[str, str], year: int, month: int, day: int) -> str:
    """A day as the language writes it: "13 January 1990", "13. Januar 1990", "13 de enero
    de 1990" (Russian months are in the genitive, as a date wants)."""
    return fill(words["date"], day=day, month=months(words)[month - 1], year=year)


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(sentence: str, **values: object) -> str:
    """`{name}` placeholders filled; nothing else is read. A sentence may come from the
    project (`words:`), and a format string's `{x.attr}` would reach the values' internals
    (and a lone brace would fail)."""
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values
                           else m.group(0), sentence)
