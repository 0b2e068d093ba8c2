"""The benchmark's figures as data (build/bench.json) and as tables, with the issue's targets.

Targets are judged on medians of fresh processes; a target whose figure was not measured (a
failed build, a skipped size) is "not measured", never "met". The ratio to plain WeasyPrint is
printed beside every wall time: on a busy machine both slow down together, so the ratio moves
less than the seconds do.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

from bench.measure import Sample, lost_notes, median, repaired_notes, stage_medians

if TYPE_CHECKING:
    from bench.__main__ import Size

STAGES = ("load and validate", "citations", "HTML", "layout", "PDF writing", "post-processing",
          "start-up and rest")
WEASYPRINT_OWN = ("layout", "PDF writing")  # layout includes our note checks and re-layouts


def figure(samples: list[Sample], pages: int | None = None) -> dict[str, Any] | None:
    """Median wall time, every run's wall time, peak memory (largest run), stages."""
    good = [s for s in samples if s.ok]
    if not good:
        return None
    wall = median(good)
    assert wall is not None
    return {"runs": len(good), "wall_s": round(wall, 3),
            "walls_s": [round(s.wall, 3) for s in good],
            "peak_mb": round(max(s.peak_mb for s in good), 1),
            "s_per_page": round(wall / pages, 4) if pages else None,
            "stages_s": {k: round(v, 3) for k, v in stage_medians(good).items()},
            "failed_runs": len(samples) - len(good)}


def collect(sizes: list[Size], noop: list[Sample], noop_rebuilt: int, machine: dict[str, Any],
            settings: dict[str, Any], elapsed: float) -> dict[str, Any]:
    rows = []
    for size in sizes:
        every = [s for runs in size.samples.values() for s in runs]
        ours = [s for name, runs in size.samples.items() if name != "baseline" for s in runs]
        warm = figure(size.samples.get("warm", []), size.pages)
        full = figure(size.samples.get("full", []), size.pages)
        base = figure(size.samples.get("baseline", []), size.pages)
        rows.append({
            "name": size.name, "project": str(size.project), "target_pages": size.target,
            "copies": size.copies, "pages": size.pages, "footnotes": size.footnotes,
            "lost_footnotes": lost_notes(every), "repaired_footnotes": repaired_notes(ours),
            "check": size.check, "failed": size.failed,
            "cold": figure(size.samples.get("cold", []), size.pages),
            "full": full, "warm": warm, "baseline": base,
            "edit": figure(size.samples.get("edit", [])),
            "watch": figure(size.samples.get("watch", [])),
            "parts": _parts(size.samples.get("full", [])),
            "peak_mb_any_run": round(max((s.peak_mb for s in ours), default=0.0), 1) or None,
            "ratio_full_to_baseline": (round(full["wall_s"] / base["wall_s"], 3)
                                       if full and base else None),
            "outside_weasyprint_share": _outside_share(full),
            "skipped": size.skipped,
        })
    walls = [s.wall for s in noop if s.ok]
    make = {"runs": len(walls), "wall_s": round(statistics.median(walls), 3),
            "walls_s": [round(w, 3) for w in walls], "rebuilt_meanwhile": noop_rebuilt,
            } if walls else None
    result = {"machine": machine, "settings": settings, "elapsed_s": round(elapsed, 1),
              "sizes": rows, "make_pdf_nothing_changed": make}
    result["time_per_page_growth"] = _growth(rows)
    result["targets"] = targets(result)
    return result


