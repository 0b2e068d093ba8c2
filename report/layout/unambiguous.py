"""Saving a PDF so that no stream's data ends in a carriage return.

The data of a stream is followed by an end-of-line and `endstream`. Data ending in CR, followed
by LF, reads as data followed by CR LF, and a validator then counts one byte fewer than the
stream's /Length (page-validation fails the file: PDFA3A-STREAM-LENGTH-001). qpdf compresses
every stream as it saves, and compressed data ends in the Adler-32 checksum of the data it
holds: its last byte is a CR once in 256 streams, so most reports of a few hundred streams
would have one. The checksum is known before saving, so the data is changed first where
that is harmless: content streams take a trailing newline, font programs a trailing byte
(after the font's last table, which no table covers; /Length1 says the new length). The
checksum's last byte is the sum of the data's bytes plus one, modulo 65521: a zero byte
would not change it. A stream that cannot be
changed so (an image, a colour profile) or one qpdf makes as it saves (an object stream)
is caught in the saved bytes, and the file is saved again without object streams, its
cross-reference a table.
"""

from __future__ import annotations

import io
import zlib
from typing import Any

import pikepdf

CR = 0x0D
PADDING = {"/FontFile2": b"\1", "/FontFile3": b"\1"}  # how a font program may grow


def _padding(pdf: pikepdf.Pdf) -> dict[tuple[int, int], bytes]:
    """What may be appended to each stream's data: content streams and form XObjects a
    newline, font programs a byte 1."""
    found: dict[tuple[int, int], bytes] = {}
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        for stream in ([contents] if isinstance(contents, pikepdf.Stream) else contents or []):
            found[stream.objgen] = b"\n"
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        if obj.get("/Subtype") == pikepdf.Name.Form and isinstance(obj, pikepdf.Stream):
            found[obj.objgen] = b"\n"
        if obj.get("/Type") == pikepdf.Name.FontDescriptor:
            for key, pad in PADDING.items():
                program = obj.get(key)
                if program is not None:
                    found[program.objgen] = pad
    return found


def pad_streams(pdf: pikepdf.Pdf) -> int:
    """Append to each stream that can take it until its checksum does not end in CR; return
    how many were changed."""
    padding = _padding(pdf)
    changed = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.objgen not in padding:
            continue
        try:
            data = obj.read_bytes()
        except pikepdf.PdfError:
            continue  # not decodable: qpdf keeps it as it is
        if zlib.adler32(data) & 0xFF != CR:
            continue
        while zlib.adler32(data) & 0xFF == CR:
            data += padding[obj.objgen]
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
