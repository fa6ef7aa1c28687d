"""The terminal: the interactive REPL, plain line mode when stdin is not a terminal, and one-shot --ask."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from bot import __version__
from bot.models import AnswerKind
from bot.present import page_text, pages_text
from bot.service import ChatService, Reply
from bot.texts import CommandNames

NAME = "repl"
KEY = ("repl", None, None)  # one terminal, one conversation
COMMANDS = CommandNames(
    help="type /help", list="type /list", more="type /more", pick="type its number",
    rate="type /good or /bad [comment]",
    commands="Commands: /help, /list [specialty or direction], /more, /next, /prev, /sources, /about, /good, "
             "/bad [comment], /quit.",
)
MAX_HISTORY = 500
SLASH_COMMANDS = ["/help", "/list", "/more", "/next", "/prev", "/sources", "/about", "/good", "/bad", "/quit"]


def render(reply: Reply) -> str:
    """A reply as terminal text: the page the user is on (all of the details at once), with a page marker."""
    if reply.message is not None:
        return reply.message
    if reply.presentation is None:
        return ""
    presentation = reply.presentation
    if reply.answer is not None and reply.answer.focus == "more":
        return pages_text(presentation.pages)
    text = page_text(presentation.pages[reply.page])
    if len(presentation.pages) > 1:
        text += f"\n({reply.page + 1}/{len(presentation.pages)}: /next and /prev turn the pages)"
    return text


def run(service: ChatService, read_line: Callable[[], str], out: TextIO, *, interactive: bool,
        user: str | None) -> int:
    """The loop over any line source; EOF and Ctrl-C end it cleanly, and no input ends it with a traceback."""
    while True:
        try:
            line = read_line()
        except (EOFError, KeyboardInterrupt):
            if interactive:
                out.write("\nBye.\n")
            return 0
        try:
            reply = service.handle_line(KEY, line, user=user)
        except Exception as exc:  # noqa: BLE001 - never a traceback in front of the user; the loop goes on
            out.write(service.say("apology") + f" ({type(exc).__name__})\n\n")
            out.flush()
            continue
        if reply.quit:
            if interactive:
                out.write("Bye.\n")
            return 0
        if reply.answer is not None and reply.answer.kind is AnswerKind.empty and not interactive:
            continue
        out.write(render(reply) + "\n\n")
        out.flush()


def banner(service: ChatService) -> str:
    kb = service.core.kb
    return (f"ivig-chat {__version__}: the evidence on IVIG for {len(kb.conditions)} conditions, with sources.\n"
            f"Ask a question, or {COMMANDS.commands[0].lower()}{COMMANDS.commands[1:]} Tab completes condition "
            "names.\nRate the last answer with /good or /bad [comment]; curators read these to improve the answers.\n"
            f"{service.core.disclaimer}\n")


def terminal_reader(service: ChatService) -> Callable[[], str]:
    """prompt_toolkit with history and completion; imported only on a real terminal (it writes escape codes)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import Completer, Completion
    from prompt_toolkit.history import InMemoryHistory

    class NameCompleter(Completer):
        def get_completions(self, document, complete_event):
            before = document.text_before_cursor
            if before.startswith("/") and " " not in before:
                for command in SLASH_COMMANDS:
                    if command.startswith(before.lower()):
                        yield Completion(command, start_position=-len(before))
                return
            for found in service.complete(before, limit=30):
                yield Completion(found.text, start_position=-found.replace)

    class BoundedHistory(InMemoryHistory):
        """Up-arrow recall of the last MAX_HISTORY lines; a long session's memory stays bounded."""

        def append_string(self, string: str) -> None:
            super().append_string(string)
            del self._loaded_strings[MAX_HISTORY:]
            del self._storage[:-MAX_HISTORY]

    session = PromptSession(history=BoundedHistory(), completer=NameCompleter(), complete_while_typing=False)
    return lambda: session.prompt("ivig> ")
