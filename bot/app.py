"""The composition root: settings in, the loaded core, the recorder and an adapter's chat service out."""

from __future__ import annotations

import gc
import threading
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


class LazyRecorder:
    """A recorder that imports and opens storage only when something is recorded: `--ask` and most single questions
    record nothing, and importing bot.storage is a tenth of the start-up. Anything else is the real Recorder's."""

    _UNANSWERED_KINDS = frozenset({"not_found", "clarify"})  # bot.storage's UNANSWERED_KINDS (a test keeps them equal)

    def __init__(self, settings: Settings, on_error: Callable[[str], None]):
        self._settings, self._on_error = settings, on_error
        self._recorder = None
        self._lock = threading.Lock()
        self._closed = False

    def _real(self):
        with self._lock:
            if self._recorder is None:
                self._recorder = make_recorder(self._settings, self._on_error)
                if self._closed:
                    self._recorder.close()
            return self._recorder

    def record_unanswered(self, answer, **kwargs) -> bool:
        kind = str(getattr(answer.kind, "value", answer.kind))
        if not self._settings.ivig_log_unanswered or kind not in self._UNANSWERED_KINDS:
            return False  # what the Recorder would answer, without opening storage
        return self._real().record_unanswered(answer, **kwargs)

    def close(self, *args, **kwargs) -> None:
        with self._lock:
            self._closed = True
            recorder = self._recorder
        if recorder is not None:  # never opened: nothing was recorded, so nothing is left to write
            recorder.close(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._real(), name)


_heap_settled = False


def settle_heap() -> None:
    """Once per process, move every object alive now (above all the loaded core: some 150,000 objects of knowledge,
    lexicon and indexes) out of the cyclic garbage collector's way. A chat service keeps up to 10,000 conversations,
    so full collections come every few thousand answers, and each walked the whole core again: about a tenth of the
    service's time per question. Reference counting still frees a frozen object (the core holds no cycles, so a
    core dropped on a reload is freed); only cycles that were already garbage at this moment stay. No collection
    first: that would cost `--ask` a full walk of the heap."""
    global _heap_settled
    if not _heap_settled:
        _heap_settled = True
        gc.freeze()


def make_service(core: AnswerCore, settings: Settings, *, adapter: str, commands: CommandNames, recorder=None,
                 with_limits: bool = False, clock: Callable[[], float] = time.monotonic) -> ChatService:
    settle_heap()
    limits = None
    if with_limits:
        limits = RateLimits(settings.discord_cooldown_questions, settings.discord_cooldown_seconds,
                            settings.discord_channel_cooldown_questions, settings.discord_channel_cooldown_seconds,
                            clock)
    return ChatService(core, settings, adapter=adapter, commands=commands, recorder=recorder, limits=limits,
                       clock=clock)
