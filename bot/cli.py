"""`ivig-chat`: the REPL, one-shot `--ask`, the `--json` line protocol, `--discord`, and the curator commands.

Storage is imported only when a record is written, discord only on the --discord path, prompt_toolkit only on a
real terminal.
"""

from __future__ import annotations

import argparse
import getpass
import io
import os
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

from bot import __version__
from bot.app import EXIT_DATA, EXIT_OK, LazyRecorder, load_core, make_service, reporter
from bot.curator import DATA_DIR_HELP, add_commands, run_command
from bot.settings import DEFAULT_IDLE_SECONDS, Settings, SettingsError, load_settings

EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ivig-chat",
        description="Cited answers on whether IVIG works, condition by condition.",
        epilog="Curator commands: `ivig-chat report`, `ivig-chat kb check [DIR]`, "
               "`ivig-chat data path|delete|export|import`; add --help to one for its options.",
    )
    parser.add_argument("--ask", metavar="QUESTION", help="answer one question and exit")
    parser.add_argument("--json", action="store_true",
                        help="JSON output: one object per input line on stdin (or for --ask)")
    parser.add_argument("--discord", action="store_true", help="run the Discord bot (needs DISCORD_TOKEN)")
    parser.add_argument("--sync-commands", action="store_true", help="with --discord: sync slash commands")
    parser.add_argument("--context-idle", type=float, metavar="SECONDS",
                        help=f"forget the conversation's topic after this many idle seconds (default: "
                             f"$IVIG_CONTEXT_IDLE_SECONDS, else {DEFAULT_IDLE_SECONDS:g})")
    parser.add_argument("--knowledge", type=Path, help="knowledge folder to use instead of the shipped one")
    parser.add_argument("--intents", type=Path, help="intents folder to use instead of the shipped one")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help=DATA_DIR_HELP)
    parser.add_argument("--no-log", action="store_true",
                        help="do not log unanswered questions (also: IVIG_LOG_UNANSWERED=0); feedback is still saved")
    parser.add_argument("--version", action="version", version=f"ivig-chat {__version__}")
    add_commands(parser)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings, with the command line's flags winning over the environment and `.env`."""
    return load_settings(
        ivig_data_dir=getattr(args, "data_dir", None),
        ivig_knowledge_dir=getattr(args, "knowledge", None),
        ivig_intents_dir=getattr(args, "intents", None),
        ivig_context_idle_seconds=getattr(args, "context_idle", None),
        ivig_log_unanswered=False if getattr(args, "no_log", False) else None,
    )


def local_user_id() -> str:
    """Who is at this terminal, as a raw id for the pseudonym (it is hashed before it is stored)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from(args)
    except SettingsError as exc:
        for problem in exc.problems:
            stderr.write(f"ivig-chat: {problem}\n")
        return EXIT_DATA
    if args.command:
        if args.ask is not None or args.json or args.discord or args.sync_commands:
            stderr.write(f"ivig-chat: `{args.command}` does not go with --ask, --json or --discord\n")
            return EXIT_DATA
        return run_command(args, settings, stdin, stdout, stderr)
    if args.sync_commands and not args.discord:
        stderr.write("ivig-chat: --sync-commands goes with --discord\n")
        return EXIT_DATA
    if args.discord:
        from bot.adapters.discord.run import run  # discord.py is imported on this path only

        return run(settings, sync_commands=args.sync_commands, err=stderr)
    core = load_core(settings, stderr)
    if core is None:
        return EXIT_DATA
    recorder = LazyRecorder(settings, reporter(stderr))  # storage is imported when something is recorded
    try:
        return _chat(core, settings, args, stdin, stdout, recorder)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    finally:
        recorder.close()  # writes what the unanswered log still holds; reports a storage problem once


def _chat(core, settings: Settings, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, recorder) -> int:
    from bot.adapters import jsonl, terminal

    user = local_user_id()
    if args.ask is not None:
        service = make_service(core, settings, adapter="ask", commands=jsonl.COMMANDS if args.json
                               else terminal.COMMANDS, recorder=recorder)
        reply = service.handle_line(("ask", None, None), args.ask, user=user)
        if args.json:
            _binary_out(stdout).write(jsonl.dumps(jsonl.answer_payload(reply, args.ask, service)).encode() + b"\n")
        else:
            stdout.write(terminal.render(reply) + "\n")
        stdout.flush()
        return EXIT_OK
    if args.json:
        service = make_service(core, settings, adapter=jsonl.NAME, commands=jsonl.COMMANDS, recorder=recorder)
        return jsonl.run(service, jsonl.decode_lines(_binary_in(stdin)), _binary_out(stdout), user=user)
    service = make_service(core, settings, adapter=terminal.NAME, commands=terminal.COMMANDS, recorder=recorder)
    interactive = stdin is sys.stdin and stdin.isatty() and stdout.isatty()
    if interactive:
        stdout.write(terminal.banner(service) + "\n")
        return terminal.run(service, terminal.terminal_reader(service), stdout, interactive=True, user=user)
    lines = jsonl.decode_lines(_binary_in(stdin))  # bytes in, decoded with replacement: a bad byte is never fatal

    def read_line() -> str:
        try:
            return next(lines)[0]
        except StopIteration:
            raise EOFError from None

    return terminal.run(service, read_line, stdout, interactive=False, user=user)


class _TextAsBinary(io.RawIOBase):
    """Bytes written to a text stream (tests pass StringIO), decoded as UTF-8."""

    def __init__(self, text: TextIO):
        self._text = text

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._text.write(bytes(data).decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self._text.flush()


def _binary_in(stream: TextIO) -> BinaryIO:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer
    return (line.encode("utf-8", "surrogateescape") for line in stream)  # type: ignore[return-value]


def _binary_out(stream: TextIO) -> BinaryIO:
    buffer = getattr(stream, "buffer", None)
    return buffer if buffer is not None else _TextAsBinary(stream)  # type: ignore[return-value]


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run() -> None:
    """The `ivig-chat` command: main(), then a quick exit. Everything acknowledged is written by then (the recorder
    closes inside main), so the interpreter need not spend a tenth of a second freeing the indexes one by one."""
    try:
        code = main()
    except KeyboardInterrupt:  # Ctrl-C during the last writes: nothing acknowledged is pending by then
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        code = EXIT_OK
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
