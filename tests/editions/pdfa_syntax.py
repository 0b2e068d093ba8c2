"""PDF/A-3 file structure (ISO 19005-3, clause 6.1), checked on the bytes of the file.

veraPDF, the reference validator, is a Java program that cannot be installed here, so the
rules of its PDF/A-3B profile (veraPDF-validation-profiles, PDF_A/PDFA-3B.xml) that apply to
what this pipeline writes are checked by tests/pdfa_syntax.py (this file), tests/pdfa_rules.py
and tests/pdfa_fonts.py. Each check is named by the veraPDF rule id: `clause-testNumber`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pikepdf

Failures = dict[str, list[str]]

RULES = {
    "6.1.2-1": "the header %PDF-1.n (n 0-7) at byte 0, then one EOL",
    "6.1.2-2": "then % and at least four bytes above 127",
    "6.1.3-1": "the trailer has an ID",
    "6.1.3-2": "no Encrypt in the trailer",
    "6.1.3-3": "nothing after the last %%EOF but one EOL",
    "6.1.4-2": "xref keyword and subsection header separated by one EOL (xref tables only)",
    "6.1.6-1": "hexadecimal strings have an even number of digits",
    "6.1.6-2": "hexadecimal strings hold hexadecimal digits only",
    "6.1.7-1": "a stream's Length is the number of bytes between stream EOL and endstream EOL",
    "6.1.7-2": "stream followed by CRLF or LF; endstream preceded by an EOL",
    "6.1.7-3": "no F, FFilter or FDecodeParms in a stream dictionary",
    "6.1.7-4": "standard filters only, never LZWDecode; Crypt only as Identity",
    "6.1.8-1": "names are valid UTF-8",
    "6.1.9-1": "N G obj: single spaces; obj and endobj each followed by an EOL, endobj after one",
    "6.1.13-1": "integers within 32 bits",
    "6.1.13-2": "reals within +/-3.403e38",
    "6.1.13-3": "strings shorter than 32767 bytes",
    "6.1.13-4": "names at most 127 bytes",
    "6.1.13-5": "no non-zero real closer to 0 than 1.175e-38",
    "6.1.13-7": "at most 8388607 indirect objects",
    "6.1.13-11": "page boundaries between 3 and 14400 units",
}
FILTERS = {"/ASCIIHexDecode", "/ASCII85Decode", "/FlateDecode", "/RunLengthDecode",
           "/CCITTFaxDecode", "/JBIG2Decode", "/DCTDecode", "/JPXDecode"}
EOL = (b"\r\n", b"\n", b"\r")


def _eol(data: bytes, at: int) -> int | None:
    """The length of the EOL marker at `at`, or None."""
    return next((len(e) for e in EOL if data.startswith(e, at)), None)


def objects(data: bytes, pdf: pikepdf.Pdf, fail: Any) -> Iterator[bytes]:
    """Walk the file's top-level objects in order, checking their syntax (6.1.7, 6.1.9);
    yields the syntax of each (dictionaries, without stream data)."""
    pos = data.index(b"\n", data.index(b"\n") + 1) + 1  # after the header's two lines
    header = re.compile(rb"(\d+) (\d+) obj")
    while not data.startswith(b"startxref", pos) and not data.startswith(b"xref", pos):
        match = header.match(data, pos)
        eol = _eol(data, match.end()) if match else None
        if not match or eol is None:
            fail("6.1.9-1", f"no well-formed object header at byte {pos}")
            return
        number, generation = int(match[1]), int(match[2])
        obj = pdf.get_object(number, generation)
        start = match.end() + eol
        if isinstance(obj, pikepdf.Stream):
            keyword = data.index(b"stream", start)
            yield data[start:keyword]
            after = _eol(data, keyword + 6)
            if after is None or data[keyword + 6:keyword + 7] == b"\r" and after == 1:
                fail("6.1.7-2", f"object {number}: stream keyword not followed by CRLF or LF")
                return
            end = keyword + 6 + after + int(obj.stream_dict.Length)
            tail = _eol(data, end)
            if tail is None or not data.startswith(b"endstream", end + tail):
                fail("6.1.7-1", f"object {number}: Length does not end at EOL + endstream")
                return
            close = end + tail + len(b"endstream")
            eol = _eol(data, close)
            if eol is None or not data.startswith(b"endobj", close + eol):
                fail("6.1.9-1", f"object {number}: endstream not followed by EOL + endobj")
                return
            endobj = close + eol
        else:
            endobj = data.index(b"endobj", start)
            yield data[start:endobj]
            if data[endobj - 1:endobj] not in (b"\n", b"\r"):
                fail("6.1.9-1", f"object {number}: endobj not preceded by an EOL")
        pos = endobj + len(b"endobj")
        eol = _eol(data, pos)
        if eol is None:
            fail("6.1.9-1", f"object {number}: endobj not followed by an EOL")
            return
        pos += eol
    if data.startswith(b"xref", pos) and _eol(data, pos + 4) is None:
        fail("6.1.4-2", "the xref keyword is not followed by a single EOL")


def hex_strings(syntax: bytes) -> Iterator[bytes]:
    """The hexadecimal strings in PDF syntax, literal strings skipped."""
    i, depth = 0, 0
    while i < len(syntax):
        char = syntax[i:i + 1]
        if depth:
            if char == b"\\":
                i += 1
            elif char == b"(":
                depth += 1
            elif char == b")":
                depth -= 1
        elif char == b"(":
            depth = 1
        elif char == b"<" and syntax[i + 1:i + 2] != b"<":
            end = syntax.index(b">", i)
            yield syntax[i + 1:end]
            i = end
        elif char == b"<":
            i += 1
        i += 1


def values(obj: Any, seen: set[tuple[int, int]]) -> Iterator[Any]:
    """Every direct value inside an object (dictionary and array members, recursively)."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    yield obj
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Array):
        items = obj.values() if isinstance(obj, pikepdf.Dictionary) else list(obj)
        for key in obj.keys() if isinstance(obj, pikepdf.Dictionary) else ():
            yield pikepdf.Name(key)
        for item in items:
            if not (isinstance(item, pikepdf.Object) and item.is_indirect):
                yield from values(item, seen)


