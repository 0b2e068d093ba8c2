"""`python -m bench` (`make bench`): the build measured, with plain WeasyPrint beside it.

For the real report and synthetic ones of about 50, 200 and 500 pages (bench/synthetic.py)
it times fresh `report build` processes: the first build of a fresh project ("cold": nothing
cached, so citeproc-js runs and the parts are laid out twice, the second time with the page
references), a full layout ("full": every part laid out again, on both cores; the citations
and the page facts cached), a rebuild with nothing to lay out ("warm": inputs touched, every
part from the cache), rebuilds after one word of one paragraph changed ("edit", real and
largest report), the same edit under a running `report watch` ("watch", ten edits: from the
file's write to the new PDF in place), and plain WeasyPrint on the same HTML in one process
("baseline"), so each figure is also a ratio that holds on a noisy machine.

Each report gets one run of each, always; then, smallest report first, further runs up to
`--runs` while the bench has used less than `--budget` seconds (plain WeasyPrint last: at 500
pages one run of it costs as much as all of ours). Every figure says how many runs it is the
median of.
Progress goes to stderr; the table to stdout; every figure to build/bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import measure, summary, synthetic, watching
from bench.measure import Sample
from report.layout import backrefs
from report.layout import workers as partlayout

SCENARIOS = ("cold", "full", "warm", "edit", "baseline")


@dataclass
class Size:
    """One report measured: the real one, or a synthetic one of about `target` pages."""

    name: str
    project: Path
    target: int | None = None
    copies: int | None = None
    edit: bool = False  # measure "edit one paragraph" too
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    pages: int | None = None
    footnotes: int | None = None
    check: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    failed: bool = False

    @property
    def pdf(self) -> Path:
        return self.project / "build" / "report.pdf"

    @property
    def html(self) -> Path:
        return self.project / "build" / "report.html"


class Bench:
    def __init__(self, root: Path, out: Path, runs: int, budget: float) -> None:
        self.root, self.out, self.runs, self.budget = root, out, runs, budget
        self.start = time.perf_counter()
        self.noop: list[Sample] = []
        self.noop_rebuilt = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def say(self, text: str) -> None:
        print(f"[{self.elapsed():6.1f}s] {text}", file=sys.stderr, flush=True)

    def prepare(self, size: Size) -> None:
        if size.target is None:
            synthetic.copy_project(self.root, size.project)
        else:
            made = synthetic.generate_pages(self.root, size.project, size.target)
            size.copies = made.copies
        self.say(f"{size.name}: project ready in {size.project}")

    def sample(self, size: Size, scenario: str, number: int) -> Sample:
        """One run of `scenario`; `number` counts from 0 (the edit alternates its word)."""
        timings = size.project / "build" / "bench-timings.json"
        if scenario == "cold":  # nothing cached; the baseline's HTML is kept
            html = size.html.read_bytes() if size.html.is_file() else None
            shutil.rmtree(size.project / "build", ignore_errors=True)
            if html is not None:
                size.html.parent.mkdir(parents=True, exist_ok=True)
                size.html.write_bytes(html)
        if scenario == "full":
            shutil.rmtree(partlayout.cache_dir(size.project), ignore_errors=True)
        if scenario == "warm":
            (size.project / "content" / "report.yaml").touch()  # as `make` sees an edit
        if scenario == "edit":
            synthetic.edit_paragraph(size.project, number)
        if scenario == "baseline":
            command = measure.baseline_command(size.html, size.project,
                                               size.project / "build" / "baseline.pdf")
            result = measure.run(command)
        else:
            (size.project / "build").mkdir(parents=True, exist_ok=True)
            result = measure.run(measure.build_command(size.project, size.pdf, timings),
                                 timings=timings)
        size.samples.setdefault(scenario, []).append(result)
        laid = (f", {result.parts.get('laid', 0)} of {result.parts['chunks']} parts laid out"
                if result.parts.get("chunks") else "")
        state = f"{result.wall:.2f} s, {result.peak_mb:.0f} MB{laid}" if result.ok else (
            f"FAILED ({result.returncode}): {result.stderr.strip()[-300:]}")
        self.say(f"{size.name}: {scenario} run {len(size.samples[scenario])}: {state}")
        return result

    def first_round(self, size: Size) -> None:
        """One run of everything: cold, warm, the HTML for the baseline, baseline, edit."""
        self.prepare(size)
        if not self.sample(size, "cold", 0).ok:
            size.failed = True
            return
        size.pages = measure.pages(size.pdf)
        for scenario in ("full", "warm"):
            if not self.sample(size, scenario, 0).ok:
                size.failed = True
                return
        # The HTML of the last layout: with the page references the PDF build found.
        pages_cache = backrefs.cache_file(size.project, size.pdf)
        if pages_cache.is_file():
            shutil.copyfile(pages_cache, backrefs.cache_file(size.project, size.html))
        measure.run(measure.build_command(size.project, size.html))
        size.footnotes = measure.footnotes(size.html)
        self.sample(size, "baseline", 0)
        if size.edit:
            self.sample(size, "edit", 0)
            self.watch(size)
        size.check = self.check(size.project)

    def watch(self, size: Size) -> None:
        """Ten edits of one paragraph under a running `report watch`."""
        done = watching.samples(size.project, size.pdf)
        size.samples["watch"] = done
        walls = sorted(s.wall for s in done if s.ok)
        self.say(f"{size.name}: watch, {len(walls)} of {len(done)} edits rebuilt"
                 + (f", median {walls[len(walls) // 2]:.2f} s" if walls else ""))

    def more_rounds(self, size: Size) -> None:
        """Runs 2..N of warm, baseline and edit, while the bench is within its time budget."""
        for number in range(1, self.runs):
            for scenario in SCENARIOS:
                done = size.samples.get(scenario, [])
                if size.failed or not done or len(done) > number:
                    continue
                guess = measure.median(done) or 0.0
                if self.elapsed() + guess > self.budget:
                    size.skipped.append(f"{scenario} run {number + 1} (time budget)")
                    continue
                self.sample(size, scenario, number)

    def check(self, project: Path) -> dict[str, int]:
        done = subprocess.run([sys.executable, "-m", "report", "check", str(project),
                               "--format", "json"], capture_output=True, text=True,
                              check=False)
        try:
            problems = json.loads(done.stdout or "[]")
        except ValueError:
            return {"errors": -1, "warnings": -1}
        return {"errors": sum(p["severity"] == "error" for p in problems),
                "warnings": sum(p["severity"] != "error" for p in problems)}

    def make_noop(self, count: int = 5) -> None:
        """`make -s pdf` with nothing changed, in the real project (made current first)."""
        if not (self.root / "Makefile").is_file() or shutil.which("make") is None:
            return
        pdf = self.root / "build" / "report.pdf"
        first = measure.run(["make", "-s", "pdf"], cwd=self.root)
        if not first.ok:
            self.say(f"make pdf failed, not measured: {first.stderr.strip()[-300:]}")
            return
        for _ in range(count):
            before = pdf.stat().st_mtime_ns if pdf.exists() else 0
            result = measure.run(["make", "-s", "pdf"], cwd=self.root)
            if pdf.exists() and pdf.stat().st_mtime_ns != before:
                self.noop_rebuilt += 1  # an input changed meanwhile (someone is editing)
            else:
                self.noop.append(result)
        self.say(f"make pdf, nothing changed: {len(self.noop)} runs "
                 f"({self.noop_rebuilt} rebuilt: inputs changed meanwhile)")


def sizes_from(spec: str, out: Path) -> list[Size]:
    sizes = []
    for name in [s.strip() for s in spec.split(",") if s.strip()]:
        if name == "real":
            sizes.append(Size("real", out / "real", edit=True))
        else:
            sizes.append(Size(f"p{int(name)}", out / f"p{int(name)}", target=int(name)))
    synthetic_sizes = [s for s in sizes if s.target]
    if synthetic_sizes:
        max(synthetic_sizes, key=lambda s: s.target or 0).edit = True
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", default=".", help="the real report project (default: .)")
    parser.add_argument("--sizes", default="real,50,200,500",
                        help="`real` and page counts of synthetic reports (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default: 3)")
    parser.add_argument("--budget", type=float, default=540,
                        help="seconds after which no further optional runs start (default: "
                             "%(default)s; the first run of each figure always happens)")
    parser.add_argument("--out", help="folder for the projects (default: PROJECT/build/bench)")
    parser.add_argument("--json", help="default: PROJECT/build/bench.json")
    parser.add_argument("--no-make", action="store_true", help="skip `make pdf` (nothing changed)")
    args = parser.parse_args(argv)
    root = Path(args.project).resolve()
    out = Path(args.out).resolve() if args.out else root / "build" / "bench"
    bench = Bench(root, out, max(1, args.runs), args.budget)
    facts = measure.machine()
    sizes = sizes_from(args.sizes, out)
    for size in sizes:  # smallest first: its repeats are cheap, the largest may get none
        bench.first_round(size)
        if size.name == "real" and not args.no_make:
            bench.make_noop()
        bench.more_rounds(size)
    facts["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    result = summary.collect(sizes, bench.noop, bench.noop_rebuilt, facts,
                             {"runs": bench.runs, "budget_s": bench.budget, "sizes": args.sizes},
                             bench.elapsed())
    path = Path(args.json) if args.json else root / "build" / "bench.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(summary.render(result))
    print(f"\nwrote {path}")
    return 1 if any(s.failed for s in sizes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
