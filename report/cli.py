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
FORMATS = (".pdf", ".html")  # `build -o`: the suffix decides
RAW = argparse.RawDescriptionHelpFormatter  # keeps the examples' lines


def _print_problems(problems: list[Problem]) -> None:
    print(table(problems), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from report.editions import registry as editions
    from report.pipeline import Timings, build
    from report.project.options import BuildOptions

    if args.edition not in editions.names():
        print(f"report: no edition `{args.edition}`; choose one of: "
              + ", ".join(editions.names()), file=sys.stderr)
        return EXIT_USAGE
    if args.output and Path(args.output).suffix.lower() not in FORMATS:
        print(f"report: cannot write `{args.output}`: the output's suffix decides its format, "
              "one of " + ", ".join(FORMATS) + " (e.g. -o build/report.pdf)", file=sys.stderr)
        return EXIT_USAGE
    edition = editions.get(args.edition)
    root = Path(args.project)
    output = Path(args.output) if args.output else root / edition.default_output
    options = BuildOptions(edition=edition.name, paper=args.paper, bleed=args.bleed,
                           watermark=args.watermark, layout=args.layout)
    if options.paper == "a5" and edition.name != "print":
        print("report: --paper a5 is for the print edition (a pocket booklet): add "
              "--edition print", file=sys.stderr)
        return EXIT_USAGE
    from report import progress

    timings = Timings()
    if progress.wanted(args.quiet):
        with progress.Progress() as display:
            timings.observer = display
            prepared = build(root, output, timings, options)
    else:
        prepared = build(root, output, timings, options)
    if args.timings:  # for `make bench` (bench/): seconds per stage
        import json
        Path(args.timings).write_text(json.dumps(timings.stages | {
            f"parts: {k}": v for k, v in timings.parts.items()}), encoding="utf-8")
    if prepared.warnings and not args.quiet:
        _print_problems(prepared.warnings)
    if args.verbose:
        print(progress.stage_times(timings), file=sys.stderr)
    if not args.quiet:
        print(f"wrote {output}")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from report.tools import new

    folder = Path(args.folder)
    new.create(folder, title=args.title, language=args.language, style=args.style,
               paper=args.paper)
    print(f"wrote {folder}/: build it with `make -C {folder} pdf` "
          f"(or `report build {folder}`)")
    return EXIT_OK


def _watch(args: argparse.Namespace) -> int:
    from report.project.options import BuildOptions
    from report.watch import watch

    if args.output and Path(args.output).suffix.lower() != ".pdf":
        print("report: watch writes a PDF: give -o a name ending in .pdf", file=sys.stderr)
        return EXIT_USAGE
    root = Path(args.project)
    output = Path(args.output) if args.output else root / "build" / "report.pdf"
    return watch(root, output, BuildOptions(), open_pdf=args.open,
                 say=lambda text: print(text, flush=True))


def _sources(args: argparse.Namespace) -> int:
    import json

    import yaml

    from report.files import write_text
    from report.project.read import load_project
    from report.project.schema import csl_item
    from report.project.validate import validate

    items = [csl_item(source) for source in validate(load_project(Path(args.project))).sources]
    text = (json.dumps(items, indent=2, ensure_ascii=False) + "\n" if args.format == "csl-json"
            else yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=100))
    if args.output:
        write_text(Path(args.output), text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _completion(args: argparse.Namespace) -> int:
    import shtab

    print(shtab.complete(parser(), shell=args.shell))
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
    from report.pipeline import check
    from report.tools import export

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
    from report.project import jsonschema

    for path in jsonschema.write(Path(args.project) / "schemas"):
        print(f"wrote {path}")
    return EXIT_OK


def _booklet(args: argparse.Namespace) -> int:
    from report.editions.printing import booklet_creep, length_mm
    from report.problems import Location
    from report.tools.impose import impose

    source = Path(args.pdf)
    if not source.is_file():
        print(f"report: {source}: no such file", file=sys.stderr)
        return EXIT_USAGE
    creep = (length_mm(args.creep, Location("--creep")) if args.creep
             else booklet_creep(source))
    output = Path(args.output) if args.output else source.with_name(f"{source.stem}-booklet.pdf")
    made = impose(source, output, creep)
    print(f"wrote {output}: {made.sheets} sheet(s) for {made.pages} pages ({made.blanks} blank "
          f"added), creep {creep:g} mm per sheet; print two-sided, flip on the short edge")
    return EXIT_OK


def _packet(args: argparse.Namespace) -> int:
    from report.tools.packet import assemble

    source = Path(args.packet)
    if not source.is_file():
        print(f"report: {source}: no such file", file=sys.stderr)
        return EXIT_USAGE
    output = Path(args.output) if args.output else source.with_suffix(".pdf")
    members = assemble(source, output)
    for member in members:  # what a member could have run on a reader's machine
        if member.removed:
            print(f"{member.source}: removed {member.removals}")
    print(f"wrote {output}: " + ", ".join(f"{m.tab} from p. {m.start}" for m in members))
    return EXIT_OK


def _extract(args: argparse.Namespace) -> int:
    from report.editions.extract import MAX_SIZE, extract, parse_size
    from report.problems import Location

    source = Path(args.pdf)
    if not source.is_file():
        print(f"report: {source}: no such file", file=sys.stderr)
        return EXIT_USAGE
    limit = parse_size(args.max_size, Location("--max-size")) if args.max_size else MAX_SIZE
    written = extract(source, Path(args.folder), limit)
    print(f"wrote {len(written)} files to {args.folder}; build them with: report build "
          f"{args.folder} --edition archive")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="report", description=__doc__)
    main.add_argument("--version", action="version", version=f"report {__version__}")
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser(
        "build", help="build the PDF (or HTML) of a report project", formatter_class=RAW,
        epilog="examples:\n  report build                      build/report.pdf of the project "
               "here\n  report build mybrief -o brief.html\n"
               "  report build --edition archive    PDF/A with its sources inside\n"
               "  report build --edition print --paper a5 --bleed 3mm")
    build.add_argument("project", nargs="?", default=".", help="project folder (default: .)")
    build.add_argument("-o", "--output", help="output file; .html writes the HTML "
                                              "(default: PROJECT/build/report.pdf)")
    build.add_argument("--edition", default="standard",
                       help="standard (default), archive, print")
    build.add_argument("--paper", choices=["a4", "letter", "a5"],
                       help="override the paper setting (a5: print edition only)")
    build.add_argument("--bleed", help="print edition: bleed, e.g. 3mm (adds crop marks)")
    build.add_argument("--watermark", help="print edition: a short text across every page")
    build.add_argument("--layout", choices=["parts", "whole"],
                       help="parts (default for the standard edition): lay the report out in "
                            "parts on every core, cached; whole: as one document")
    build.add_argument("-q", "--quiet", action="store_true",
                       help="print nothing but errors (for scripts)")
    build.add_argument("-v", "--verbose", action="store_true",
                       help="print the seconds each stage took")
    build.add_argument("--timings", help=argparse.SUPPRESS)  # JSON of seconds per stage
    build.set_defaults(run=_build)
    new = commands.add_parser(
        "new", help="start a new report project in a new folder", formatter_class=RAW,
        epilog="examples:\n  report new mybrief\n"
               "  report new dossier --title \"Water rights in the valley\" --language fr "
               "--style apa --paper letter")
    new.add_argument("folder", help="a new or empty folder")
    new.add_argument("--title", default="A new report", help="the report's title")
    new.add_argument("--language", default="en", help="a language tag: en (default), fr...")
    new.add_argument("--style", default="chicago-notes-bibliography",
                     help="a CSL style name (default: chicago-notes-bibliography)")
    new.add_argument("--paper", choices=["a4", "letter"], default="a4")
    new.set_defaults(run=_new)
    watch = commands.add_parser(
        "watch", help="rebuild the PDF on every save, until Ctrl-C", formatter_class=RAW,
        epilog="examples:\n  report watch                 build/report.pdf, rebuilt on save\n"
               "  report watch mybrief --open  and open it in the PDF viewer")
    watch.add_argument("project", nargs="?", default=".", help="project folder (default: .)")
    watch.add_argument("-o", "--output", help="default: PROJECT/build/report.pdf")
    watch.add_argument("--open", action="store_true", help="open the PDF after the first build")
    watch.set_defaults(run=_watch)
    sources = commands.add_parser(
        "sources", help="write the bibliography out, normalised, as CSL-JSON or CSL-YAML",
        formatter_class=RAW,
        epilog="examples:\n  report sources --format csl-json -o library.json   for Zotero\n"
               "  report sources mybrief --format csl-yaml            for Pandoc")
    sources.add_argument("project", nargs="?", default=".", help="project folder (default: .)")
    sources.add_argument("--format", choices=["csl-json", "csl-yaml"], default="csl-json")
    sources.add_argument("-o", "--output", help="file to write (default: standard output)")
    sources.set_defaults(run=_sources)
    completion = commands.add_parser(
        "completion", help="print the shell's completion script for report",
        formatter_class=RAW,
        epilog="examples:\n  report completion bash > ~/.local/share/bash-completion/"
               "completions/report\n  report completion zsh > ~/.zfunc/_report")
    completion.add_argument("shell", choices=["bash", "zsh"])
    completion.set_defaults(run=_completion)
    check = commands.add_parser(
        "check", help="check a report project without building it", formatter_class=RAW,
        epilog="examples:\n  report check\n  report check mybrief --strict   warnings fail "
               "too\n  report check --format json       for editors and tools")
    check.add_argument("project", nargs="?", default=".")
    check.add_argument("--strict", action="store_true", help="warnings are errors too")
    check.add_argument("--format", choices=["table", "json"], default="table",
                       help="table for people (default), json for tools and editors")
    check.set_defaults(run=_check)
    chron = commands.add_parser(
        "chronology", help="write the dated events as CSV or JSON", formatter_class=RAW,
        epilog="examples:\n  report chronology --format csv -o events.csv\n"
               "  report chronology mybrief")
    chron.add_argument("project", nargs="?", default=".")
    chron.add_argument("--format", choices=["csv", "json"], default="json")
    chron.add_argument("-o", "--output", help="file to write (default: standard output)")
    chron.set_defaults(run=_chronology)
    schema = commands.add_parser("schema", help="write the JSON Schemas of the content files "
                                                "to PROJECT/schemas/ (for editors)",
                                 formatter_class=RAW,
                                 epilog="examples:\n  report schema\n  report schema mybrief")
    schema.add_argument("project", nargs="?", default=".")
    schema.set_defaults(run=_schema)
    booklet = commands.add_parser(
        "booklet", help="impose a PDF as a saddle-stitched booklet (two pages a side, sheets "
                        "twice the size)", formatter_class=RAW,
        epilog="examples:\n  report booklet build/report-print-a4.pdf\n"
               "  report booklet build/report-print-a4.pdf --creep 0.1mm -o booklet.pdf")
    booklet.add_argument("pdf", help="the PDF to impose, e.g. build/report-print-a4.pdf")
    booklet.add_argument("-o", "--output", help="default: PDF's name + -booklet.pdf")
    booklet.add_argument("--creep", help="shift per sheet toward the spine, e.g. 0.1mm "
                                         "(default: print: creep: in the PDF's project, or 0)")
    booklet.set_defaults(run=_booklet)
    packet = commands.add_parser(
        "packet", help="bind built reports and PDFs into a briefing packet, from a packet.yaml",
        formatter_class=RAW,
        epilog="examples:\n  report packet packet.yaml\n  report packet packet.yaml -o "
               "build/briefing-packet.pdf")
    packet.add_argument("packet", help="the packet definition (YAML)")
    packet.add_argument("-o", "--output", help="default: the YAML's name with .pdf")
    packet.set_defaults(run=_packet)
    extract = commands.add_parser(
        "extract", help="write the sources embedded in an archive PDF to a new folder (a "
                        "project again)", formatter_class=RAW,
        epilog="examples:\n  report extract report-archive.pdf received/\n"
               "  report extract big-archive.pdf received/ --max-size 2GB")
    extract.add_argument("pdf", help="an archive edition PDF, e.g. build/report-archive.pdf")
    extract.add_argument("folder", help="a new or empty folder")
    extract.add_argument("--max-size", help="the most the files may come to, decompressed, "
                                            "e.g. 2GB (default: 200MB)")
    extract.set_defaults(run=_extract)
    return main


