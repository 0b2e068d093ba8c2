"""Inline text: Pandoc-style citations, locators, note-call placement, spans, safe links."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from markdown_it import MarkdownIt

from report.document.inline import (
    CiteItem,
    Cluster,
    Inline,
    Renderers,
    make_parser,
    parse,
    parse_cluster,
    parse_locator,
    render,
)


def render_with(md: MarkdownIt, parsed: Inline, cite: Callable[[Cluster], str]) -> str:
    """render() with a cite callback (given to it as the Renderers object)."""

    class Out(Renderers):
        def cite(self, cluster: Cluster) -> str:
            return cite(cluster)

    return render(md, parsed, Out())


def html(text: str, note_style: bool = True) -> str:
    md = make_parser(note_style=note_style)
    return render_with(md, parse(md, text), lambda c: f"<sup>{c.source}</sup>")


def items(text: str) -> list[CiteItem]:
    found = parse_cluster(text)
    assert found is not None, text
    return found


# --- parse_cluster ------------------------------------------------------------------------

def test_plain_key() -> None:
    assert parse_cluster("@key") == [CiteItem("key")]


def test_page_locator() -> None:
    [item] = items("@key, p. 12")
    assert (item.key, item.locator, item.label, item.suffix) == ("key", "12", "page", "")


def test_page_range_locator() -> None:
    [item] = items("@key, pp. 12–14")
    assert (item.locator, item.label) == ("12–14", "page")


def test_bare_number_is_a_page() -> None:
    [item] = items("@key, 14")
    assert (item.locator, item.label) == ("14", "page")


def test_two_items_with_prefixes_and_locator() -> None:
    assert parse_cluster("see @key, 14; also @other") == [
        CiteItem("key", prefix="see", locator="14", label="page"),
        CiteItem("other", prefix="also"),
    ]


def test_minus_suppresses_author() -> None:
    [item] = items("-@key")
    assert item.key == "key" and item.suppress_author is True
    assert item.csl() == {"id": "key", "suppress-author": True}


@pytest.mark.parametrize(("text", "locator", "label"), [
    ("@k, chap. 3", "3", "chapter"),
    ("@k, ch. 3", "3", "chapter"),
    ("@k, chapter 3", "3", "chapter"),
    ("@k, sec. 2", "2", "section"),
    ("@k, section 2", "2", "section"),
    ("@k, § 4", "4", "section"),
    ("@k, §4", "4", "section"),
    ("@k, §§ 3–5", "3–5", "section"),
    ("@k, para. 3", "3", "paragraph"),
    ("@k, ¶ 7", "7", "paragraph"),
    ("@k, ¶¶ 2-3", "2-3", "paragraph"),
    ("@k, col. 2", "2", "column"),
    ("@k, l. 5", "5", "line"),
    ("@k, ll. 5-7", "5-7", "line"),
    ("@k, line 4", "4", "line"),
    ("@k, vol. 2", "2", "volume"),
    ("@k, xiv", "xiv", "page"),
])
def test_locator_labels(text: str, locator: str, label: str) -> None:
    [item] = items(text)
    assert (item.key, item.locator, item.label, item.suffix) == ("k", locator, label, "")


def test_suffix_after_locator() -> None:
    [item] = items("@k, p. 12, my comment")
    assert (item.locator, item.label, item.suffix) == ("12", "page", ", my comment")
    assert item.csl() == {"id": "k", "locator": "12", "label": "page", "suffix": ", my comment"}


def test_suffix_without_locator() -> None:
    [item] = items("@k emphasis added")
    assert (item.locator, item.suffix) == ("", "emphasis added")
    assert item.csl()["suffix"] == " emphasis added"


def test_prefix_goes_to_csl_with_a_space() -> None:
    [item] = items("see @k")
    assert item.csl() == {"id": "k", "prefix": "see "}


@pytest.mark.parametrize("text", ["text", "x", "just words, no key", "", "@", "see @"])
def test_brackets_without_a_key_are_not_a_cluster(text: str) -> None:
    assert parse_cluster(text) is None


def test_one_bad_part_makes_the_whole_bracket_text() -> None:
    assert parse_cluster("@a; no key here") is None


# --- parse_locator ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    (", p. 12, my comment", ("12", "page", ", my comment")),
    ("12", ("12", "page", "")),
    ("33, 35", ("33, 35", "page", "")),
    ("pp. 12–14", ("12–14", "page", "")),
    ("ch. 3", ("3", "chapter", "")),
    ("§ 4", ("4", "section", "")),
    ("¶¶ 2-3", ("2-3", "paragraph", "")),
    ("col. 2", ("2", "column", "")),
    ("line 4", ("4", "line", "")),
    ("emphasis mine", ("", "", "emphasis mine")),
    ("", ("", "", "")),
    (",", ("", "", "")),
])
def test_parse_locator(text: str, expected: tuple[str, str, str]) -> None:
    assert parse_locator(text) == expected


def test_a_word_that_starts_like_a_term_is_not_that_term() -> None:
    # "pages" and "lines" are terms; "paging" and "linear" are not
    assert parse_locator("linear reading")[1] != "line"
    assert parse_locator("paging through")[1] != "page"


# Regression: a suffix that starts with letters that are also roman numerals (c, d, i, l, m, v, x)
# loses them to a "page" locator: `[@k, comment]` cites page "c" with suffix "omment".
@pytest.mark.parametrize("suffix", ["comment", "discussing the events", "ibid."])
def test_suffix_words_are_not_roman_numeral_pages(suffix: str) -> None:
    [item] = items(f"@k, {suffix}")
    assert (item.locator, item.label) == ("", "")
    assert item.suffix.strip(", ") == suffix


# Regression: after a label the locator runs to the first comma, so it swallows following words
# (`p. 12 emphasis added` -> locator "12 emphasis added") and stops before a second range
# (`pp. 33-35, 38-39` -> locator "33-35"); the bare form `33-35, 38-39 and passim` gets both
# right (locator "33-35, 38-39", suffix "and passim"), as Pandoc does.
def test_labelled_locator_ends_where_the_numbers_end() -> None:
    [item] = items("@k, p. 12 emphasis added")
    assert (item.locator, item.label, item.suffix.strip()) == ("12", "page", "emphasis added")
    [item] = items("@k, pp. 33-35, 38-39 and passim")
    assert (item.locator, item.label, item.suffix.strip()) == ("33-35, 38-39", "page",
                                                               "and passim")


# --- the parser: what is and is not a citation ---------------------------------------------

def test_clusters_in_reading_order() -> None:
    md = make_parser()
    parsed = parse(md, "A [see @a, 14; also @b] and [-@c] and [@d, p. 3].")
    assert [c.source for c in parsed.clusters] == ["[see @a, 14; also @b]", "[-@c]", "[@d, p. 3]"]
    assert [[i.key for i in c.items] for c in parsed.clusters] == [["a", "b"], ["c"], ["d"]]


@pytest.mark.parametrize("text", [
    "[text] in brackets",
    "a [link](https://example.org)",
    "write to a@b.org for a copy",
    "an address <a@b.org>",
    "a [link with @key](https://example.org)",
])
def test_non_citations_make_no_cluster(text: str) -> None:
    md = make_parser()
    assert parse(md, text).clusters == []


def test_non_citations_stay_text() -> None:
    out = html("[text] and [x](https://a.org) and a@b.org")
    assert out == '[text] and <a href="https://a.org">x</a> and a@b.org'


# Regression: an e-mail address in brackets is read as a citation with prefix "write to a" and key
# "b.org" (Pandoc requires the @ of a key not to follow a letter or digit).
def test_email_in_brackets_is_not_a_citation() -> None:
    assert parse_cluster("write to a@b.org") is None


# --- note-call placement -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Text [@key].", "Text.<sup>[@key]</sup>"),
    ("Text [@key], more.", "Text,<sup>[@key]</sup> more."),
    ("Text [@key]; more", "Text;<sup>[@key]</sup> more"),
    ("Text [@key]!? more", "Text!?<sup>[@key]</sup> more"),
    ("Text [@key] more.", "Text<sup>[@key]</sup> more."),
    ("*Emph* [@key].", "<em>Emph</em>.<sup>[@key]</sup>"),
])
def test_note_style_moves_the_call_after_punctuation(text: str, expected: str) -> None:
    assert html(text, note_style=True) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Text [@key].", "Text <sup>[@key]</sup>."),
    ("Text [@key], more.", "Text <sup>[@key]</sup>, more."),
    ("Text [@key] more.", "Text <sup>[@key]</sup> more."),
])
def test_author_date_style_leaves_the_citation_in_place(text: str, expected: str) -> None:
    assert html(text, note_style=False) == expected


# --- typography, spans, escaping, links ----------------------------------------------------

def test_smart_quotes_and_dashes() -> None:
    assert html("\"Quoted\" and 'single', 1990--1991, a---b") == (
        "“Quoted” and ‘single’, 1990–1991, a—b")


def test_bracketed_span_with_lang() -> None:
    assert html("in Armenian [Բաքվի ջարդեր]{lang=hy}.") == (
        'in Armenian <span lang="hy">Բաքվի ջարդեր</span>.')


def test_span_attributes_are_limited_to_lang_class_id() -> None:
    out = html("[x]{style=color:red}")
    assert "style" not in out and out == "<span>x</span>"


def test_raw_html_is_escaped() -> None:
    assert html("<script>alert(1)</script> & <b>x</b>") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;")


@pytest.mark.parametrize("text", [
    "[x](javascript:alert(1))",
    "[x](JavaScript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[x](file:///etc/passwd)",
    "[x](data:text/html,hi)",
    "[x](javascript&#58;alert(1))",
])
def test_unsafe_links_are_not_links(text: str) -> None:
    out = html(text)
    assert "<a" not in out and "href" not in out


@pytest.mark.parametrize(("text", "href"), [
    ("[x](https://example.org/a?b=1)", "https://example.org/a?b=1"),
    ("[x](http://example.org)", "http://example.org"),
    ("[x](mailto:a@b.org)", "mailto:a@b.org"),
    ("<https://example.org>", "https://example.org"),
    ("[x](#section-2)", "#section-2"),
])
def test_safe_links_are_links(text: str, href: str) -> None:
    assert f'<a href="{href}">' in html(text)


# --- render ---------------------------------------------------------------------------------

def test_render_calls_cite_once_per_cluster_in_order() -> None:
    md = make_parser()
    parsed = parse(md, "One [@a]. Two [@b, p. 4], and [see @c; @a]. No [note] here.")
    seen: list[str] = []

    def cite(cluster: Cluster) -> str:
        seen.append(cluster.source)
        return f"<sup>{len(seen)}</sup>"

    out = render_with(md, parsed, cite)
    assert seen == ["[@a]", "[@b, p. 4]", "[see @c; @a]"]
    assert out == "One.<sup>1</sup> Two,<sup>2</sup> and.<sup>3</sup> No [note] here."
