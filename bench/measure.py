"""One measured child process, and the facts a benchmark figure needs next to it.

Every build is measured as a fresh process, the way `make pdf` runs it: interpreter start-up
and imports are part of what a user waits for. Peak memory is the child's own high-water mark,
taken from `wait4` (the kernel's rusage of that one child and the processes it waited for, e.g.
Node.js for the citations), so it is the largest single process, not a sum, and it is exact for
every run (the parent's RUSAGE_CHILDREN only keeps the maximum over all children so far).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BASELINE = ("import sys, weasyprint\n"
            "weasyprint.HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(sys.argv[3])")


@dataclass
class Sample:
    """One run of one command."""

    wall: float  # seconds, from spawn to exit
    peak_mb: float  # the child's maximum resident set size
    returncode: int
    stages: dict[str, float] = field(default_factory=dict)  # from `report build --timings`
    stderr: str = ""
    parts: dict[str, int] = field(default_factory=dict)  # chunks, and chunks laid out

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        data["stderr"] = self.stderr[-2000:]
        return data


def run(command: list[str], cwd: Path | None = None, timings: Path | None = None) -> Sample:
    """Run `command` to completion; with `timings`, read the stage times the build wrote."""
    if timings is not None:
        timings.unlink(missing_ok=True)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    stages: dict[str, float] = {}
    parts: dict[str, int] = {}
    if timings is not None and timings.is_file():
        for key, value in json.loads(timings.read_text()).items():
            if str(key).startswith("parts: "):
                parts[str(key)[len("parts: "):]] = int(value)
            else:
                stages[str(key)] = float(value)
    return Sample(wall, usage.ru_maxrss / 1024, process.returncode, stages, stderr, parts)


def build_command(project: Path, output: Path, timings: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "report", "build", str(project), "-o", str(output)]
    return command + (["--timings", str(timings)] if timings else [])


def baseline_command(html: Path, base: Path, output: Path) -> list[str]:
    """Plain WeasyPrint, one process, on the HTML our build lays out (same base URL)."""
    return [sys.executable, "-c", BASELINE, str(html), str(base) + os.sep, str(output)]


def median(samples: list[Sample]) -> float | None:
    walls = [s.wall for s in samples if s.ok]
    return statistics.median(walls) if walls else None


def stage_medians(samples: list[Sample]) -> dict[str, float]:
    """Each stage's median over the runs, and `start-up and rest`: wall time outside them
    (interpreter start, imports, writing the output of an HTML build)."""
    good = [s for s in samples if s.ok and s.stages]
    if not good:
        return {}
    names = list(dict.fromkeys(name for s in good for name in s.stages))
    out = {name: statistics.median(s.stages.get(name, 0.0) for s in good) for name in names}
    out["start-up and rest"] = statistics.median(s.wall - sum(s.stages.values()) for s in good)
    return out


def pages(pdf: Path) -> int | None:
    from pypdf import PdfReader

    try:
        return len(PdfReader(pdf).pages)
    except Exception:  # a failed build leaves no PDF: reported as no page count
        return None


def footnotes(html: Path) -> int | None:
    """Footnote bodies in the HTML the layout receives."""
    try:
        return len(re.findall(r'class="footnote"', html.read_text(encoding="utf-8")))
    except OSError:
        return None


def lost_notes(samples: list[Sample]) -> int:
    """Footnote bodies lost: a build that loses one fails, naming it (report/layout/engine.py)."""
    return sum(s.stderr.count("The footnote called on page") for s in samples if not s.ok)


def repaired_notes(samples: list[Sample]) -> int:
    """Notes the layout engine lost and the build repaired (a warning), in the last good run."""
    good = [s for s in samples if s.ok]
    return good[-1].stderr.count("was lost by the layout engine") if good else 0


def machine() -> dict[str, Any]:
    """What a reader needs to compare figures across machines, and how busy this one was."""
    import weasyprint

    from report import __version__

    model = ""
    try:
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        model = found.group(1).strip() if found else ""
    except OSError:
        pass
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model or platform.processor(),
        "memory_mb": _meminfo_mb(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "weasyprint": weasyprint.__version__,
        "report": __version__,
        "commit": _git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain")),
    }


def _meminfo_mb() -> int | None:
    try:
        found = re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M)
    except OSError:
        return None
    return int(found.group(1)) // 1024 if found else None


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False,
                              timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
