"""report: YAML content and a CSL bibliography to a print-grade, footnoted PDF."""

__version__ = "0.1.0"
