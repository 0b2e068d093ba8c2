"""The watch scenario: `report watch` kept running, one paragraph edited ten times; each
figure is the time from the file's write to the new PDF in place (the watch prints "wrote"
after the PDF is renamed over the old one)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import synthetic
from bench.measure import Sample


def _peak_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB; 0 where /proc has none."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def samples(project: Path, pdf: Path, edits: int = 10, timeout: float = 300.0) -> list[Sample]:
    """`edits` rebuilds by a running watch, after its first build; [] if it never started."""
    process = subprocess.Popen([sys.executable, "-m", "report", "watch", str(project), "-o",
                                str(pdf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, bufsize=1, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()],
                              daemon=True)
    reader.start()

    def wait_for(*starts: str) -> str | None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = lines.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                return None
            if line.startswith(starts) or "kept as it was" in line:
                return line
        return None

    out: list[Sample] = []
    try:
        if wait_for("watching") is None:
            return out
        for number in range(edits):
            time.sleep(0.3)  # a writer's pause: each edit is its own burst of saves
            started = time.perf_counter()
            synthetic.edit_paragraph(project, number)
            line = wait_for("wrote ")
            wall = time.perf_counter() - started
            ok = line is not None and line.startswith("wrote ")
            out.append(Sample(wall, _peak_mb(process.pid), 0 if ok else 1,
                              stderr="" if ok else (line or "no rebuild")))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)
        if process.stdout:
            process.stdout.close()
    return out
