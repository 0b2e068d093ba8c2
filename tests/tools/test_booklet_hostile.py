"""`report booklet` on inputs it cannot impose: each is refused by name with exit 1, before
anything is written, and a booklet made before is left as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from report.cli import main
from tests.conftest import numbered_pdf


def encrypted(path: Path, user: str) -> None:
    with pikepdf.open(numbered_pdf(path, 4), allow_overwriting_input=True) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user=user, owner="owner", R=6))


def not_a_pdf(path: Path) -> None:
    path.write_text("A letter, not a PDF\n", encoding="utf-8")


def empty(path: Path) -> None:
    path.write_bytes(b"")


def truncated(path: Path) -> None:
    whole = numbered_pdf(path, 6).read_bytes()
    path.write_bytes(whole[:len(whole) * 6 // 10])


def damaged(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\nnothing a reader could use\n%%EOF\n")


def no_area(path: Path) -> None:
    with pikepdf.open(numbered_pdf(path, 4), allow_overwriting_input=True) as pdf:
        pdf.pages[2].obj.MediaBox = [0, 0, 0, 0]
        pdf.save(path)


@pytest.mark.parametrize(("make", "message", "hint"), [
    (not_a_pdf, "in.pdf is not a PDF (it does not begin with %PDF-).", "Give the PDF itself."),
    (empty, "in.pdf is empty (0 bytes).", "Copy, download or build it again."),
    (truncated, "in.pdf is cut short: it does not end with %%EOF, so part of it is missing.",
     "Copy, download or build it again."),
    (damaged, "in.pdf is damaged and cannot be read as a PDF (unable to find trailer "
              "dictionary while recovering damaged file).",
     "Save it again from the program that made it."),
    (lambda path: encrypted(path, "secret"), "in.pdf is encrypted with a password; decrypt "
     "it first.", "e.g. qpdf --decrypt --password=PASSWORD in.pdf decrypted.pdf, then give "
                  "decrypted.pdf."),
    (no_area, "Page 3 of in.pdf has no area (its page box is [0.0, 0.0, 0.0, 0.0]).",
     "Save the PDF again from the program that made it."),
])
def test_an_input_that_cannot_be_imposed_is_refused_and_nothing_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[Path], None],
        message: str,
        hint: str) -> None:
    source, output = tmp_path / "in.pdf", tmp_path / "in-booklet.pdf"
    make(source)
    assert main(["booklet", str(source)]) == 1
    where = str(source)
    assert capsys.readouterr().err.splitlines() == [
        f"{where}  error    {message}", f"{' ' * len(where)}           → {hint}",
        "1 error(s), 0 warning(s)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.pdf"]
    output.write_bytes(b"the booklet made before")
    assert main(["booklet", str(source), "-o", str(output)]) == 1
    assert output.read_bytes() == b"the booklet made before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in-booklet.pdf", "in.pdf"]


def test_an_encrypted_pdf_without_a_user_password_is_imposed(tmp_path: Path) -> None:
    """As a packet opens such a member: no password is needed to read it."""
    source = tmp_path / "in.pdf"
    encrypted(source, "")
    assert main(["booklet", str(source)]) == 0
    with pikepdf.open(tmp_path / "in-booklet.pdf") as booklet:
        assert len(booklet.pages) == 2 and not booklet.is_encrypted
