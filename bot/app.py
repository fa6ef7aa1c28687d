"""The composition root: settings in, the loaded core, the recorder and an adapter's chat service out."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from bot.core import AnswerCore
from bot.knowledge import DataError
from bot.limits import RateLimits
from bot.service import ChatService
from bot.settings import Settings
from bot.texts import CommandNames

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_DATA = 2  # bad data, settings or token: one line per problem, never a traceback


def load_core(settings: Settings, err: TextIO) -> AnswerCore | None:
    """The core from the shipped data (or the configured folders); None after one line per problem."""
    from bot import startup

    knowledge, intents = settings.ivig_knowledge_dir, settings.ivig_intents_dir
    try:
        return startup.load(lambda: AnswerCore.load(knowledge, intents), knowledge, intents, settings.ivig_cache_dir)
    except DataError as exc:
        err.write("ivig-chat cannot start: the knowledge base is invalid.\n")
        for problem in exc.problems:
            err.write(f"  {problem}\n")
        return None


def reporter(err: TextIO, prefix: str = "ivig-chat") -> Callable[[str], None]:
    def report(message: str) -> None:
        try:
            err.write(f"{prefix}: {message}\n")
            err.flush()
        except (OSError, ValueError):
            pass  # a closed stderr must not take an answer down

    return report


def make_recorder(settings: Settings, on_error: Callable[[str], None]):
    """Feedback and the unanswered log where the settings say; touches nothing until something is recorded."""
    from bot.storage import Recorder

    return Recorder(settings.ivig_data_dir, database_url=settings.database_url,
                    log_unanswered=settings.ivig_log_unanswered, on_error=on_error)


def make_service(core: AnswerCore, settings: Settings, *, adapter: str, commands: CommandNames, recorder=None,
                 with_limits: bool = False, clock: Callable[[], float] = time.monotonic) -> ChatService:
    limits = None
    if with_limits:
        limits = RateLimits(settings.discord_cooldown_questions, settings.discord_cooldown_seconds,
                            settings.discord_channel_cooldown_questions, settings.discord_channel_cooldown_seconds,
                            clock)
    return ChatService(core, settings, adapter=adapter, commands=commands, recorder=recorder, limits=limits,
                       clock=clock)
