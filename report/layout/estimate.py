"""Page facts guessed from the HTML alone, for a first build's first round.

A first build knows no page yet, so its first round is laid out for the page facts
(report/layout/backrefs.py) and the parts that print them are laid out again with them. Laid out
with no numbers at all, those parts come out shorter than they will be ("→ p. 123" left out of
a chronology line, "cited on pp. 4, 9, 31" out of an entry), the pages after them move, and
a third round is needed: at 500 pages the chronology ran two pages short and the publications
list and the contents were laid out a third time. Guessed numbers of about the right length
keep the first round's pages where the numbers will put them.

Only ever a guess: a part laid out with it is not written (report/layout/workers.py `run`), and
the build goes on until the facts that its layout gives are the ones it was laid out with.
"""

from __future__ import annotations

import re

from report.document.model import Collected
from report.layout.backrefs import Facts, Pages, note_sources, referenced
from report.layout.finishers import printed_labels

# HTML bytes per page, between the theme's body text (about 2.6 KB) and a chronology or a
# publications list (7-8 KB): what this repository's report and its examples average. Only
# the length of each number depends on it.
BYTES_PER_PAGE = 3_600
ID = re.compile(r'\bid="([^"]+)"')


def estimate(html: str, collected: Collected, body: str | None) -> Facts:
    """Each page fact the HTML prints, as if every page held BYTES_PER_PAGE of it."""
    start, end = html.find("<body"), html.rfind("</body>")
    if start < 0 or end <= start:
        return Facts({}, "", {}, estimated=True)
    sources = note_sources(collected)
    places: dict[str, int] = {}
    for match in ID.finditer(html, start, end):
        places.setdefault(match.group(1), match.start())
    begins = places.get(body or "", start)  # the body's first page is page 1
    front = -(-(begins - start) // BYTES_PER_PAGE)  # pages before it (roman)
    count = front + max(1, -(-(end - begins) // BYTES_PER_PAGE))

    def page(offset: int) -> int:  # 0-based
        if offset < begins:
            return min(front - 1, (offset - start) // BYTES_PER_PAGE)
        return min(count - 1, front + (offset - begins) // BYTES_PER_PAGE)

    printed = printed_labels(count, front)
    anchors = {name: printed[page(places[name])] for name in sorted(referenced(html))
               if name in places}
    citing: dict[str, dict[int, str]] = {}  # source -> page -> the first element there
    for element, offset in sorted(places.items(), key=lambda item: item[1]):
        for key in sources.get(element, ()):
            citing.setdefault(key, {}).setdefault(page(offset), element)
    cited: Pages = {key: [(printed[number], element) for number, element in sorted(pages.items())]
                    for key, pages in sorted(citing.items())}
    return Facts(cited, printed[-1], anchors, estimated=True)
