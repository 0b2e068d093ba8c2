"""Saving a PDF so that no stream's data ends in a carriage return.

The data of a stream is followed by an end-of-line and `endstream`. Data ending in CR, followed
by LF, reads as data followed by CR LF, and a validator then counts one byte fewer than the
stream's /Length (page-validation fails the file: PDFA3A-STREAM-LENGTH-001). qpdf compresses
every stream as it saves, and compressed data ends in the Adler-32 checksum of the data it
holds: its last byte is a CR once in 256 streams, so most reports of a few hundred streams
would have one. The checksum is known before saving (for data already compressed, it is
already there), so the data is changed first where that is harmless: content streams and
Unicode maps take a trailing newline, font programs a trailing byte (after the font's last
table, which no table covers; /Length1 says the new length). The checksum's last byte is the
sum of the data's bytes plus one, modulo 65521: a zero byte would not change it. A stream that
cannot be changed so (an image, a colour profile) or one qpdf makes as it saves (an object
stream) is caught in the saved bytes, and the file is saved again without object streams,
its cross-reference a table.
"""

from __future__ import annotations

import io
import zlib
from typing import Any

import pikepdf

CR = 0x0D
PADDING = {"/FontFile2": b"\1", "/FontFile3": b"\1"}  # how a font program may grow


def _padding(pdf: pikepdf.Pdf) -> dict[tuple[int, int], tuple[pikepdf.Stream, bytes]]:
    """The streams that may be appended to, and with what: content streams, form XObjects and
    the fonts' Unicode maps a newline, font programs a byte 1. Found from the pages and the
    resources they use (not by walking every object: a tagged report has tens of thousands)."""
    found: dict[tuple[int, int], tuple[pikepdf.Stream, bytes]] = {}
    seen: set[tuple[int, int]] = set()

    def resources(res: Any) -> None:
        if not isinstance(res, pikepdf.Dictionary) or (res.is_indirect and res.objgen in seen):
            return
        if res.is_indirect:
            seen.add(res.objgen)
        for form in (res.get("/XObject") or {}).values():
            if (isinstance(form, pikepdf.Stream) and form.get("/Subtype") == pikepdf.Name.Form
                    and form.objgen not in found):
                found[form.objgen] = (form, b"\n")
                resources(form.get("/Resources"))
        for font in (res.get("/Font") or {}).values():
            unicode = font.get("/ToUnicode")  # a CMap: text, which may end in a newline
            if isinstance(unicode, pikepdf.Stream):
                found[unicode.objgen] = (unicode, b"\n")
            for face in [font, *(font.get("/DescendantFonts") or [])]:
                descriptor = face.get("/FontDescriptor")
                for key, pad in PADDING.items():
                    program = descriptor.get(key) if descriptor is not None else None
                    if isinstance(program, pikepdf.Stream):
                        found[program.objgen] = (program, pad)

    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        for stream in ([contents] if isinstance(contents, pikepdf.Stream) else contents or []):
            if isinstance(stream, pikepdf.Stream):
                found[stream.objgen] = (stream, b"\n")
        resources(page.obj.get("/Resources"))
    return found


def _checksum_end(obj: pikepdf.Stream) -> int | None:
    """The last byte the stream will have once qpdf has compressed it, without decoding it:
    for data Flate already compressed, its own last byte (the same checksum, since the same
    data); for data not compressed, its checksum's; None for any other filter, which qpdf
    leaves as it is."""
    raw = obj.read_raw_bytes()
    filters = obj.get("/Filter")
    if filters is None:
        return zlib.adler32(raw) & 0xFF
    if isinstance(filters, pikepdf.Array) and len(filters) == 1:
        filters = filters[0]
    if filters == pikepdf.Name.FlateDecode and "/DecodeParms" not in obj:
        return raw[-1] if raw else None
    return None


def pad_streams(pdf: pikepdf.Pdf) -> int:
    """Append to each stream that can take it until its checksum does not end in CR; return
    how many were changed."""
    changed = 0
    for obj, pad in _padding(pdf).values():
        if _checksum_end(obj) != CR:
            continue
        try:
            data = obj.read_bytes()
        except pikepdf.PdfError:
            continue  # not decodable: qpdf keeps it as it is
        while zlib.adler32(data) & 0xFF == CR:
            data += pad
        had = obj.get("/Length1")
        obj.write(data)
        if had is not None:
            obj.Length1 = len(data)
        changed += 1
    return changed


def save(pdf: pikepdf.Pdf, **options: Any) -> bytes:
    """The PDF's bytes, saved with `options`, no stream's data ending in CR if it can be
    helped (see the module's docstring)."""
    pad_streams(pdf)
    out = io.BytesIO()
    pdf.save(out, **options)
    data = out.getvalue()
    if b"\r\nendstream" in data and options.get(
            "object_stream_mode") != pikepdf.ObjectStreamMode.disable:
        out = io.BytesIO()
        pdf.save(out, **{**options, "object_stream_mode": pikepdf.ObjectStreamMode.disable})
        data = out.getvalue()
    return data
