"""Files a build writes and reads, so that a build never lies about them.

- Written whole or not at all: into a temporary file of a unique name beside the target, then
  renamed over it (atomic on one file system), so that two builds at once never write into
  each other's file. A failure to write names the target, not the temporary file.
- Cache files carry the SHA-256 of their bytes and are checked when read: a damaged one is
  dropped, said in one line, and made again (`read_cache`, `verified`).
- One build of an output at a time (`output_lock`); files installed together land together
  (`install`); a build's temporary files in a folder of its own (`private_temp`).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import logging
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

try:
    import fcntl
except ImportError:  # not on Windows: builds there are not locked against each other
    fcntl: Any = None  # type: ignore[no-redef]

# Notes for the person building (a damaged cache, a build waiting for another): one line each
# on standard error, through logging so that a program embedding the build can route them.
LOG = logging.getLogger("report")


class CannotWrite(OSError):
    """Writing a file failed (permissions, a full disk); `filename` is the file the build
    meant to write, never its temporary file."""


def shown(path: Path | str) -> str:
    """A path as the person running the build would type it: relative to the working folder
    when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _cannot_write(error: OSError, target: Path) -> CannotWrite:
    return CannotWrite(error.errno or errno.EIO, error.strerror or str(error), str(target))


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)  # read once: reading it sets it, for a moment, in every thread
    os.umask(mask)
    return mask


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomically(target: Path, write: Callable[[BinaryIO], object]) -> str:
    """Call `write` with an open binary file; the target appears only if it succeeds. Returns
    the SHA-256 of the bytes written. CannotWrite, naming `target`, if the file system
    refuses (errors `write` raises about other files pass through)."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise _cannot_write(error, target) from None
    tmp = Path(name)
    try:
        if hasattr(os, "fchmod"):  # as a plain open() would; mkstemp gives 0600
            os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "w+b") as stream:
            write(stream)
            stream.flush()
            stream.seek(0)
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
        os.replace(tmp, target)
        return digest
    except OSError as error:
        if error.filename not in (None, name, str(target)):
            raise  # about another file (one the writer read)
        raise _cannot_write(error, target) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> None:
    write_atomically(target, lambda stream: stream.write(text.encode("utf-8")))


# --- the cache (build/.cache) ---------------------------------------------------------------

SEAL = b"report-cache sha256:"  # the first line of a cache file, before its bytes


def write_cache(target: Path, data: bytes) -> None:
    """A cache file: a first line with the SHA-256 of `data`, then `data`."""
    write_atomically(target, lambda stream: stream.write(
        SEAL + sha256(data).encode() + b"\n" + data))


def read_cache(path: Path, again: str) -> bytes | None:
    """A cache file's bytes, if whole; None if there is none, or if it is damaged: then it is
    deleted and said, with `again`, what the build does instead ("laid out again")."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        raw = b""
    head, _, data = raw.partition(b"\n")
    if head == SEAL + sha256(data).encode():
        return data
    if raw.startswith((b"{", b"[")):
        return None  # written before cache files were sealed: out of date, not damaged
    drop(path, "damaged", again)
    return None


def verified(path: Path, digest: str, again: str) -> bool:
    """Whether the file's bytes have this SHA-256; if not, it is deleted and said."""
    try:
        with path.open("rb") as stream:
            if hashlib.file_digest(stream, "sha256").hexdigest() == digest:
                return True
        drop(path, "damaged", again)
    except FileNotFoundError:
        drop(path, "missing", again)
    except OSError:
        drop(path, "damaged", again)
    return False


def drop(path: Path, what: str, again: str) -> None:
    LOG.warning("report: %s: %s, %s", shown(path), what, again)
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


# --- builds at once, outputs together, temporary files -----------------------------------------

