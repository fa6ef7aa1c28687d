"""The curator subcommands of `ivig-chat`: report, kb check, and data path|delete|export|import."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.app import EXIT_DATA, EXIT_OK, load_core
from bot.kb_check import DEFAULT_STALE_DAYS
from bot.settings import Settings

DATA_DIR_HELP = ("where feedback and the unanswered-question log are kept (default: $IVIG_DATA_DIR, else the "
                 "platform's user data folder, e.g. ~/.local/share/ivig-chat)")


def count_arg(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return value

    return parse


def add_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="curator commands")
    report = commands.add_parser(
        "report", help="what to improve next: unanswered questions, feedback, stale entries, close aliases",
        description="Print the curator report from the stored records and the knowledge base.")
    report.add_argument("--format", choices=("markdown", "json"), default="markdown", help="default: markdown")
    report.add_argument("--stale-days", type=count_arg(0), default=DEFAULT_STALE_DAYS, metavar="N",
                        help=f"list entries last reviewed more than N days ago (default: {DEFAULT_STALE_DAYS})")
    report.add_argument("--top", type=count_arg(1), default=20, metavar="N",
                        help="at most N groups of unanswered questions, N questions each (default: 20)")
    # Also accepted after the command; SUPPRESS keeps a value given before it.
    report.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=DATA_DIR_HELP)
    report.add_argument("--knowledge", type=Path, default=argparse.SUPPRESS, help="knowledge folder to report on")
    report.add_argument("--intents", type=Path, default=argparse.SUPPRESS, help="intents folder to use")

    kb = commands.add_parser("kb", help="knowledge-base tools: kb check [DIR]",
                             description="Knowledge-base tools for curators.")
    kb_commands = kb.add_subparsers(dest="kb_command", metavar="check", required=True)
    check = kb_commands.add_parser(
        "check", help="validate a knowledge folder; exit 0 when valid, 1 when not",
        description="Validate a knowledge folder: schema, references, alias collisions (errors); stale reviews, "
                    "close aliases, unused or duplicate references (warnings). Exit 0 when valid, 1 when not.")
    check.add_argument("directory", nargs="?", type=Path, metavar="DIR",
                       help="the knowledge folder (with conditions/ and references/); default: the shipped one")
    check.add_argument("--stale-days", type=count_arg(0), default=DEFAULT_STALE_DAYS, metavar="N",
                       help=f"warn about entries last reviewed more than N days ago (default: {DEFAULT_STALE_DAYS})")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")

    data = commands.add_parser("data", help="the stored records: data path, delete, export, import",
                               description="Where ivig-chat keeps feedback and the unanswered log; move or delete "
                                           "them.")
    data_commands = data.add_subparsers(dest="data_command", metavar="{path,delete,export,import}", required=True)
    for name, text in (("path", "print the data folder (or the database in use)"),
                       ("delete", "delete every record and the salt"),
                       ("export", "write every record as JSON lines (to standard output or --output)"),
                       ("import", "read records written by export (from standard input or --input)")):
        sub = data_commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=DATA_DIR_HELP)
        if name == "delete":
            sub.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        if name == "export":
            sub.add_argument("--output", type=Path, metavar="FILE", help="write here instead of standard output")
        if name == "import":
            sub.add_argument("--input", type=Path, metavar="FILE", help="read here instead of standard input")


def run_command(args: argparse.Namespace, settings: Settings, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    if args.command == "report":
        return _report(args, settings, stdout, stderr)
    if args.command == "kb":
        from bot import kb_check

        return kb_check.run(args.directory, stdout, stale_days=args.stale_days, strict=args.strict)
    return _data(args, settings, stdin, stdout, stderr)


def _report(args: argparse.Namespace, settings: Settings, stdout: TextIO, stderr: TextIO) -> int:
    from bot.report import report_from, to_json, to_markdown
    from bot.storage import StorageError, load_records

    core = load_core(settings, stderr)
    if core is None:
        return EXIT_DATA
    try:
        records = load_records(settings.ivig_data_dir, settings.database_url)
    except StorageError as exc:
        stderr.write(f"ivig-chat report: {exc}\n")
        return EXIT_DATA
    report = report_from(core, records, stale_days=args.stale_days, top=args.top)
    stdout.write(to_json(report) + "\n" if args.format == "json" else to_markdown(report))
    return EXIT_OK


def _data(args: argparse.Namespace, settings: Settings, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from bot.storage import StorageError, data_files, delete_data, resolve_data_dir

    data_dir = resolve_data_dir(settings.ivig_data_dir)
    if args.data_command == "path":
        stdout.write(f"{data_dir}\n")
        return EXIT_OK
    if args.data_command in ("export", "import"):
        try:
            return _transfer(args, settings, stdin, stdout, stderr)
        except (StorageError, OSError) as exc:
            stderr.write(f"ivig-chat data {args.data_command}: {exc}\n")
            return EXIT_DATA
    present = [p for p in data_files(data_dir) if p.exists()]
    if not present:
        stdout.write(f"Nothing to delete: no ivig-chat data in {data_dir}\n")
        return EXIT_OK
    if not args.yes:
        if not (stdin.isatty() and stdout.isatty()):
            stderr.write("ivig-chat data delete: add --yes to delete without asking\n")
            return EXIT_DATA
        stdout.write(f"Delete all feedback and unanswered questions in {data_dir}? "
                     "Stop a running Discord bot first. [y/N] ")
        stdout.flush()
        if stdin.readline().strip().lower() not in {"y", "yes"}:
            stdout.write("Nothing deleted.\n")
            return EXIT_OK
    try:
        removed = delete_data(data_dir)
    except OSError as exc:
        stderr.write(f"ivig-chat data delete: {exc}\n")
        return EXIT_DATA
    stdout.write(f"Deleted {len(removed)} file(s) from {data_dir}\n")
    return EXIT_OK


def _transfer(args: argparse.Namespace, settings: Settings, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from bot.storage import export_records, import_records, open_store

    store = open_store(settings.database_url, settings.ivig_data_dir)
    try:
        if args.data_command == "export":
            if args.output:
                with open(args.output, "w", encoding="utf-8") as out:
                    counts = export_records(store, out)
            else:
                counts = export_records(store, stdout)
            said = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in counts.items())
            stderr.write(f"ivig-chat data export: {said}\n")
        else:
            if args.input:
                with open(args.input, encoding="utf-8") as inp:
                    counts = import_records(store, inp)
            else:
                counts = import_records(store, stdin)
            said = "; ".join(f"{table.replace('_', ' ')}: " + (", ".join(f"{n} {what.replace('_', ' ')}"
                                                                       for what, n in detail.items())
                                                             if isinstance(detail, dict) else str(detail))
                             for table, detail in counts.items())
            stderr.write(f"ivig-chat data import: {said}\n")
    finally:
        store.close()
    return EXIT_OK