def check(data: bytes, pdf: pikepdf.Pdf) -> Failures:
    failures: Failures = {}

    def fail(rule: str, what: str) -> None:
        failures.setdefault(rule, []).append(what)

    if not re.match(rb"%PDF-1\.[0-7](\r\n|\r|\n)", data):
        fail("6.1.2-1", repr(data[:10]))
    second = data[data.index(b"\n") + 1:]
    if not (second[:1] == b"%" and all(b > 127 for b in second[1:5])):
        fail("6.1.2-2", repr(second[:6]))
    trailer = pdf.trailer
    if "/ID" not in trailer or len(trailer.ID) != 2 or not all(bytes(i) for i in trailer.ID):
        fail("6.1.3-1", "no ID")
    if "/Encrypt" in trailer:
        fail("6.1.3-2", "Encrypt")
    if data[data.rindex(b"%%EOF") + 5:] not in (b"", *EOL):
        fail("6.1.3-3", repr(data[data.rindex(b"%%EOF"):][:20]))
    syntax = list(objects(data, pdf, fail))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/Type") == "/ObjStm":
            syntax.append(obj.read_bytes())
    for text in syntax:
        for digits in hex_strings(text):
            compact = re.sub(rb"\s", b"", digits)
            if len(compact) % 2:
                fail("6.1.6-1", repr(digits[:20]))
            if not re.fullmatch(rb"[0-9A-Fa-f]*", compact):
                fail("6.1.6-2", repr(digits[:20]))
    if len(pdf.objects) > 8388607:
        fail("6.1.13-7", str(len(pdf.objects)))
    seen: set[tuple[int, int]] = set()
    for obj in pdf.objects:
        for value in values(obj, seen):
            _limits(value, fail)
        if isinstance(obj, pikepdf.Stream):
            _stream(obj, fail)
    for number, page in enumerate(pdf.pages, start=1):
        for box in ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
            if box in page.obj:
                x0, y0, x1, y1 = (float(v) for v in page.obj[box])
                if not (3 <= abs(x1 - x0) <= 14400 and 3 <= abs(y1 - y0) <= 14400):
                    fail("6.1.13-11", f"page {number} {box}")
    return failures


def _limits(value: Any, fail: Any) -> None:
    if isinstance(value, pikepdf.Name):
        raw = str(value)[1:].encode("utf-8", "surrogateescape")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            fail("6.1.8-1", str(value))
        if len(raw) > 127:
            fail("6.1.13-4", str(value)[:40])
    elif isinstance(value, pikepdf.String):
        if len(bytes(value)) >= 32767:
            fail("6.1.13-3", f"{len(bytes(value))} bytes")
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -2147483648 <= value <= 2147483647:
            fail("6.1.13-1", str(value))
    elif isinstance(value, float) or type(value).__name__ == "Decimal":
        number = float(value)
        if abs(number) > 3.403e38:
            fail("6.1.13-2", str(value))
        if number and abs(number) < 1.175e-38:
            fail("6.1.13-5", str(value))


def _stream(stream: pikepdf.Stream, fail: Any) -> None:
    keys = stream.stream_dict
    for key in ("/F", "/FFilter", "/FDecodeParms"):
        if key in keys:
            fail("6.1.7-3", key)
    filters = keys.get("/Filter")
    names = list(filters) if isinstance(filters, pikepdf.Array) else [filters] if filters else []
    for name in names:
        if str(name) not in FILTERS:
            fail("6.1.7-4", str(name))
