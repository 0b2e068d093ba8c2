"""Builds at once: two builds of one output, and a build of another output of the same
project beside them, all succeed; the output is one build's, whole (report/files.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import BinaryIO

import pytest
from pypdf import PdfReader

from report import files
from tests.conftest import make, pdftotext

REPORT = str(Path(sys.executable).with_name("report"))
SECTIONS = {f"content/sections/0{n}-s{n}.yaml": f"id: s{n}\ntitle: Section {n}\nblocks:\n"
            f"  - paragraph: The text of section {n} [@doe-2001, p. {n}].\n" for n in (2, 3)}


@pytest.mark.slow
def test_builds_at_once_all_succeed_and_the_output_is_whole(tmp_path: Path) -> None:
    project = make(tmp_path, SECTIONS)
    runs = [["build", ".", "-o", "build/report.pdf"]] * 2 + [
        ["build", ".", "--paper", "letter", "-o", "build/letter.pdf"]]
    started = [subprocess.Popen([REPORT, *args], cwd=project, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for args in runs]
    done = [(process.wait(timeout=300), *process.communicate()) for process in started]
    waited = "report: waiting for another build of build/report.pdf to finish\n"
    for (code, out, err), args in zip(done, runs, strict=True):
        assert (code, out) == (0, f"wrote {args[-1]}\n"), err
        assert err in ("", waited)
    assert sum(err == waited for _, _, err in done) <= 1
    for name in ("report.pdf", "letter.pdf"):
        pdf = project / "build" / name
        assert len(PdfReader(pdf).pages) >= 3
        text = pdftotext(pdf)
        assert all(f"The text of section {n}" in text for n in (2, 3))
    left = sorted(p.name for p in (project / "build").iterdir() if p.name.startswith("."))
    assert left == [".cache", ".letter.pdf.lock", ".report.pdf.lock"]  # no temporary files


def test_writers_at_once_never_write_into_each_other(tmp_path: Path) -> None:
    """Each writer its own temporary file: the target is always one writer's bytes."""
    target = tmp_path / "out.bin"
    failures: list[BaseException] = []

    def writer(byte: bytes) -> None:
        def write(stream: BinaryIO) -> None:
            for _ in range(20):
                stream.write(byte * 1000)
                time.sleep(0.0005)
        try:
            for _ in range(10):
                files.write_atomically(target, write)
        except BaseException as error:  # noqa: BLE001 - the test reports it
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(b,)) for b in (b"a", b"b", b"c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert target.read_bytes() in {b * 20_000 for b in (b"a", b"b", b"c")}
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # as open() makes it, not 0600


def test_a_second_build_of_an_output_waits_and_says_so(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "build" / "report.pdf"
    order = []
    with files.output_lock(output):
        def second() -> None:
            with files.output_lock(output):
                order.append("second")
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.2)
        order.append("first")
    thread.join()
    assert order == ["first", "second"]
    assert caplog.messages == ["report: waiting for another build of build/report.pdf to "
                               "finish"]


def test_files_installed_together_land_together(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An interrupt between the two renames is held back until both are done."""
    pdf, manifest = tmp_path / "r.pdf", tmp_path / "r.json"
    for target in (pdf, manifest):
        target.write_text("old")
        files.staged(target).write_text("new")
    replace = os.replace

    def interrupted(source: Path, target: Path) -> None:
        replace(source, target)
        signal.raise_signal(signal.SIGINT)  # as if Ctrl-C came right after the first

    monkeypatch.setattr(os, "replace", interrupted)
    # Ctrl-C as in a terminal, whatever the process running the tests made of it (a test
    # worker's SIGINT may be ignored): the interrupt must surface after both renames
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            files.install([pdf, manifest])
    finally:
        signal.signal(signal.SIGINT, before)
    assert (pdf.read_text(), manifest.read_text()) == ("new", "new")
