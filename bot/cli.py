"""Command line: the `ivig-chat` REPL, one-shot `--ask`, the `--json` line protocol, `--discord`, and the curator
subcommands `report`, `kb check` and `data path|delete`.

Storage (bot.storage) is imported only when a command needs it, and discord only on the --discord path.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TextIO

from bot import __version__
from bot.conversation import DEFAULT_IDLE_SECONDS, Conversations
from bot.core import COMMANDS, DISCLAIMER, AnswerCore
from bot.kb_check import DEFAULT_STALE_DAYS
from bot.knowledge import DataError
from bot.models import Answer, AnswerKind, Direction, Question
from bot.render import render_text

if TYPE_CHECKING:
    from bot.storage import AnswerSnapshot, Recorder

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_DATA = 2

_SLASH_INTENTS = {"/help": "help", "/about": "about", "/sources": "sources", "/list": "list_conditions"}
_QUIT = {"/quit", "/exit", "/q"}
_FEEDBACK = {"/good": "good", "/bad": "bad"}
NO_ANSWER_TO_RATE = "There is no answer to rate yet. Ask a question first, then type /good or /bad [comment]."
FEEDBACK_NOT_SAVED = "Sorry, your feedback could not be saved."


def answer_json(answer: Answer) -> str:
    """One line of the JSON contract: the structured answer plus its plain-text rendering."""
    payload = answer.model_dump(mode="json")
    payload["text"] = render_text(answer)
    return json.dumps(payload, ensure_ascii=False)


class Session:
    """One REPL conversation: turns lines (questions, commands, a number picking a suggestion) into answers."""

    KEY = "repl"

    def __init__(self, core: AnswerCore, idle_seconds: float = DEFAULT_IDLE_SECONDS):
        self.conversations = Conversations(core, idle_seconds=idle_seconds)
        self.last_suggestions: list[str] = []
        self.last_answer: Answer | None = None  # what /good and /bad rate
        self.last_question = ""  # the question as a curator should read it (a picked number is spelled out)
        self._clarified = ""

    def question_for(self, line: str) -> Question | None:
        """Translate a REPL line into a Question; None means quit."""
        stripped = line.strip()
        command, _, rest = stripped.partition(" ")
        if command.lower() in _QUIT:
            return None
        if command.lower() in _SLASH_INTENTS:
            intent = _SLASH_INTENTS[command.lower()]
            if intent == "list_conditions" and rest.strip():
                return self._list_question(rest.strip())
            return Question(text=stripped, intent=intent)
        if stripped.startswith("/"):
            return Question(text=stripped, intent="help")
        if stripped.isdigit() and 1 <= int(stripped) <= len(self.last_suggestions):
            return Question(text=stripped, condition_ids=(self.last_suggestions[int(stripped) - 1],))
        return Question(text=line)

    def _list_question(self, argument: str) -> Question:
        direction = next((d for d in Direction if argument.lower().replace(" ", "_") == d.value), None)
        if direction is not None:
            return Question(text=f"/list {argument}", intent="list_conditions", direction=direction)
        return Question(text=f"/list {argument}", intent="list_conditions", specialty=argument.lower())

    def respond(self, line: str) -> Answer | None:
        question = self.question_for(line)
        if question is None:
            return None
        picked = self._picked_name(question)
        answer = self.conversations.answer(self.KEY, question)
        if answer.kind is not AnswerKind.empty:
            self.last_answer = answer
            self.last_question = f"{self._clarified} -> {question.text} ({picked})" if picked else answer.question
        if answer.kind is AnswerKind.clarify or answer.suggestions:
            self.last_suggestions = [s.id for s in answer.suggestions]
            self._clarified = answer.question
        else:
            self.last_suggestions = []
        return answer

    def _picked_name(self, question: Question) -> str | None:
        if question.condition_ids and question.text.isdigit():
            return self.conversations.core.kb.conditions[question.condition_ids[0]].name
        return None

    def last_snapshot(self) -> "AnswerSnapshot | None":
        """The last answer as a feedback record sees it; None before the first answer."""
        if self.last_answer is None:
            return None
        from bot.storage import AnswerSnapshot

        return dataclasses.replace(AnswerSnapshot.of(self.last_answer), question=self.last_question)


def feedback_command(line: str) -> tuple[str, str | None] | None:
    """("good" | "bad", comment or None) for a /good or /bad line, else None."""
    command, _, rest = line.strip().partition(" ")
    rating = _FEEDBACK.get(command.lower())
    if rating is None:
        return None
    return rating, (" ".join(rest.split()) or None)


def local_user_id() -> str:
    """Who is at this terminal, as a raw id for the pseudonym (it is hashed before it is stored)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def give_feedback(recorder: "Recorder | None", snapshot: "AnswerSnapshot | None", rating: str,
                  comment: str | None, adapter: str, user_id: str | None) -> tuple[bool, str, int | None]:
    """Save a rating of the last answer; (saved, reply for the user, record id). Never raises."""
    if snapshot is None:
        return False, NO_ANSWER_TO_RATE, None
    if recorder is None:
        return False, FEEDBACK_NOT_SAVED, None
    try:
        record_id = recorder.record_feedback(snapshot, rating, comment, adapter=adapter, user_id=user_id)
    except Exception as exc:  # noqa: BLE001 - StorageError is already reported once; anything else too
        from bot.storage import StorageError

        if not isinstance(exc, StorageError):
            recorder.report(f"cannot save feedback ({type(exc).__name__}: {exc})")
        return False, FEEDBACK_NOT_SAVED, None
    about = snapshot.question if len(snapshot.question) <= 80 else snapshot.question[:79] + "…"
    said = f"{rating} (“{comment}”)" if comment else rating
    return True, f"Thanks, your feedback is saved: {said}, about “{about}”.", record_id


