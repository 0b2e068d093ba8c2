"""Every edition's metadata (report/editions/xmp.py, set through pikepdf by
report/editions/claims.py), read here in the archive: one packet, uncompressed, its
namespaces declared once, holding the record's properties, and a document information
dictionary that says the same."""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from report.editions import claims, xmp
from tests.editions import pdfa_rules

PACKET_TAGS = {b"x:xmpmeta", b"rdf:RDF", b"rdf:Description"}
RECORD = xmp.Meta(
    title="Ա <title> & “quotes”", creators=("A. One", "B. Two"), description="What it is.",
    keywords=("zeta", "alpha", "Ζ"), language="hy", date=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
    producer="WeasyPrint 70.0", creator_tool="report", document_id="uuid:1", instance_id="uuid:2",
    rights="CC BY-SA 4.0", licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
    source="https://example.org/source", pdfua=1)


def _raw(pdf: pikepdf.Pdf) -> bytes:
    return bytes(pdf.Root.Metadata.read_raw_bytes())


def _record(pdf: pikepdf.Pdf) -> xmp.Meta:
    """The record, read back from the packet alone."""
    meta = pdf.open_metadata()
    keywords = meta.get("pdf:Keywords")
    part = meta.get("pdfuaid:part")
    return xmp.Meta(
        title=meta["dc:title"], creators=tuple(meta.get("dc:creator", ())),
        description=meta.get("dc:description"),
        keywords=tuple(keywords.split(", ")) if keywords else (),
        language=next(iter(meta["dc:language"])),
        date=dt.datetime.fromisoformat(meta["xmp:CreateDate"]),
        producer=meta["pdf:Producer"], creator_tool=meta["xmp:CreatorTool"],
        document_id=meta["xmpMM:DocumentID"], instance_id=meta["xmpMM:InstanceID"],
        rights=meta.get("dc:rights"), licence_url=meta.get("xmpRights:WebStatement"),
        source=meta.get("dc:source"),
        pdfa=(int(meta["pdfaid:part"]), meta["pdfaid:conformance"]),
        pdfua=int(part) if part else None)


def _properties(raw: bytes) -> list[str]:
    """The names of the packet's properties, in order (the elements of rdf:Description)."""
    body = raw.split(b"<rdf:Description", 1)[1].split(b"</rdf:Description>", 1)[0]
    names, depth = [], 0
    for closing, name, empty in re.findall(rb"<(/?)([\w:]+)[^>]*?(/?)>", body.split(b">", 1)[1]):
        if not closing and depth == 0:
            names.append(name.decode())
        depth += 0 if empty else (-1 if closing else 1)
    return names


def _check_packet(raw: bytes, meta: xmp.Meta) -> None:
    header = re.match(rb'<\?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"\?>',
                      raw)
    assert header and b"bytes=" not in header[0] and b"encoding=" not in header[0]
    assert re.search(rb'<\?xpacket end="[rw]"\?>\s*$', raw)
    assert b"<?xml" not in raw  # no declaration of an encoding either
    # namespaces: declared once, on the packet's frame; each used one, and only those
    assert {tag for tag in re.findall(rb"<([\w:]+)[^>]*\sxmlns:", raw)} <= PACKET_TAGS
    description = re.search(rb"<rdf:Description\s[^>]*>", raw)
    assert description
    declared = dict(re.findall(rb'xmlns:(\w+)="([^"]*)"', description[0]))
    used = set(re.findall(rb"<(\w+):", raw)) - {b"x", b"rdf"}
    assert set(declared) == used
    assert {p.decode(): uri.decode() for p, uri in declared.items()} == {
        p.decode(): xmp.NS[p.decode()] for p in used}
    # the record's properties, in order, then the extension schema when one is needed
    names = [name for name, _ in xmp.properties(meta)]
    assert _properties(raw) == names + (["pdfaExtension:schemas"] if meta.pdfua else [])


