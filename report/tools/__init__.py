"""Commands that work on built PDFs or on a project's data: booklets, packets, exports.
"""
