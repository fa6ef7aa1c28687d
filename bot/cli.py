"""Command line: the `ivig-chat` REPL, one-shot `--ask`, the `--json` line protocol, and `--discord`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable, TextIO

from bot import __version__
from bot.conversation import DEFAULT_IDLE_SECONDS, Conversations
from bot.core import COMMANDS, AnswerCore
from bot.knowledge import DataError
from bot.models import Answer, AnswerKind, Direction, Question
from bot.render import render_text

EXIT_OK = 0
EXIT_DATA = 2

_SLASH_INTENTS = {"/help": "help", "/about": "about", "/sources": "sources", "/list": "list_conditions"}
_QUIT = {"/quit", "/exit", "/q"}


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
        answer = self.conversations.answer(self.KEY, question)
        if answer.kind is AnswerKind.clarify or answer.suggestions:
            self.last_suggestions = [s.id for s in answer.suggestions]
        else:
            self.last_suggestions = []
        return answer


def _unknown_command_note(line: str) -> str | None:
    command = line.strip().split(" ")[0].lower()
    if command.startswith("/") and command not in _SLASH_INTENTS and command not in _QUIT:
        return f"Unknown command {command}. Commands: {COMMANDS}."
    return None


def run_lines(core: AnswerCore, read_line: Callable[[], str], out: TextIO, interactive: bool,
              idle_seconds: float = DEFAULT_IDLE_SECONDS) -> int:
    """The REPL loop over any line source; EOF and Ctrl-C end it cleanly."""
    session = Session(core, idle_seconds)
    while True:
        try:
            line = read_line()
        except (EOFError, KeyboardInterrupt):
            if interactive:
                out.write("\nBye.\n")
            return EXIT_OK
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
    commands = ["/help", "/list", "/sources", "/about", "/quit"]

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
        "Answers summarise published evidence; they are not medical advice.\n"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ivig-chat",
        description="Cited answers on whether IVIG works, condition by condition.",
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
    parser.add_argument("--version", action="version", version=f"ivig-chat {__version__}")
    return parser


def load_core(knowledge: Path | None, intents: Path | None, err: TextIO) -> AnswerCore | None:
    try:
        return AnswerCore.load(knowledge, intents)
    except DataError as exc:
        err.write("ivig-chat cannot start: the knowledge base is invalid.\n")
        for problem in exc.problems:
            err.write(f"  {problem}\n")
        return None


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    args = build_parser().parse_args(argv)
    if args.sync_commands and not args.discord:
        stderr.write("ivig-chat: --sync-commands goes with --discord\n")
        return EXIT_DATA
    core = load_core(args.knowledge, args.intents, stderr)
    if core is None:
        return EXIT_DATA
    if args.discord:
        from bot.adapters.discord_bot import run  # discord.py is imported on this path only

        return run(core=core, sync_commands=args.sync_commands, err=stderr)
    if args.ask is not None:
        answer = core.answer(Question(text=args.ask))
        stdout.write((answer_json(answer) if args.json else render_text(answer)) + "\n")
        return EXIT_OK
    if args.json:
        conversation = Conversations(core, idle_seconds=args.context_idle)  # follow-ups work in a stream too
        for line in stdin:
            answer = conversation.answer("json", Question(text=line.rstrip("\r\n")))
            stdout.write(answer_json(answer) + "\n")
            stdout.flush()
        return EXIT_OK
    interactive = stdin is sys.stdin and stdin.isatty() and stdout.isatty()
    if interactive:
        stdout.write(_banner(core) + "\n")
        return run_lines(core, _terminal_reader(core), stdout, interactive=True, idle_seconds=args.context_idle)

    def read_line() -> str:
        line = stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    return run_lines(core, read_line, stdout, interactive=False, idle_seconds=args.context_idle)


if __name__ == "__main__":
    sys.exit(main())
