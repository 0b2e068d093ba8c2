"""Stage 6: saving a PDF so that no stream's data ends in a carriage return (a validator would
read the CR as part of the end-of-line and count one byte fewer than /Length)."""

from __future__ import annotations

import io
import zlib

import page
import pikepdf

from report.layout import unambiguous


def _ending_in_cr(prefix: bytes, pad: bytes = b"\t") -> bytes:
    """Data whose Adler-32 checksum, the last byte of its compressed form, is a CR (the sum of
    the bytes, plus one: a tab more adds 9, and 9 is prime to 256)."""
    n = 0
    while zlib.adler32(data := prefix + pad * n) & 0xFF != 0x0D:
        n += 1
    return data


def _pdf(content: bytes, font: bytes) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(content)
    program = pdf.make_stream(font, Length1=len(font))
    descriptor = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor,
                                                      FontFile2=program))
    face = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.TrueType,
                                                FontDescriptor=descriptor))
    pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=face))
    pdf.Root.Descriptor = descriptor
    return pdf


def test_a_plain_save_would_end_a_stream_in_cr_and_this_one_does_not() -> None:
    content, font = _ending_in_cr(b"q 0 0 10 10 re f Q\n%"), _ending_in_cr(b"\0\1\0\0 font", b"\3")
    with _pdf(content, font) as pdf:
        out = io.BytesIO()
        pdf.save(out)
    assert b"\r\nendstream" in out.getvalue()  # what the module is for

    with _pdf(content, font) as pdf:
        data = unambiguous.save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"\r\nendstream" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        drawn = pdf.pages[0].Contents.read_bytes()
        assert drawn.rstrip(b"\n") == content and drawn != content  # a newline more
        program = pdf.Root.Descriptor.FontFile2
        grown = program.read_bytes()
        assert grown.startswith(font) and set(grown[len(font):]) == {1}
        assert int(program.Length1) == len(grown)


def test_streams_that_end_well_are_left_as_they_are() -> None:
    content = b"q 0 0 10 10 re f Q\n"
    assert zlib.adler32(content) & 0xFF != 0x0D
    with _pdf(content, b"\0\1\0\0") as pdf:
        assert unambiguous.pad_streams(pdf) == 0


def test_the_validator_reads_the_saved_file_as_whole_streams(tmp_path: object) -> None:
    """page-validation's own reading: the plain save fails its stream-length rule, ours
    does not (the rest of PDF/A is not this test's business)."""
    content = _ending_in_cr(b"q 0 0 10 10 re f Q\n%")
    rule = "PDFA3A-STREAM-LENGTH-001"
    results = []
    for fixed in (False, True):
        with _pdf(content, b"\0\1\0\0") as pdf:
            out = io.BytesIO()
            if fixed:
                out.write(unambiguous.save(pdf))
            else:
                pdf.save(out)
        path = f"{tmp_path}/{fixed}.pdf"
        with open(path, "wb") as file:
            file.write(out.getvalue())
        report = page.validate_pdf(path, profile=page.ValidationProfile.PDF_A_3A)
        results.append(rule in {f.rule_id for f in report.failures})
    assert results == [True, False]
