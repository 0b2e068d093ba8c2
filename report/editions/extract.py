"""`report extract FILE.pdf DIR`: the sources embedded in an archive PDF, back as a project.

The PDF may come from anywhere, so nothing in it is trusted, and every check is made before
anything is written. Each embedded name must be a relative path of plain parts: no NUL or
other control character, no `\\` or character that some file system refuses, no `..`, no
hidden part, at most 255 bytes a part and 1024 in all. No name may come twice, two names
may not be one file to a file system that ignores case (`A.txt`, `a.txt`), and a file may
not also be a folder (`a` beside `a/b`). The files are decompressed a first time only to
count their size against a limit (a PDF of 2 MB can hold gigabytes of zeros), stopping at
it, and to check their MD5 checksums; then a second time into a new folder beside the target,
renamed into place at the end, so that a refusal or a failure leaves nothing behind.

`open_untrusted` opens a PDF given by a user (also for `report booklet` and `report packet`):
one that is not a PDF, is cut short, or is locked with a password is refused by name.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shlex
import shutil
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from report.problems import Location, Problem, ReportError

MAX_SIZE = 200 * 10**6  # bytes, decompressed; --max-size raises it
MAX_FILES = 10_000
PART_BYTES, NAME_BYTES = 255, 1024  # NAME_BYTES leaves room under PATH_MAX for the folder
REFUSED = set('\\:*?"<>|')  # Windows and macOS refuse these in file names
CONTROL = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # invisible or not characters at all
CHUNK = 1 << 20
UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9,
         "gb": 10**9, "kib": 2**10, "mib": 2**20, "gib": 2**30}
UNTRUSTED = ("This PDF was not made by `report build --edition archive`, or was altered "
             "since; extract only archives from a source you trust.")


@dataclass(frozen=True)
class Embedded:
    name: str
    stream: pikepdf.Stream
    checksum: bytes | None  # MD5, when the PDF gives one
    compressed: bool  # with /FlateDecode, else stored as it is


def open_untrusted(path: Path, where: Location, name: str, *,
                   encrypted: bool = True) -> pikepdf.Pdf:
    """`path` opened with qpdf; ReportError at `where`, naming the file as `name`, when it is
    not a PDF, is cut short, is damaged beyond repair, or needs a password (or, without
    `encrypted`, is encrypted at all)."""
    def refuse(message: str, hint: str, code: str) -> ReportError:
        return ReportError([Problem(where, message, hint, code=code)])

    quoted = shlex.quote(name)
    try:
        with path.open("rb") as file:
            head = file.read(1024)
            file.seek(max(0, file.seek(0, os.SEEK_END) - 1024))
            tail = file.read()
    except OSError as error:
        raise refuse(f"{name} cannot be read ({error.strerror}).",
                     "Check the path and the file's permissions.", "pdf-unreadable") from None
    if not head:
        raise refuse(f"{name} is empty (0 bytes).", "Copy, download or build it again.",
                     "not-a-pdf")
    if b"%PDF-" not in head:
        raise refuse(f"{name} is not a PDF (it does not begin with %PDF-).",
                     "Give the PDF itself.", "not-a-pdf")
    if b"%%EOF" not in tail:  # qpdf would rebuild it, silently without its missing pages
        raise refuse(f"{name} is cut short: it does not end with %%EOF, so part of it is "
                     "missing.", "Copy, download or build it again.", "pdf-truncated")
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise refuse(f"{name} is encrypted with a password; decrypt it first.",
                     f"e.g. qpdf --decrypt --password=PASSWORD {quoted} decrypted.pdf, then "
                     "give decrypted.pdf.", "pdf-encrypted") from None
    except pikepdf.PikepdfError as error:
        reason = str(error).removeprefix(f"{path}: ")
        raise refuse(f"{name} is damaged and cannot be read as a PDF ({reason}).",
                     "Save it again from the program that made it.", "pdf-damaged") from None
    if pdf.is_encrypted and not encrypted:
        pdf.close()
        raise refuse(f"{name} is encrypted; decrypt it first.",
                     f"e.g. qpdf --decrypt {quoted} decrypted.pdf, then give decrypted.pdf.",
                     "pdf-encrypted")
    return pdf


def parse_size(text: str, where: Location) -> int:
    """Bytes from `200MB`, `2GB`, `1.5GiB` or a plain number."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    if not match or match[2].lower() not in UNITS:
        raise ReportError([Problem(where, f"`{text}` is not a size.",
                                   "Give a number and a unit, e.g. 500MB or 2GB.",
                                   code="bad-size")])
    return int(float(match[1]) * UNITS[match[2].lower()])