def _unknown_command_note(line: str) -> str | None:
    command = line.strip().split(" ")[0].lower()
    if command.startswith("/") and command not in _SLASH_INTENTS and command not in _QUIT and command not in _FEEDBACK:
        return f"Unknown command {command}. Commands: {COMMANDS}."
    return None


def run_lines(core: AnswerCore, read_line: Callable[[], str], out: TextIO, interactive: bool,
              idle_seconds: float = DEFAULT_IDLE_SECONDS, recorder: "Recorder | None" = None,
              user_id: str | None = None) -> int:
    """The REPL loop over any line source; EOF and Ctrl-C end it cleanly.

    With a recorder, not_found and clarify answers go to the unanswered log (in the background) and /good,
    /bad [comment] rate the last answer (acknowledged once saved).
    """
    session = Session(core, idle_seconds)
    while True:
        try:
            line = read_line()
        except (EOFError, KeyboardInterrupt):
            if interactive:
                out.write("\nBye.\n")
            return EXIT_OK
        rating = feedback_command(line)
        if rating is not None:
            _, reply, _ = give_feedback(recorder, session.last_snapshot(), *rating, adapter="repl", user_id=user_id)
            out.write(reply + "\n\n")
            out.flush()
            continue
        note = _unknown_command_note(line)
        if note:
            out.write(note + "\n\n")
            out.flush()
            continue
        try:
            answer = session.respond(line)
        except Exception as exc:  # never a traceback in front of the user; the loop goes on
            out.write(f"Sorry, I could not answer that ({type(exc).__name__}). Please try rephrasing.\n\n")
            out.flush()
            continue
        if answer is None:
            if interactive:
                out.write("Bye.\n")
            return EXIT_OK
        if recorder is not None:
            recorder.record_unanswered(answer, adapter="repl", user_id=user_id)  # queued: never blocks, never raises
        if answer.kind is AnswerKind.empty and not interactive:
            continue
        text = render_text(answer)
        if answer.kind is AnswerKind.clarify and session.last_suggestions:
            text += "\nType a number to pick."
        out.write(text + "\n\n")
        out.flush()