def _system_error(error: OSError) -> str:
    """What the operating system refused, for people: the file, the reason, a likely cause.
    A file there that cannot be read was being read; anything else refused, written."""
    import errno
    import os

    from report.files import CannotWrite, shown

    path, reason = shown(error.filename), error.strerror or str(error)
    causes = {errno.EACCES: "the folder is read-only?", errno.EPERM: "the folder is read-only?",
              errno.EROFS: "a read-only file system", errno.ENOSPC: "the disk is full?",
              errno.EDQUOT: "over the disk quota"}
    unreadable = (error.errno in (errno.EACCES, errno.EPERM) and os.path.exists(error.filename)
                  and not os.access(error.filename, os.R_OK))
    if isinstance(error, CannotWrite) or (error.errno in causes and not unreadable):
        cause = causes.get(error.errno or 0)
        return f"report: cannot write {path}: {reason}" + (f" ({cause})" if cause else "")
    if unreadable:
        return f"report: cannot read {path}: {reason} (check the file's permissions)"
    return f"report: {path}: {reason}"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not Path(getattr(args, "project", ".")).is_dir():
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
        if isinstance(error, OSError) and error.filename is not None:
            # refused by the system (permissions, a full disk): not a fault in report
            print(_system_error(error), file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"report: internal error: {type(error).__name__}: {error}\n"
              "This is a fault in report, not in your content. Please report it with the "
              "command you ran; set REPORT_DEBUG=1 to see the details.", file=sys.stderr)
        import os
        if os.environ.get("REPORT_DEBUG"):
            traceback.print_exc()
        return EXIT_INTERNAL


