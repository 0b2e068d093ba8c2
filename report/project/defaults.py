"""The settings' defaults that are needed before the schema is imported: what citeproc-js is
started on early (report/cite/early.py), while the rest of the program is imported."""

CITATION_STYLE = "chicago-notes-bibliography"
LANGUAGE = "en"