def _growth(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Time per page of the largest synthetic report over the smallest's: 1.0 is linear."""
    synthetic = [r for r in rows if r["target_pages"] and r["pages"]]
    if len(synthetic) < 2:
        return None
    small, big = synthetic[0], synthetic[-1]

    def ratio(scenario: str) -> float | None:
        a, b = (small[scenario] or {}).get("s_per_page"), (big[scenario] or {}).get("s_per_page")
        return round(b / a, 3) if a and b else None

    return {"from": small["name"], "to": big["name"], "ours": ratio("full"),
            "baseline": ratio("baseline")}


def _parts(samples: list[Sample]) -> int | None:
    """How many parts the report was laid out in (None: laid out whole)."""
    found = [s.parts.get("chunks") for s in samples if s.ok and s.parts.get("chunks")]
    return found[-1] if found else None


def _outside_share(fig: dict[str, Any] | None) -> float | None:
    """Share of the wall time spent outside WeasyPrint's layout and PDF writing stages."""
    if not fig or not fig["stages_s"]:
        return None
    inside = sum(fig["stages_s"].get(name, 0.0) for name in WEASYPRINT_OWN)
    return round(1 - inside / fig["wall_s"], 3)


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets: benchmarks on a 2-core machine, not timed tests."""
    by = {row["name"]: row for row in result["sizes"]}
    real, big = by.get("real", {}), by.get("p500", {})

    def get(row: dict[str, Any], *path: str) -> Any:
        value: Any = row
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    def ratio(row: dict[str, Any], scenario: str) -> float | None:
        ours, base = get(row, scenario, "wall_s"), get(row, "baseline", "wall_s")
        return ours / base if ours and base else None

    items = [
        ("real report, cold build / plain WeasyPrint", ratio(real, "cold"), 1.0, "×"),
        ("500 pages, cold build / plain WeasyPrint", ratio(big, "cold"), 0.6, "×"),
        ("real report, report watch, one paragraph edited: new PDF in place",
         get(real, "watch", "wall_s"), 0.5, "s"),
        ("500 pages, report watch, one paragraph edited: new PDF in place",
         get(big, "watch", "wall_s"), 2.0, "s"),
        ("500 pages: full layout wall (every part laid out again)", get(big, "full", "wall_s"),
         25.0, "s"),
        ("500 pages: full layout / plain WeasyPrint", ratio(big, "full"), 0.5, "×"),
        ("500 pages: peak memory of any one process (any run of ours)",
         get(big, "peak_mb_any_run"), 350.0, "MB"),
        ("footnote bodies lost, all reports", sum(r["lost_footnotes"] for r in result["sizes"])
         if result["sizes"] else None, 0, "notes"),
        ("real report, nothing changed: make pdf wall",
         get(result, "make_pdf_nothing_changed", "wall_s"), 0.2, "s"),
    ]
    return [{"target": name, "measured": None if value is None else round(value, 3),
             "limit": limit, "unit": unit,
             "met": None if value is None else value <= limit} for name, value, limit, unit
            in items]


def _num(value: Any, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def render(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [f"report bench, {m['date']}: {m['nproc']} cores ({m['cpu']}), Python {m['python']}, "
             f"WeasyPrint {m['weasyprint']}; load average {m['load_average']} at start, "
             f"{m.get('load_average_end')} at end; {result['elapsed_s']:.0f} s in all.",
             "Wall times are medians of fresh processes (n = runs); cold = first build, nothing "
             "cached; full = every part laid out again (citations and page facts cached); "
             "warm = inputs touched, nothing to lay out; baseline = plain WeasyPrint, one "
             "process, same HTML; ratio = full / baseline.", ""]
    head = (f"{'report':<7}{'pages':>6}{'notes':>7}{'parts':>6}{'cold s':>8}{'full s (n)':>13}"
            f"{'s/page':>8}{'warm s (n)':>12}{'peak MB':>9}{'base s (n)':>12}{'base MB':>9}"
            f"{'ratio':>7}{'lost':>6}")
    lines += [head, "-" * len(head)]
    for row in result["sizes"]:
        cold, full, base = row["cold"] or {}, row["full"] or {}, row["baseline"] or {}
        warm = row["warm"] or {}
        lines.append(
            f"{row['name']:<7}{row['pages'] or '—':>6}{row['footnotes'] or '—':>7}"
            f"{row.get('parts') or 'whole':>6}{_num(cold.get('wall_s'), 1):>8}"
            f"{_num(full.get('wall_s')) + ' (' + str(full.get('runs', 0)) + ')':>13}"
            f"{_num(full.get('s_per_page'), 3):>8}"
            f"{_num(warm.get('wall_s')) + ' (' + str(warm.get('runs', 0)) + ')':>12}"
            f"{_num(row['peak_mb_any_run'], 0):>9}"
            f"{_num(base.get('wall_s')) + ' (' + str(base.get('runs', 0)) + ')':>12}"
            f"{_num(base.get('peak_mb'), 0):>9}{_num(row['ratio_full_to_baseline']):>7}"
            f"{row['lost_footnotes']:>6}")
    lines += ["", "Where the time goes (median seconds per stage; `outside` is the share of the "
                  "wall time outside WeasyPrint's layout and PDF writing):"]
    head = f"{'report':<11}" + "".join(f"{_short(s):>9}" for s in STAGES) + f"{'outside':>9}"
    lines += [head, "-" * len(head)]
    for row in result["sizes"]:
        for label, fig in (("full", row["full"]), ("cold", row["cold"]), ("warm", row["warm"]),
                           ("edit", row["edit"])):
            if not fig:
                continue
            stages, share = fig.get("stages_s") or {}, _outside_share(fig)
            lines.append(f"{row['name'] + ' ' + label:<11}"
                         + "".join(f"{_num(stages.get(s)):>9}" for s in STAGES)
                         + f"{'—' if share is None else f'{share:.0%}':>9}")
    lines += ["", "Scenarios:"]
    make = result["make_pdf_nothing_changed"]
    lines.append("  make pdf, nothing changed (real): " + (
        f"{make['wall_s']:.3f} s (n={make['runs']}, {make['rebuilt_meanwhile']} runs rebuilt "
        "because inputs changed meanwhile and were left out)" if make else "not measured"))
    for row in result["sizes"]:
        if row["edit"]:
            lines.append(f"  {row['name']}: one paragraph edited, rebuild: "
                         f"{row['edit']['wall_s']:.2f} s (n={row['edit']['runs']}), "
                         f"peak {row['edit']['peak_mb']:.0f} MB")
        if row["watch"]:
            lines.append(f"  {row['name']}: report watch, one paragraph edited, write to PDF: "
                         f"{row['watch']['wall_s']:.2f} s (n={row['watch']['runs']}), "
                         f"peak {row['watch']['peak_mb']:.0f} MB")
        if row["skipped"]:
            lines.append(f"  {row['name']}: skipped: " + "; ".join(row["skipped"]))
        if row["repaired_footnotes"]:
            lines.append(f"  {row['name']}: {row['repaired_footnotes']} footnote(s) lost by "
                         "WeasyPrint and repaired by a page break")
        if row["check"].get("errors"):
            lines.append(f"  {row['name']}: report check found {row['check']['errors']} "
                         "error(s)")
    growth = result.get("time_per_page_growth") or {}
    if growth:
        lines.append(f"  time per page, {growth['from']} to {growth['to']}: ours (full) "
                     f"×{_num(growth.get('ours'))}, plain WeasyPrint ×"
                     f"{_num(growth.get('baseline'))}")
    lines += ["", "Targets (benchmarks on a 2-core machine, not timed tests):"]
    for t in result["targets"]:
        verdict = {True: "met", False: "NOT met", None: "not measured"}[t["met"]]
        lines.append(f"  {verdict:<13}{t['target']}: {_num(t['measured'], 3)} "
                     f"(limit {t['limit']} {t['unit']})")
    return "\n".join(lines)


def _short(stage: str) -> str:
    return {"load and validate": "load", "citations": "cite", "PDF writing": "write",
            "post-processing": "post", "start-up and rest": "start+"}.get(stage, stage)
