"""What the operating system refuses (a read-only folder, a full disk, a file without read
permission) is said as such, with the file, and exits 1: never "internal error"."""

from __future__ import annotations

import errno
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from weasyprint.document import Document

from report import files
from report.cli import main
from tests.conftest import make

REPORT = str(Path(sys.executable).with_name("report"))
# root reads and writes whatever the permissions say: the command runs without that power
NO_OVERRIDE = ["setpriv", "--inh-caps=-dac_override,-dac_read_search,-fowner",
               "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def as_a_user() -> list[str]:
    """A prefix that runs a command subject to file permissions."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None or subprocess.run(
            [*NO_OVERRIDE, "true"], capture_output=True).returncode != 0:
        pytest.skip("running as root, and setpriv cannot drop the power to ignore permissions")
    return NO_OVERRIDE


def report(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*as_a_user(), REPORT, *args], capture_output=True, text=True,
                          cwd=project)


def test_a_read_only_build_folder(tmp_path: Path) -> None:
    project = make(tmp_path, {})
    build = project / "build"
    build.mkdir()
    (build / "report.pdf").write_bytes(b"the previous build")
    build.chmod(0o555)
    try:
        done = report(project, "build", ".", "-o", "build/report.pdf")
    finally:
        build.chmod(0o755)
    assert (done.returncode, done.stderr) == (1, "report: cannot write build/report.pdf: "
                                                 "Permission denied (the folder is read-only?)\n")
    assert (build / "report.pdf").read_bytes() == b"the previous build"


def test_a_content_file_that_cannot_be_read(tmp_path: Path) -> None:
    project = make(tmp_path, {})
    section = project / "content" / "sections" / "01-one.yaml"
    section.chmod(0)
    try:
        done = report(project, "build", ".", "-o", "build/report.pdf")
    finally:
        section.chmod(0o644)
    assert (done.returncode, done.stderr) == (
        1, "report: cannot read content/sections/01-one.yaml: Permission denied (check the "
           "file's permissions)\n")


def test_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> None:
    project = make(tmp_path, {})
    output = project / "build" / "report.pdf"
    output.parent.mkdir()
    output.write_bytes(b"the previous build")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Document, "write_pdf", full)  # the disk fills as the PDF is written
    monkeypatch.chdir(project)
    assert main(["build", ".", "-o", "build/report.pdf", "--layout", "whole"]) == 1
    assert capsys.readouterr().err == ("report: cannot write build/report.pdf: No space left "
                                       "on device (the disk is full?)\n")
    assert output.read_bytes() == b"the previous build"
    assert sorted(p.name for p in output.parent.iterdir()) == [
        ".cache", ".report.pdf.lock", "report.pdf"]  # no temporary file left


def test_a_failed_write_names_the_target_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"before")

    def write(stream: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(files.CannotWrite) as raised:
        files.write_atomically(target, write)
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, str(target))
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]
    assert target.read_bytes() == b"before"
    # a worker sends it to the build through a pipe: it arrives whole
    again = pickle.loads(pickle.dumps(raised.value))
    assert isinstance(again, files.CannotWrite) and again.filename == str(target)


def test_an_error_about_another_file_passes_through(tmp_path: Path) -> None:
    """A writer that fails to read an image is not a failure to write the PDF."""
    def write(stream: object) -> None:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "images/x.png")

    with pytest.raises(FileNotFoundError) as raised:
        files.write_atomically(tmp_path / "out.pdf", write)
    assert not isinstance(raised.value, files.CannotWrite)
    assert raised.value.filename == "images/x.png"


def test_a_system_error_without_a_file_is_still_an_internal_error(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    def broken(args: object) -> int:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("report.cli._build", broken)  # the parser takes it when made
    assert main(["build", str(make(tmp_path, {}))]) == 3
    assert "internal error: OSError" in capsys.readouterr().err