def _terminal_reader(core: AnswerCore) -> Callable[[], str]:
    """prompt_toolkit prompt with history and completion; imported only on a real terminal."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import Completer, Completion
    from prompt_toolkit.history import InMemoryHistory

    names = sorted({c.name for c in core.kb.conditions.values()} | {s for c in core.kb.conditions.values()
                                                                     for s in c.synonyms})
    commands = ["/help", "/list", "/sources", "/about", "/good", "/bad", "/quit"]

    class NameCompleter(Completer):
        def get_completions(self, document, complete_event):
            before = document.text_before_cursor
            if before.startswith("/") and " " not in before:
                for command in commands:
                    if command.startswith(before.lower()):
                        yield Completion(command, start_position=-len(before))
                return
            words = before.split(" ")
            for size in range(min(4, len(words)), 0, -1):  # the longest typed tail that starts a name
                tail = " ".join(words[-size:])
                if not tail.strip():
                    continue
                found = [n for n in names if n.lower().startswith(tail.lower())]
                for name in found[:30]:
                    yield Completion(name, start_position=-len(tail))
                if found:
                    return

    session = PromptSession(history=InMemoryHistory(), completer=NameCompleter(), complete_while_typing=False)
    return lambda: session.prompt("ivig> ")


def _banner(core: AnswerCore) -> str:
    return (
        f"ivig-chat {__version__}: the evidence on IVIG for {len(core.kb.conditions)} conditions, with sources.\n"
        f"Ask a question, or type {COMMANDS}. Tab completes condition names.\n"
        "Rate the last answer with /good or /bad [comment]; curators read these to improve the answers.\n"
        "Answers summarise published evidence; they are not medical advice.\n"
    )


def _count_arg(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return value

    return parse


_DATA_DIR_HELP = ("where feedback and the unanswered-question log are kept (default: $IVIG_DATA_DIR, else the "
                  "platform's user data folder, e.g. ~/.local/share/ivig-chat)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ivig-chat",
        description="Cited answers on whether IVIG works, condition by condition.",
        epilog="Curator commands: `ivig-chat report`, `ivig-chat kb check [DIR]`, `ivig-chat data path|delete`; "
               "add --help to one for its options.",
    )
    parser.add_argument("--ask", metavar="QUESTION", help="answer one question and exit")
    parser.add_argument("--json", action="store_true",
                        help="JSON output: one object per input line on stdin (or for --ask)")
    parser.add_argument("--discord", action="store_true", help="run the Discord bot (needs DISCORD_TOKEN)")
    parser.add_argument("--sync-commands", action="store_true", help="with --discord: sync slash commands")
    parser.add_argument("--context-idle", type=float, default=DEFAULT_IDLE_SECONDS, metavar="SECONDS",
                        help="forget the conversation's topic after this many idle seconds (default: 900)")
    parser.add_argument("--knowledge", type=Path, help="knowledge folder to use instead of the shipped one")
    parser.add_argument("--intents", type=Path, help="intents folder to use instead of the shipped one")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help=_DATA_DIR_HELP)
    parser.add_argument("--no-log", action="store_true",
                        help="do not log unanswered questions (also: IVIG_LOG_UNANSWERED=0); feedback is still saved")
    parser.add_argument("--version", action="version", version=f"ivig-chat {__version__}")

    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="curator commands")
    report = commands.add_parser(
        "report", help="what to improve next: unanswered questions, feedback, stale entries, close aliases",
        description="Print the curator report from the stored records and the knowledge base.")
    report.add_argument("--format", choices=("markdown", "json"), default="markdown", help="default: markdown")
    report.add_argument("--stale-days", type=_count_arg(0), default=DEFAULT_STALE_DAYS, metavar="N",
                        help=f"list entries last reviewed more than N days ago (default: {DEFAULT_STALE_DAYS})")
    report.add_argument("--top", type=_count_arg(1), default=20, metavar="N",
                        help="at most N groups of unanswered questions, N questions each (default: 20)")
    # Also accepted after the command; SUPPRESS keeps a value given before it.
    report.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=_DATA_DIR_HELP)
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
                       help="the knowledge folder (with conditions/ and references.yaml); default: the shipped one")
    check.add_argument("--stale-days", type=_count_arg(0), default=DEFAULT_STALE_DAYS, metavar="N",
                       help=f"warn about entries last reviewed more than N days ago (default: {DEFAULT_STALE_DAYS})")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")

    data = commands.add_parser("data", help="the stored records: data path, data delete",
                               description="Where ivig-chat keeps feedback and the unanswered log; delete them.")
    data_commands = data.add_subparsers(dest="data_command", metavar="{path,delete}", required=True)
    for name, text in (("path", "print the data folder"), ("delete", "delete every record and the salt")):
        sub = data_commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=_DATA_DIR_HELP)
        if name == "delete":
            sub.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return parser


def load_core(knowledge: Path | None, intents: Path | None, err: TextIO) -> AnswerCore | None:
    try:
        return AnswerCore.load(knowledge, intents)
    except DataError as exc:
        err.write("ivig-chat cannot start: the knowledge base is invalid.\n")
        for problem in exc.problems:
            err.write(f"  {problem}\n")
        return None


def _reporter(stderr: TextIO) -> Callable[[str], None]:
    def report(message: str) -> None:
        stderr.write(f"ivig-chat: {message}\n")
        stderr.flush()

    return report


def make_recorder(args: argparse.Namespace, stderr: TextIO) -> "Recorder":
    """Feedback and the unanswered log per --data-dir / --no-log; touches no disk until something is recorded."""
    from bot.storage import Recorder, unanswered_log_enabled

    return Recorder(args.data_dir, log_unanswered=unanswered_log_enabled(args.no_log), on_error=_reporter(stderr))


def feedback_json(line: str, rating: tuple[str, str | None], saved: bool, reply: str, record_id: int | None,
                  about: "AnswerSnapshot | None", core: AnswerCore) -> str:
    """The JSON line for a /good or /bad line: the contract's fields, kind "feedback", and a `feedback` object."""
    payload: dict[str, Any] = {
        "question": line, "intent": "feedback", "kind": "feedback", "conditions": [], "suggestions": [],
        "citations": [], "listing": [], "filters": {}, "message": reply, "notes": [], "disclaimer": DISCLAIMER,
        "knowledge_version": core.kb.version, "text": reply,
        "feedback": {"saved": saved, "id": record_id, "rating": rating[0], "comment": rating[1],
                     "about": about.question if about else None},
    }
    return json.dumps(payload, ensure_ascii=False)


