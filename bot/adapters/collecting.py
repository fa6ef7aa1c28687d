"""The smallest adapter: collects every reply as plain text; shows the contract and serves the tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.present import page_text
from bot.service import ChatService, Reply
from bot.texts import CommandNames

COMMANDS = CommandNames(help="say help", list="say list", more="say more", pick="say its number",
                        rate="say good or bad", commands="Say help, list, more, good or bad.")


@dataclass
class CollectingAdapter:
    service: ChatService
    name: str = "collecting"
    commands: CommandNames = COMMANDS
    texts: list[str] = field(default_factory=list)

    def render(self, reply: Reply) -> str:
        text = reply.message or (page_text(reply.presentation.pages[reply.page]) if reply.presentation else "")
        self.texts.append(text)
        return text

    def say(self, line: str, user: str = "tester") -> str:
        return self.render(self.service.handle_line((self.name, user), line, user=user))