def human(size: int) -> str:
    return f"{size / 10**9:g}GB" if size >= 10**9 else f"{size / 10**6:g}MB"


def shown(name: str) -> str:
    """A name as it can be printed: invisible characters escaped, a long one shortened."""
    text = "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) in CONTROL and ord(c) < 256
                   else f"\\u{ord(c):04x}" if unicodedata.category(c) in CONTROL else c
                   for c in name)
    return text if len(text) <= 80 else f"{text[:60]}… ({len(name)} characters)"


def unsafe(name: str) -> str | None:
    """Why `name` may not be written under a folder; None when it may."""
    parts = name.split("/")
    odd = next((c for c in name if unicodedata.category(c) in CONTROL), None)
    refused = next((c for c in name if c in REFUSED), None)
    if not name:
        return "it is empty"
    if name.startswith("/"):
        return "it is absolute (it begins with /)"
    if odd is not None:
        return "it contains a NUL byte" if odd == "\0" else \
            f"it contains the invisible character U+{ord(odd):04X}"
    if refused == "\\":
        return "it contains a backslash; the parts of a path are separated by /"
    if refused is not None:
        return f"it contains `{refused}`, which some file systems refuse"
    if ".." in parts:
        return "it has a `..` part, which leads out of the folder"
    if "" in parts:
        return "it has an empty part (`//`, or a `/` at the end)"
    if any(part.startswith(".") for part in parts):
        return "it has a hidden part (beginning with .)"
    if any(part != part.strip() for part in parts):
        return "a part of it begins or ends with a space"
    longest = max(len(part.encode()) for part in parts)
    if longest > PART_BYTES:
        return f"a part of it is {longest} bytes long, and file systems allow {PART_BYTES}"
    if len(name.encode()) > NAME_BYTES:
        return f"it is {len(name.encode())} bytes long, more than the {NAME_BYTES} allowed"
    return None


def clashes(names: list[str]) -> list[str]:
    """Names that would be one file, or a file and a folder, once written: each reason."""
    out: list[str] = []
    first: dict[str, str] = {}  # folded name -> the name as given
    for name in names:
        key = unicodedata.normalize("NFC", name).casefold()
        if first.get(key) == name:
            out.append(f"The embedded file name `{shown(name)}` comes twice")
        elif key in first:
            other = first[key]
            why = ("are one name in two Unicode forms (accents composed or not)"
                   if other.casefold() != name.casefold() else "differ only in case")
            out.append(f"The embedded file names `{shown(other)}` and `{shown(name)}` {why}, "
                       "one file on some file systems")
        else:
            first[key] = name
    folders: dict[str, str] = {}  # folded folder -> a name inside it
    for key, name in first.items():
        parts = key.split("/")
        for i in range(1, len(parts)):
            folders.setdefault("/".join(parts[:i]), name)
    out += [f"The embedded file name `{shown(name)}` is also the folder of "
            f"`{shown(folders[key])}`" for key, name in first.items() if key in folders]
    return out


