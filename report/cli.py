"""The `report` command: build and check report projects. Errors are for people: a bad input
gets file:line:column and a fix; an internal fault gets a short note, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from report import __version__
from report.problems import Problem, ReportError, table, to_json

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _print_problems(problems: list[Problem]) -> None:
    print(table(problems), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from report import editions
    from report.pipeline import build

    if args.edition not in editions.names():
        print(f"report: no edition `{args.edition}`; choose one of: "
              + ", ".join(editions.names()), file=sys.stderr)
        return EXIT_USAGE
    edition = editions.get(args.edition)
    root = Path(args.project)
    output = Path(args.output) if args.output else root / edition.default_output
    options = {k: v for k, v in vars(args).items()
               if k in ("paper", "bleed", "watermark") and v is not None}
    prepared = build(root, output, edition=edition, options=options)
    if prepared.warnings:
        _print_problems(prepared.warnings)
    print(f"wrote {output}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from report.pipeline import check

    try:
        problems = check(Path(args.project)).problems
    except ReportError as error:  # files that cannot be read as a report: same output
        problems = error.problems
    failing = [p for p in problems if p.severity == "error" or args.strict]
    if args.format == "json":
        print(to_json(problems))
    elif problems:
        print(table(problems))
    else:
        print("no problems found")
    return EXIT_PROBLEMS if failing else EXIT_OK


def _chronology(args: argparse.Namespace) -> int:
    from report import export
    from report.pipeline import check

    checked = check(Path(args.project))
    errors = [p for p in checked.problems if p.severity == "error"]
    if errors:
        raise ReportError(errors)
    rows = export.events(checked.valid)
    text = export.to_csv(rows) if args.format == "csv" else export.to_json(rows)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from report import jsonschema

    for path in jsonschema.write(Path(args.project) / "schemas"):
        print(f"wrote {path}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="report", description=__doc__)
    main.add_argument("--version", action="version", version=f"report {__version__}")
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the PDF (or HTML) of a report project")
    build.add_argument("project", nargs="?", default=".", help="project folder (default: .)")
    build.add_argument("-o", "--output", help="output file; .html writes the HTML "
                                              "(default: PROJECT/build/report.pdf)")
    build.add_argument("--edition", default="standard",
                       help="standard (default), archive, print")
    build.add_argument("--paper", choices=["a4", "letter"], help="override the paper setting")
    build.add_argument("--bleed", help="print edition: bleed, e.g. 3mm (adds crop marks)")
    build.add_argument("--watermark", help="print edition: a short text across every page")
    build.set_defaults(run=_build)
    check = commands.add_parser("check", help="check a report project without building it")
    check.add_argument("project", nargs="?", default=".")
    check.add_argument("--strict", action="store_true", help="warnings are errors too")
    check.add_argument("--format", choices=["table", "json"], default="table",
                       help="table for people (default), json for tools and editors")
    check.set_defaults(run=_check)
    chron = commands.add_parser("chronology", help="write the dated events as CSV or JSON")
    chron.add_argument("project", nargs="?", default=".")
    chron.add_argument("--format", choices=["csv", "json"], default="json")
    chron.add_argument("-o", "--output", help="file to write (default: standard output)")
    chron.set_defaults(run=_chronology)
    schema = commands.add_parser("schema", help="write the JSON Schemas of the content files "
                                                "to PROJECT/schemas/ (for editors)")
    schema.add_argument("project", nargs="?", default=".")
    schema.set_defaults(run=_schema)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not Path(args.project).is_dir():
        print(f"report: {args.project}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except ReportError as error:
        _print_problems(error.problems)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # an internal fault, not the user's: say so, briefly
        print(f"report: internal error: {type(error).__name__}: {error}\n"
              "This is a fault in report, not in your content. Please report it with the "
              "command you ran; set REPORT_DEBUG=1 to see the details.", file=sys.stderr)
        import os
        if os.environ.get("REPORT_DEBUG"):
            traceback.print_exc()
        return EXIT_INTERNAL
