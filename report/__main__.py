from report.cli import entry

entry()
