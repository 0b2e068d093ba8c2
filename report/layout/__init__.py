"""The HTML laid out by WeasyPrint into pages (whole, or in parts in parallel),
footnotes checked and repaired, page facts read back, the PDF written.
"""