def name_tree(node: object, seen: set[tuple[int, int]], depth: int = 0
          ) -> Iterator[tuple[object, object]]:
    """The (key, value) pairs of a name tree, duplicates kept; ValueError if it is damaged."""
    if depth > 32 or not isinstance(node, pikepdf.Dictionary):
        raise ValueError("a node is not a dictionary, or the tree is too deep")
    if node.is_indirect:
        if node.objgen in seen:
            raise ValueError("a node contains itself")
        seen.add(node.objgen)
    names, kids = node.get("/Names"), node.get("/Kids")
    if names is not None:
        if not isinstance(names, pikepdf.Array) or len(names) % 2:
            raise ValueError("a list of names is not in pairs")
        for i in range(0, len(names), 2):
            yield names[i], names[i + 1]
    if kids is not None:
        if not isinstance(kids, pikepdf.Array):
            raise ValueError("the kids of a node are not a list")
        for kid in kids:
            yield from name_tree(kid, seen, depth + 1)


def _entry(key: object, spec: object) -> Embedded | str:
    """An entry of the tree as a file to write, or what is wrong with it."""
    if not isinstance(key, pikepdf.String):
        return "The list of embedded files is damaged (a name is not a string)"
    name = str(key)
    files = spec.get("/EF") if isinstance(spec, pikepdf.Dictionary) else None
    stream = files.get("/F", files.get("/UF")) if isinstance(files, pikepdf.Dictionary) else None
    if not isinstance(stream, pikepdf.Stream):
        return f"The embedded file `{shown(name)}` has no data (its /EF entry is not a stream)"
    given = stream.get("/Filter")
    filters = [str(f) for f in (given if isinstance(given, pikepdf.Array) else [given])
               if f is not None]
    if filters not in ([], ["/FlateDecode"]) or stream.get("/DecodeParms") is not None:
        return (f"The embedded file `{shown(name)}` is compressed in a way extract does not "
                f"read ({', '.join(filters)})")
    params = stream.get("/Params")
    checksum = params.get("/CheckSum") if isinstance(params, pikepdf.Dictionary) else None
    return Embedded(name, stream, bytes(checksum) if isinstance(checksum, pikepdf.String)
                    else None, bool(filters))


def sources(pdf: Path, document: pikepdf.Pdf) -> list[Embedded]:
    """The embedded files, their names and structure checked; nothing decompressed yet."""
    where = Location(str(pdf))
    names = document.Root.get("/Names")
    tree = names.get("/EmbeddedFiles") if isinstance(names, pikepdf.Dictionary) else None
    if tree is None:
        raise ReportError([Problem(where, "This PDF has no embedded sources.",
                                   "Build the archive edition: report build --edition archive.",
                                   code="no-sources")])
    try:
        entries = [_entry(key, value) for key, value in name_tree(tree, set())]
    except ValueError as error:
        entries = [f"The list of embedded files is damaged ({error})"]
    files = [e for e in entries if isinstance(e, Embedded)]
    reasons = [e for e in entries if isinstance(e, str)]
    reasons += [f"The embedded file name `{shown(f.name)}` is not a safe relative path: {why}"
                for f in files if (why := unsafe(f.name))]
    if len(entries) > MAX_FILES:
        reasons.append(f"This PDF embeds {len(entries)} files, more than the {MAX_FILES} "
                       "extract writes")
    if not reasons:
        reasons = clashes([f.name for f in files])
    if reasons:
        raise ReportError([Problem(where, f"{reason}; nothing was extracted.", UNTRUSTED,
                                   code="unsafe-name") for reason in reasons])
    if not files:
        raise ReportError([Problem(where, "This PDF has no embedded sources.",
                                   "Build the archive edition: report build --edition archive.",
                                   code="no-sources")])
    return files