def _info(meta: xmp.Meta) -> dict[str, str]:
    return {f"/{key}": value for key, value in xmp.info(meta).items()}


# ------------------------------------------------------------------------- the archive

def test_the_archive_has_one_packet_uncompressed(archive: Path) -> None:
    with pikepdf.open(archive) as pdf:
        stream = pdf.Root.Metadata
        assert "/Filter" not in stream.stream_dict and "/DecodeParms" not in stream.stream_dict
        assert (stream.Type, stream.Subtype) == ("/Metadata", "/XML")
        assert _raw(pdf) == bytes(stream.read_bytes())
        packets = [o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                   and o.stream_dict.get("/Type") == "/Metadata"]
        assert len(packets) == 1  # WeasyPrint's own is gone, not left beside it
    assert archive.read_bytes().count(b"<?xpacket begin=") == 1  # readable without PDF tools


def test_the_archive_xmp_is_the_record_and_the_info_dictionary_says_the_same(
        archive: Path) -> None:
    with pikepdf.open(archive) as pdf:
        record = _record(pdf)
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
        raw = _raw(pdf)
        lang = str(pdf.Root.Lang)
    assert info == _info(record)
    assert record.language == lang and record.pdfa == (3, "A") and record.pdfua == 1
    assert record.rights and record.source and record.licence_url
    _check_packet(raw, record)


# ------------------------------------------------------------------------- the writer

def _written(meta: xmp.Meta) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no value pikepdf would have to coerce
        with pikepdf.new() as pdf:
            pdf.add_blank_page()
            pdf.docinfo["/Producer"] = "WeasyPrint"  # replaced, not added to
            pdf.docinfo["/Rights"] = "stale"
            claims.write_metadata(meta, pdf)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
    return out.getvalue()


@pytest.mark.parametrize("meta", [RECORD, xmp.Meta(
    title="T", creators=(), description=None, keywords=(), language="en",
    date=dt.datetime(1999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=4))),
    producer="p", creator_tool="c", document_id="uuid:a", instance_id="uuid:b")],
                         ids=["full, PDF/UA", "least"])
def test_the_packet_holds_the_record_and_the_info_dictionary_the_same(meta: xmp.Meta) -> None:
    data = _written(meta)
    assert _written(meta) == data  # reproducible
    with pikepdf.open(io.BytesIO(data)) as pdf:
        raw = _raw(pdf)
        assert "/Filter" not in pdf.Root.Metadata.stream_dict
        assert _record(pdf) == meta  # the date the same instant, in UTC
        assert {str(k): str(v) for k, v in pdf.docinfo.items()} == _info(meta)
        failures: dict[str, list[str]] = {}
        pdfa_rules._metadata(pdf.Root, lambda rule, what: failures.setdefault(rule, [])
                             .append(what))
    assert failures == {}
    _check_packet(raw, meta)


def test_the_pdfua_claim_comes_with_its_extension_schema() -> None:
    with pikepdf.open(io.BytesIO(_written(RECORD))) as pdf:
        raw = _raw(pdf)
        assert pdf.open_metadata()["pdfuaid:part"] == "1"
    schema = raw.split(b"<pdfaExtension:schemas>", 1)[1]
    assert b"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/<" in schema
    assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in schema
    assert b"<pdfaProperty:valueType>Integer</pdfaProperty:valueType>" in schema


def test_a_failed_metadata_pass_leaves_the_previous_archive(tmp_path: Path) -> None:
    """The second pass runs in memory, before anything replaces the previous output."""
    from report.layout.engine import layout, write

    output = tmp_path / "report-archive.pdf"
    output.write_bytes(b"the previous archive")
    document = layout("<p>Text</p>", tmp_path)

    def failing(document: Any, data: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(b"%PDF-1.7\nnot a PDF after all\n")):
            return data

    with pytest.raises(pikepdf.PdfError):
        write(document, output, lambda document, pdf: None, {}, failing)
    assert output.read_bytes() == b"the previous archive"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report-archive.pdf"]