def _run_json(core: AnswerCore, args: argparse.Namespace, stdin: TextIO, stdout: TextIO,
              recorder: "Recorder") -> int:
    from bot.storage import AnswerSnapshot

    conversation = Conversations(core, idle_seconds=args.context_idle)  # follow-ups work in a stream too
    user = local_user_id()
    last: AnswerSnapshot | None = None
    for line in stdin:
        text = line.rstrip("\r\n")
        rating = feedback_command(text)
        if rating is not None:
            saved, reply, record_id = give_feedback(recorder, last, *rating, adapter="json", user_id=user)
            stdout.write(feedback_json(text, rating, saved, reply, record_id, last, core) + "\n")
        else:
            answer = conversation.answer("json", Question(text=text))
            recorder.record_unanswered(answer, adapter="json", user_id=user)
            if answer.kind is not AnswerKind.empty:
                last = AnswerSnapshot.of(answer)
            stdout.write(answer_json(answer) + "\n")
        stdout.flush()
    return EXIT_OK


def _run_report(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from bot.report import build_report, load_rows, to_json, to_markdown
    from bot.storage import StorageError, resolve_data_dir

    core = load_core(args.knowledge, args.intents, stderr)
    if core is None:
        return EXIT_DATA
    try:
        unanswered, feedback, source = load_rows(resolve_data_dir(args.data_dir))
    except StorageError as exc:
        stderr.write(f"ivig-chat report: {exc}\n")
        return EXIT_DATA
    report = build_report(core, unanswered, feedback, source=source, stale_days=args.stale_days, top=args.top)
    stdout.write(to_json(report) + "\n" if args.format == "json" else to_markdown(report))
    return EXIT_OK


def _run_data(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from bot.storage import data_files, delete_data, resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    if args.data_command == "path":
        stdout.write(f"{data_dir}\n")
        return EXIT_OK
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


def _run_command(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    if args.ask is not None or args.json or args.discord or args.sync_commands:
        stderr.write(f"ivig-chat: `{args.command}` does not go with --ask, --json or --discord\n")
        return EXIT_DATA
    if args.command == "report":
        return _run_report(args, stdout, stderr)
    if args.command == "kb":
        from bot import kb_check

        return kb_check.run(args.directory, stdout, stale_days=args.stale_days, strict=args.strict)
    return _run_data(args, stdin, stdout, stderr)


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    args = build_parser().parse_args(argv)
    if args.command:
        return _run_command(args, stdin, stdout, stderr)
    if args.sync_commands and not args.discord:
        stderr.write("ivig-chat: --sync-commands goes with --discord\n")
        return EXIT_DATA
    core = load_core(args.knowledge, args.intents, stderr)
    if core is None:
        return EXIT_DATA
    if args.discord:
        from bot.adapters.discord_bot import run  # discord.py is imported on this path only
        from bot.storage import DATA_DIR_ENV, LOG_UNANSWERED_ENV

        # The adapter's Recorder() resolves its data folder and the log switch from the environment.
        if args.data_dir is not None:
            os.environ[DATA_DIR_ENV] = str(args.data_dir)
        if args.no_log:
            os.environ[LOG_UNANSWERED_ENV] = "0"

        return run(core=core, sync_commands=args.sync_commands, err=stderr)
    recorder = make_recorder(args, stderr)
    try:
        return _run_local(core, args, stdin, stdout, recorder)
    finally:
        recorder.close()  # writes what the unanswered log still holds; reports a storage problem once


def _run_local(core: AnswerCore, args: argparse.Namespace, stdin: TextIO, stdout: TextIO,
               recorder: "Recorder") -> int:
    if args.ask is not None:
        answer = core.answer(Question(text=args.ask))
        stdout.write((answer_json(answer) if args.json else render_text(answer)) + "\n")
        stdout.flush()
        recorder.record_unanswered(answer, adapter="ask", user_id=local_user_id())
        return EXIT_OK
    if args.json:
        return _run_json(core, args, stdin, stdout, recorder)
    user = local_user_id()
    interactive = stdin is sys.stdin and stdin.isatty() and stdout.isatty()
    if interactive:
        stdout.write(_banner(core) + "\n")
        return run_lines(core, _terminal_reader(core), stdout, interactive=True, idle_seconds=args.context_idle,
                         recorder=recorder, user_id=user)

    def read_line() -> str:
        line = stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    return run_lines(core, read_line, stdout, interactive=False, idle_seconds=args.context_idle,
                     recorder=recorder, user_id=user)


if __name__ == "__main__":
    sys.exit(main())