class _Meter:
    """The bytes decompressed so far, against the limit."""

    def __init__(self, pdf: Path, limit: int) -> None:
        self.where, self.limit, self.total = Location(str(pdf)), limit, 0

    def chunks(self, file: Embedded) -> Iterator[bytes]:
        """The file's bytes, a chunk at a time, never more than the limit in all."""
        raw = file.stream.read_raw_bytes()
        inflate = zlib.decompressobj() if file.compressed else None
        try:
            for start in range(0, len(raw), CHUNK):
                data = raw[start:start + CHUNK]
                while data:
                    if inflate is None:
                        out, data = data, b""
                    else:  # at most a chunk out, the rest of the input kept for the next turn
                        out, data = inflate.decompress(data, CHUNK), inflate.unconsumed_tail
                    self.count(file, len(out))
                    yield out
            if inflate is not None:  # what zlib still holds (at most its window)
                out = inflate.flush()
                self.count(file, len(out))
                yield out
        except zlib.error as error:
            raise self.refuse(f"The embedded file `{shown(file.name)}` is damaged (its data "
                              f"cannot be decompressed: {error})", "") from None

    def count(self, file: Embedded, size: int) -> None:
        self.total += size
        if self.total > self.limit:
            raise self.refuse(
                f"The embedded files come to more than {human(self.limit)} once decompressed "
                f"(the limit was reached in `{shown(file.name)}`)",
                f"If you trust this PDF and have the space, raise the limit, e.g. --max-size "
                f"{human(self.limit * 10)}.", code="too-large")

    def refuse(self, message: str, hint: str, code: str = "damaged-attachment") -> ReportError:
        return ReportError([Problem(self.where, f"{message}; nothing was extracted.", hint,
                                    code=code)])


def _verify(pdf: Path, files: list[Embedded], limit: int) -> None:
    """Decompress everything once, writing nothing: the size limit and the checksums."""
    meter = _Meter(pdf, limit)
    for file in files:
        digest = hashlib.md5(usedforsecurity=False)
        for chunk in meter.chunks(file):
            digest.update(chunk)
        if file.checksum is not None and file.checksum != digest.digest():
            raise meter.refuse(f"The embedded file `{shown(file.name)}` is damaged (its "
                               "checksum does not match)", UNTRUSTED)


def extract(pdf: Path, folder: Path, max_size: int = MAX_SIZE) -> list[Path]:
    """Write the embedded sources under `folder` (new or empty); the paths written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ReportError([Problem(Location(str(folder)), "This folder is not empty; nothing "
                                   "was extracted.", "Give a new or empty folder.",
                                   code="folder-not-empty")])
    with open_untrusted(pdf, Location(str(pdf)), pdf.name) as document:
        try:
            files = sources(pdf, document)
            _verify(pdf, files, max_size)
            return _write(pdf, files, folder, max_size)
        except pikepdf.PikepdfError as error:  # qpdf reads objects as they are needed
            raise ReportError([Problem(Location(str(pdf)), f"This PDF is damaged ({error}); "
                                       "nothing was extracted.", UNTRUSTED,
                                       code="not-a-pdf")]) from None


def _write(pdf: Path, files: list[Embedded], folder: Path, limit: int) -> list[Path]:
    """The files written into a new folder beside `folder`, then renamed to it."""
    partial = folder.parent / f".{folder.name}.{secrets.token_hex(4)}.partial"
    meter, name = _Meter(pdf, limit), ""
    try:
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.mkdir()
        for file in sorted(files, key=lambda f: f.name):
            name = file.name
            path = partial.joinpath(*name.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as out:  # "x": never over a file already there
                for chunk in meter.chunks(file):
                    out.write(chunk)
        name = ""
        os.rename(partial, folder)  # over an empty folder too (POSIX)
    except OSError as error:
        what = f"`{shown(name)}` could not be written" if name else "The folder could not " \
            "be made"
        raise ReportError([Problem(Location(str(folder)), f"{what} ({error.strerror}); "
                                   "nothing was extracted.", "Give a new or empty folder "
                                   "where you may write.", code="extract-write")]) from None
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return [folder.joinpath(*f.name.split("/")) for f in sorted(files, key=lambda f: f.name)]
