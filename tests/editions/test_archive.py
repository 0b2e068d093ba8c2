"""The archive edition, read back as an archivist's tools read it: PDF/A-3b by every veraPDF
rule that applies (tests/pdfa_rules.py), its sources embedded as associated files, metadata
that agrees with itself, page labels that agree with the printed folios, and a manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
import yaml
from pypdf import PdfReader, PdfWriter

from report.cli import main
from report.problems import ReportError
from report.project.options import BuildOptions
from tests.conftest import ROOT, pdftotext
from tests.editions import pdfa_rules

SOURCES = ["content/report.yaml", *(f"content/sections/{p.name}" for p in sorted(
    (ROOT / "content" / "sections").glob("*.yaml"))), "sources.yaml", "styles/fonts.sha256"]
MIME = {".yaml": "/application/yaml", ".sha256": "/text/plain"}


def test_pdfa_3b_by_every_applicable_verapdf_rule(archive: Path) -> None:
    assert pdfa_rules.check(archive) == {}


@pytest.mark.parametrize("profile", ["PDF_A_3A", "PDF_UA_1"])
def test_pdfa_3a_and_pdfua_1_by_an_independent_validator(archive: Path, profile: str) -> None:
    """page-validation (PyPI), not our own reading of the rules: it found the output intent's
    ICC stream saying /N 1 for an RGB profile, which our checks had missed. The edition is
    tagged (report/layout/tags.py) and claims PDF/A-3a with PDF/UA-1."""
    import page

    report = page.validate_pdf(archive, profile=getattr(page.ValidationProfile, profile))
    assert [(f.rule_id, f.message) for f in report.failures] == []
    assert report.is_compliant and report.rules.total > 100


def test_every_rule_of_the_verapdf_profile_is_covered() -> None:
    """Each rule of veraPDF's PDF/A-3B profile is checked, or is about something this
    pipeline never writes and a named check finds absent."""
    checked = pdfa_rules.all_rules()
    assert set(pdfa_rules.PROFILE) <= set(checked) | set(pdfa_rules.NOT_WRITTEN)
    assert all(by in checked for by, _ in pdfa_rules.NOT_WRITTEN.values())
    assert set(checked) <= set(pdfa_rules.PROFILE)


def test_the_rule_checks_catch_faults(archive: Path, built: dict[str, Path],
                                      tmp_path: Path) -> None:
    """The checks are not vacuous: a damaged copy of the archive fails exactly where it should,
    while the standard edition, joined from its parts, claims PDF/A-3a as well and passes."""
    assert pdfa_rules.check(built["pdf"]) == {}
    with pikepdf.open(archive) as pdf:
        spec = pdf.Root.AF[0]
        del spec["/AFRelationship"]
        del spec.EF.F.stream_dict["/Subtype"]
        pdf.Root.AA = pikepdf.Dictionary()
        link = next(a for p in pdf.pages for a in p.get("/Annots", []))
        link.F = 0
        link.A = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["pdfaid:part"] = "2"
            meta["photoshop:Credit"] = "not predefined"
        pdf.pages[2].contents_add(pikepdf.Stream(pdf, b"0 0 0 1 k"), prepend=True)
        pdf.save(tmp_path / "damaged.pdf")
    assert {"6.8-1", "6.8-3", "6.5.2-1", "6.3.2-2", "6.5.1-1", "6.6.4-2", "6.6.2.3-7",
            "6.2.4.3-3"} <= set(pdfa_rules.check(tmp_path / "damaged.pdf"))


def test_identification_output_intent_and_tools(archive: Path) -> None:
    with pikepdf.open(archive) as pdf:
        assert pdf.open_metadata().pdfa_status == "3A"  # tagged: PDF/A-3a, with PDF/UA-1
        assert pdf.pdf_version == "1.7"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        icc = intent.DestOutputProfile.read_bytes()
        assert (icc[12:16], icc[16:20]) == (b"mntr", b"RGB ")  # an sRGB display profile
        assert "sRGB" in str(intent.OutputConditionIdentifier)
        assert "/Filter" not in pdf.Root.Metadata.stream_dict  # XMP readable without PDF tools
    done = subprocess.run(["qpdf", "--check", str(archive)], capture_output=True, text=True)
    assert done.returncode == 0 and "No syntax or stream encoding errors" in done.stdout


def test_fonts_are_embedded_subsets_with_unicode_maps(archive: Path) -> None:
    lines = subprocess.run(["pdffonts", str(archive)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert len(lines) >= 5
    for line in lines:
        name, *_ = line.split()
        assert line.split()[-5:-2] == ["yes", "yes", "yes"], line  # embedded, subset, Unicode
        assert re.match(r"^[A-Z]{6}\+Report-", name), line
    with pikepdf.open(archive) as pdf:
        fonts = [f for f in pdf.objects if isinstance(f, pikepdf.Dictionary)
                 and f.get("/Type") == "/Font" and f.get("/Subtype") == "/Type0"]
        assert fonts and all("/ToUnicode" in f for f in fonts)


def test_sources_are_embedded_as_associated_files(archive: Path) -> None:
    reader = PdfReader(archive)
    files = {f.name: f for f in reader.attachment_list}
    assert sorted(files) == SOURCES
    with pikepdf.open(archive) as pdf:
        af = {str(spec.UF) for spec in pdf.Root.AF}
        names = [str(n) for n in pdf.Root.Names.EmbeddedFiles.Names[::2]]
    assert af == set(SOURCES) and names == sorted(names)  # associated; a sorted name tree
    for name, item in files.items():
        data = (ROOT / name).read_bytes()
        assert item.content == data
        assert item.associated_file_relationship == "/Source"
        assert item.subtype == MIME[Path(name).suffix]
        assert item.alternative_name == name  # UF, beside F
        assert item.size == len(data)
        assert item.checksum.original_bytes == hashlib.md5(data).digest()
        assert item.modification_date == dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def test_xmp_and_document_info_agree(archive: Path) -> None:
    report = yaml.safe_load((ROOT / "content" / "report.yaml").read_text())
    with pikepdf.open(archive) as pdf:
        info = {str(k)[1:]: str(v) for k, v in pdf.docinfo.items()}
        meta = pdf.open_metadata()
        lang = str(pdf.Root.Lang)
    title = f"{report['title']}: {report['subtitle']}"
    assert info["Title"] == meta["dc:title"] == title
    assert info["Author"] == ", ".join(meta["dc:creator"]) == ", ".join(report["authors"])
    assert info["Subject"] == meta["dc:description"] == report["description"]
    assert meta["dc:subject"] == set(report["keywords"])
    assert info["Keywords"] == meta["pdf:Keywords"] == ", ".join(report["keywords"])
    assert info["Creator"] == meta["xmp:CreatorTool"]
    assert info["Producer"] == meta["pdf:Producer"] == "WeasyPrint 70.0"
    assert meta["dc:language"] == {lang} == {report["language"]}
    assert info["CreationDate"] == info["ModDate"] == "D:20261123000000Z"  # the report's date
    assert meta["xmp:CreateDate"] == meta["xmp:ModifyDate"] == "2026-11-23T00:00:00Z"
    credit = report["credit"]
    rights = meta["dc:rights"]
    for part in (credit["licence"], credit["licence-url"], credit["url"], *report["authors"]):
        assert part in rights
    assert info["Rights"] == meta["xmpRights:UsageTerms"] == rights
    assert meta["xmpRights:Marked"] == "True" and info["Source"] == credit["url"]
    assert meta["xmpRights:WebStatement"] == credit["licence-url"]
    assert meta["dc:source"] == credit["url"]
    assert meta["xmpMM:DocumentID"].startswith("uuid:")


def test_page_labels_are_the_printed_folios(archive: Path) -> None:
    """A reader's "page 7" is the page printed 7: i, ii for the front matter, then 1, 2, ...
    from the first section on, the appendices continuing."""
    reader = PdfReader(archive)
    labels = reader.page_labels
    first = reader.get_destination_page_number(reader.named_destinations["overview"])
    assert first == 2 and labels[:first] == ["i", "ii"]
    assert labels[first:] == [str(n) for n in range(1, len(labels) - first + 1)]
    for number, label in enumerate(labels[1:], start=2):
        footer = pdftotext(archive, number, number).strip().splitlines()[-1]
        assert footer == (f"Page {label} of {labels[-1]}" if label.isdigit() else f"Page {label}")
    contents = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(archive), "-"],
                              check=True, capture_output=True, text=True).stdout
    assert re.search(r"Key facts[ .]*ii\n", contents) and re.search(r"Overview[ .]*1\n", contents)


def test_manifest(archive: Path) -> None:
    manifest = json.loads(archive.with_suffix(".json").read_text())
    data = archive.read_bytes()
    assert manifest["pdf"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["pdf"]["conformance"] == "PDF/A-3a"
    assert [row["path"] for row in manifest["inputs"]] == SOURCES
    for row in manifest["inputs"]:
        assert row["sha256"] == hashlib.sha256((ROOT / row["path"]).read_bytes()).hexdigest()
    pinned = dict(reversed(line.split()) for line in
                  (ROOT / "styles" / "fonts.sha256").read_text().splitlines())
    assert {f["file"]: f["sha256"] for f in manifest["fonts"]} == pinned
    assert all(f["version"].startswith("Version ") for f in manifest["fonts"])
    software = manifest["software"]
    assert software["weasyprint"] == "70.0" and software["report"] == "0.1.0"
    for name in ("pydyf", "fonttools", "pango", "harfbuzz", "citeproc-js", "node", "python"):
        assert software[name] not in ("", "unknown"), name
    assert manifest["build"] == {"date": "2026-11-23T00:00:00Z", "source_date_epoch": 1795392000}


def test_extract_refuses_unsafe_names_and_full_folders(archive: Path, built: dict[str, Path],
                                                       tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=built["pdf"])
    writer.add_attachment("../outside.txt", b"escape")
    writer.write(tmp_path / "hostile.pdf")
    with pytest.raises(ReportError, match="not a safe relative path"):
        main_extract(tmp_path / "hostile.pdf", tmp_path / "out")
    assert not (tmp_path / "outside.txt").exists() and not (tmp_path / "out").exists()
    with pytest.raises(ReportError, match="no embedded sources"):
        main_extract(built["pdf"], tmp_path / "out")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    assert main(["extract", str(archive), str(tmp_path / "full")]) == 1
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["keep.txt"]


def main_extract(pdf: Path, folder: Path) -> None:
    from report.editions.extract import extract

    extract(pdf, folder)


def test_the_archive_refuses_text_its_pinned_fonts_cannot_show(tmp_path: Path) -> None:
    """A character no pinned font has would be drawn as .notdef, or in a font of this machine
    that another machine lacks: either way the archive is not built."""
    from report.pipeline import build
    from tests.conftest import make

    root = make(tmp_path, {"content/sections/01-one.yaml": (
        "id: one\ntitle: One\nblocks:\n  - paragraph: Text 漢字 [@doe-2001].\n")})
    with pytest.raises(ReportError) as error:
        build(root, root / "build" / "a.pdf", options=BuildOptions(edition="archive"))
    assert {p.code for p in error.value.problems} <= {"missing-glyph", "unpinned-font"}
    assert not (root / "build" / "a.pdf").exists()


@pytest.mark.slow
def test_untagged_the_archive_claims_pdfa_3b_only(tmp_path: Path) -> None:
    """`tagged: false`: no structure tree, and so no PDF/A-3a or PDF/UA-1 claim."""
    import page

    from report.pipeline import build
    from report.project.options import BuildOptions
    from tests.conftest import copy_project

    project = copy_project(tmp_path / "p")
    settings = project / "content" / "report.yaml"
    settings.write_text(settings.read_text() + "tagged: false\n")
    out = tmp_path / "untagged.pdf"
    build(project, out, options=BuildOptions("archive"))
    with pikepdf.open(out) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert pdf.open_metadata().pdfa_status == "3B"
    report = page.validate_pdf(out, profile=page.ValidationProfile.PDF_A_3B)
    assert [(f.rule_id, f.message) for f in report.failures] == []