@contextlib.contextmanager
def locked(path: Path, *, shared: bool = False, waiting: str = "") -> Iterator[int]:
    """Hold a lock on the file `path` (made if missing; it stays): exclusive, or `shared`
    with other shared holders; `waiting` is said if another holder makes it wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if fcntl is not None:
            mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
            try:
                fcntl.flock(handle, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                if waiting:
                    LOG.warning("%s", waiting)
                fcntl.flock(handle, mode)
        yield handle
    finally:
        os.close(handle)


def alone(handle: int) -> bool:
    """Turn a shared lock (`locked`) into an exclusive one if no one else holds it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """One build of `output` at a time: a lock file beside it (`.NAME.lock`); a second build
    waits, and says so. CannotWrite, naming the output, if its folder cannot be written: found
    now, not after the layout (a file made there and removed)."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(locked(
                output.with_name(f".{output.name}.lock"),
                waiting=f"report: waiting for another build of {shown(output)} to finish"))
            handle, probe = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
            os.close(handle)
            os.unlink(probe)
        except OSError as error:
            raise _cannot_write(error, output) from None
        yield


def staged(target: Path) -> Path:
    """Where a file is written before `install` puts it in place with its companions."""
    return target.with_name(f".{target.name}.staged")


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP held back for a moment, delivered afterwards. Python runs
    signal handlers in the main thread, whichever thread the signal reaches: so the handlers
    themselves are swapped for ones that only note the signal (a signal mask would hold it
    back only from the thread that set it)."""
    import threading

    held = [getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
            if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield  # handlers can be set in the main thread only
        return
    caught: list[int] = []
    before = {number: signal.signal(number, lambda n, _: caught.append(n)) for number in held}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
        for number in caught:
            signal.raise_signal(number)  # now, to the handlers as they were


def install(targets: list[Path]) -> None:
    """Rename each target's staged file over it with interrupts held back, so that the files
    land together: a PDF is never left beside the manifest of another (only a power cut or
    SIGKILL between two renames can part them)."""
    with _interrupts_held():
        for target in targets:
            try:
                os.replace(staged(target), target)
            except OSError as error:
                raise _cannot_write(error, target) from None


def digests(root: Path) -> dict[str, str]:
    """The SHA-256 of every file of a project (relative POSIX path -> digest), outside build/,
    hidden entries, node_modules and __pycache__: what a build started from."""
    found = {}
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and d not in ("node_modules", "__pycache__")
                         and not (here == root and d == "build"))
        for name in names:
            if not name.startswith("."):
                path = here / name
                with contextlib.suppress(OSError), path.open("rb") as stream:
                    found[path.relative_to(root).as_posix()] = hashlib.file_digest(
                        stream, "sha256").hexdigest()
    return found


@contextlib.contextmanager
def private_temp() -> Iterator[Path]:
    """Every temporary file of this process and of the processes it starts (WeasyPrint's font
    files, the layout workers') in one new folder, removed at the end, whatever happened; and
    multiprocessing's folder (its sockets) too, made where it always is, since a socket's path
    must stay short. For a process that ends with this (the command line's `entry`): a folder
    still in use afterwards would be gone."""
    from multiprocessing import util

    before_dir = tempfile.tempdir
    if len(tempfile.gettempdir()) > 60 and os.path.isdir("/tmp"):
        tempfile.tempdir = "/tmp"  # a socket's path (the layout workers') must stay short
    try:
        sockets = Path(util.get_temp_dir())  # kept by multiprocessing for this process
    finally:
        tempfile.tempdir = before_dir
    folder = Path(tempfile.mkdtemp(prefix="report-"))
    before = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir, os.environ["TMPDIR"] = str(folder), str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = before[0]
        if before[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = before[1]
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(sockets, ignore_errors=True)


class NotInProject(Exception):
    """A path a project names that a build may not read; `reason` says why: "outside" (an
    absolute path, `..`, a URL), "link" (a symbolic link leading out), "missing"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def project_file(root: Path, name: str) -> Path:
    """The file `name` (a relative path, `/` or `\\` separated) inside the project at `root`,
    after following links; NotInProject otherwise."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts or name.startswith(("/", "\\")) or ".." in parts or re.match(r"\w+:", name):
        raise NotInProject("outside")
    root = root.resolve()
    path = root.joinpath(*parts).resolve()
    if not path.is_relative_to(root):
        raise NotInProject("link")
    if not path.is_file():
        raise NotInProject("missing")
    return path


def not_in_project(reason: str, name: str, what: str, example: str) -> tuple[str, str]:
    """The message and hint for a path a project names that NotInProject refused: `what` it
    is ("image"), and an `example` of a good path."""
    if reason == "outside":
        return (f"The {what} `{name}` is outside the report project; a build reads only files "
                "inside the project folder.",
                f"Copy the {what} into the project and give its path relative to the project "
                f"folder: {example}.")
    if reason == "link":
        return (f"The {what} `{name}` leads outside the report project.",
                f"Copy the {what} itself into the project instead of linking to it.")
    return (f"The {what} `{name}` does not exist.",
            f"Give the path relative to the project folder, e.g. {example}.")


class NotText(Exception):
    """Bytes that are not UTF-8 text; `line` and `column` (from 1) of the first bad byte."""

    def __init__(self, line: int, column: int) -> None:
        super().__init__(f"not UTF-8 text at line {line}, column {column}")
        self.line, self.column = line, column


def decode_text(raw: bytes) -> str:
    """UTF-8 text (a byte-order mark dropped); NotText at a NUL byte (a binary file) or at a
    byte that is not UTF-8."""
    try:
        if b"\x00" in raw:
            at = raw.index(b"\x00")
            raise UnicodeDecodeError("utf-8", raw, at, at + 1, "NUL byte")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise NotText(line, error.start - raw.rfind(b"\n", 0, error.start)) from None