def _start_citations(argv: list[str]) -> None:
    """For `report build`, start citeproc-js on the project's style now (report/cite/early.py):
    it compiles the style while the rest of the program is imported."""
    if not argv or argv[0] != "build":
        return
    try:
        args, _ = parser().parse_known_args(argv)
    except SystemExit:  # a usage error: `main` says it
        return
    from report.cite import early

    early.start_for(Path(args.project))


def _exit_code(stop: SystemExit) -> int:
    if stop.code is None or isinstance(stop.code, int):
        return stop.code or 0
    print(stop.code, file=sys.stderr)
    return 1


def entry() -> None:
    """The console script: `main`, tuned for one short-lived process.

    The garbage collector is told to leave the objects of the imports alone and to run less
    often (a layout allocates millions of small objects it keeps to the end), and the process
    ends without freeing the laid-out document, which takes seconds at hundreds of pages;
    output is flushed first, and the temporary files of the process and its workers
    (report/files.py: private_temp) removed. `main` itself, called in-process by tests, does
    none of this.
    """
    import gc
    import os

    _start_citations(sys.argv[1:])  # citeproc-js compiles the style while Python imports
    import report.pipeline  # noqa: F401  (the heavy imports, before the freeze)
    from report.cite import warm
    from report.files import private_temp

    gc.freeze()
    gc.set_threshold(50_000, 20, 50)
    with private_temp():  # every temporary file of the build, removed before the end
        try:
            code = main()
        except SystemExit as stop:  # argparse's usage error or --help: it has said why; end
            code = _exit_code(stop)  # here, or multiprocessing's finaliser would look for the
    warm.discard()                     # removed folder of its sockets and print a traceback
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
