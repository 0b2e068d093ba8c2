"""Reading built PDFs the way a person (or an archive) would: text, fonts, structure."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path


def pdftotext(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-raw", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def words(text: str) -> list[str]:
    """Lower-case words; hyphenation across lines joined; bare numbers (note calls) dropped."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"([^\W\d_])[-\u2010\u2011\u00ad]\s*([^\W\d_])", r"\1\2", text)
    out = []
    for word in re.findall(r"\w+", text):
        if word.isdigit():
            continue
        glued = re.fullmatch(r"([^\W\d]+)\d{1,3}", word)  # a note call glued to its word
        out.append(glued.group(1) if glued else word)
    return out


def found_in_order(unit: list[str], hay: str, max_gap: int = 250) -> bool:
    """`unit` occurs in `hay` whole, or cut once (a page break, notes) by at most max_gap words."""
    if not unit or f" {' '.join(unit)} " in hay:
        return True
    cuts = [(unit[:k], unit[k:]) for k in range(1, len(unit))]
    # a word hyphenated across a page break comes out in two pieces
    cuts += [(unit[:k] + [w[:j]], [w[j:]] + unit[k + 1:])
             for k, w in enumerate(unit) for j in range(2, len(w) - 1)]
    for head_words, tail_words in cuts:
        head, tail = f" {' '.join(head_words)} ", f" {' '.join(tail_words)} "
        start = hay.find(head)
        while start != -1:
            after = start + len(head)
            window = " ".join(hay[after:].split(" ")[: max_gap + len(unit)])
            if tail.strip() and f" {window} ".find(tail) != -1:
                return True
            start = hay.find(head, start + 1)
    return False
