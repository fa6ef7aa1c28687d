"""The adapter contract: what an adapter gives the chat service, and what it does with each reply.

An adapter (terminal, JSON lines, Discord; Slack or Matrix next) does three things only:
1. names itself and says how its users do things (`commands`: "type /list" here, "use /ivig-list" there);
2. turns its events into `ChatService` calls with a conversation key: a typed line (`handle_line`), a question
   (`ask`), a pick (`pick`, `choose`), a page turn (`turn_page`), a rating (`service.feedback`), a completion;
3. renders the `Reply` it gets back: `reply.presentation.pages[reply.page]` (sections of lines, see
   bot.present), or `reply.message` for a plain message (feedback, a refusal, an unknown command).
It never builds answers, parses lists or words messages itself. `bot.adapters.collecting` is the smallest example.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Protocol

from bot.service import Reply
from bot.texts import CommandNames


class Adapter(Protocol):
    name: str  # recorded with feedback and the unanswered log: "repl", "json", "discord" ...
    commands: CommandNames

    def render(self, reply: Reply) -> object:
        """Show one reply to its user (print it, send it, collect it)."""


def conversation_key(adapter: str, channel: Hashable | None, user: Hashable | None) -> tuple:
    """Follow-ups refer to one user's last answer in one place (a DM is a place too), never anyone else's."""
    return (adapter, channel, user)
