"""The document model: inline text (Markdown with Pandoc citations) parsed and rendered
with the notes the citation stage made, the chronology, the publications list.
"""
