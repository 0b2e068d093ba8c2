"""Citations formatted by citeproc-js, the reference CSL processor (run in Node.js),
with the style and locale found for the report.
"""
