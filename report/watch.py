"""`report watch`: rebuild on every save, in one warm process.

The process keeps what a build starts with: WeasyPrint and the rest imported, the layout
workers' server running (report/layout/workers.py), the citation, part and page-fact caches
in build/.cache. Saves are gathered (watchfiles waits for a quiet `step`), the PDF is
replaced atomically (an open viewer reloads it), and a mistake in the content is printed as
`report check` prints it, and the watch goes on: the previous PDF stays.
"""

from __future__ import annotations

import ctypes
import gc
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from report.pipeline import build
from report.problems import ReportError, table
from report.project.load import keep_parsed
from report.project.options import BuildOptions

# What a build reads, inside the project: everything but its outputs and tools' folders.
IGNORED = {"build", ".git", ".venv", "node_modules", "__pycache__", ".hypothesis",
           ".pytest_cache", ".mypy_cache", ".vscode", ".idea"}


def is_input(root: Path, path: str) -> bool:
    """Whether a changed path can change the build: a file of the project, not an output,
    not an editor's temporary file."""
    try:
        parts = Path(path).resolve().relative_to(root.resolve()).parts
    except ValueError:
        return False
    name = parts[-1] if parts else ""
    return bool(parts) and not (set(parts[:-1]) & IGNORED or parts[0] in IGNORED
                                or name.startswith((".#", "#")) or name.endswith(("~", ".swp",
                                                                                  ".tmp")))


def rebuild(root: Path, output: Path, options: BuildOptions,
            say: Callable[[str], None]) -> bool:
    """One build; True when the PDF was written. Problems are printed, never raised."""
    try:
        return _rebuild(root, output, options, say)
    finally:  # once it is said: the writer is not kept waiting for it
        release()


def _rebuild(root: Path, output: Path, options: BuildOptions,
             say: Callable[[str], None]) -> bool:
    started = time.perf_counter()
    try:
        prepared = build(root, output, options=options)
    except ReportError as error:
        say(table(error.problems) + f"\n{output} kept as it was; fix the above and save.")
        return False
    except OSError as error:
        say(f"report: {error.filename or output}: {error.strerror or error}")
        return False
    if prepared.warnings:
        say(table(prepared.warnings))
    say(f"wrote {output} in {time.perf_counter() - started:.2f} s")
    return True


def release() -> bool:
    """A build's memory, freed before the next one: its millions of small objects, and what
    the C allocator keeps of them (glibc's `malloc_trim`: a watch of a 500-page report holds
    about 390 MB between builds without it, about 200 MB with it). False where the C
    library has no such call (not glibc): the memory is freed all the same, only kept by the
    process for its next build."""
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return False
    trim(0)
    return True


def watch(root: Path, output: Path, options: BuildOptions | None = None, *,
          say: Callable[[str], None] = print, stop: Any = None,
          changes: Callable[..., Iterable[set[tuple[Any, str]]]] | None = None,
          open_pdf: bool = False, on_build: Callable[[bool], None] | None = None) -> int:
    """Build, then rebuild after every burst of saves until Ctrl-C (or `stop` is set)."""
    import watchfiles

    # WeasyPrint in this process: an edit's chunk is laid out here, warm from the last build
    # (0.58 s for this repository's report), not in a worker forked cold (1.1 s)
    import report.layout.repair  # noqa: F401

    options = options or BuildOptions()
    keep_parsed()  # the files a save did not change are not parsed again
    done = rebuild(root, output, options, say)
    if on_build:
        on_build(done)
    if open_pdf and done:
        _open(output)
    say(f"watching {root} for changes (Ctrl-C to stop)")
    source = changes or watchfiles.watch
    try:
        for batch in source(root, watch_filter=lambda _, path: is_input(root, path),
                            debounce=1600, step=50, stop_event=stop, raise_interrupt=True):
            paths = {Path(p) for _, p in batch}
            kept = {p for p in paths if p.exists()} or paths  # not an editor's deleted file
            names = sorted(str(p.resolve().relative_to(root.resolve())) for p in kept)
            say("changed: " + ", ".join(names[:5]) + (" ..." if len(names) > 5 else ""))
            done = rebuild(root, output, options, say)
            if on_build:
                on_build(done)
    except KeyboardInterrupt:
        say("stopped")
    return 0


def _open(pdf: Path) -> None:
    """The PDF in the desktop's viewer, which reloads it after each build."""
    import shutil
    import subprocess

    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener):
        subprocess.Popen([opener, str(pdf)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
