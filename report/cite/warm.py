"""citeproc-js started before the build needs it, so that its slowest step overlaps the start.

A first build (a fresh clone, CI) spends most of its citation time in citeproc-js compiling the
style (`new CSL.Engine`: 0.72 s of 1.33 s for Chicago and this repository's report), which
needs only the style, the locales and the language, all known from content/report.yaml. The
command line (report/cli.py: `entry`) calls report/cite/early.py's `start_for` before it
imports the rest of the pipeline: the engine compiles in Node.js while Python imports
WeasyPrint and reads the project.
report/cite/engine.py's `run_engine` then `take`s the process if it was started for the same
style, locales and language, and sends it the sources and citations; otherwise it is stopped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENGINE = Path(__file__).parent / "csl" / "engine.js"
# V8's heap made large from the start: compiling a style allocates a few hundred MB of short-
# lived objects, and V8 grows its heap from a few MB, collecting all along (a quarter of the
# compile's time). Measured with Chicago and this repository's report: the engine made in
# 0.55 s instead of 0.65 s. The output is the same (tests/cite).
NODE_OPTIONS = ("--initial-heap-size=256", "--min-semi-space-size=16")


@dataclass
class _Started:
    head: bytes | None  # None: spawned, the style not sent yet
    process: subprocess.Popen[bytes]


_started: _Started | None = None


def head(payload: dict[str, Any]) -> bytes:
    """The first line engine.js reads: what it compiles the style with."""
    return json.dumps({key: payload[key] for key in ("style", "lang", "locales")},
                      sort_keys=True, ensure_ascii=False).encode()


def spawn() -> None:
    """Start engine.js, which loads citeproc-js and waits for a `head` (`start`): Node.js
    starts while Python reads what to send it."""
    global _started
    discard()
    node = shutil.which("node")
    if node is None:
        return
    process = subprocess.Popen([node, *NODE_OPTIONS, str(ENGINE)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _started = _Started(None, process)


def start(first: bytes) -> None:
    """Send `first` (a `head`) to the process `spawn`ed, or to a new one; it compiles the
    style meanwhile."""
    global _started
    if _started is None or _started.head is not None:
        spawn()
    if _started is None:  # no Node.js
        return
    assert _started.process.stdin is not None
    _started.process.stdin.write(first + b"\n")
    _started.process.stdin.flush()
    _started.head = first


def take(first: bytes) -> subprocess.Popen[bytes] | None:
    """The process started for `first`, if one was (any other is stopped)."""
    global _started
    found, _started = _started, None
    if found is None:
        return None
    if found.head == first and found.process.poll() is None:
        return found.process
    _stop(found.process)
    return None


def discard() -> None:
    """Stop a process started for nothing (the citations were in the cache)."""
    global _started
    if _started is not None:
        _stop(_started.process)
        _started = None


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.communicate()
