"""Conversation context: what each conversation's last answer was about, forgotten after an idle time."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from bot.core import AnswerCore
from bot.models import Answer, Question

DEFAULT_IDLE_SECONDS = 15 * 60
MAX_CONVERSATIONS = 10_000  # the least recently active are forgotten first


@dataclass(frozen=True)
class _Context:
    condition_ids: tuple[str, ...]
    last_active: float


class Conversations:
    """Answers questions within conversations; a key is e.g. ("discord", channel id, user id) or "repl".

    Context never crosses keys, so two users in one channel, or one user in two channels, are apart.
    """

    def __init__(self, core: AnswerCore, idle_seconds: float = DEFAULT_IDLE_SECONDS,
                 clock: Callable[[], float] = time.monotonic, max_conversations: int = MAX_CONVERSATIONS):
        self.core = core
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._max = max_conversations
        self._contexts: OrderedDict[Hashable, _Context] = OrderedDict()
        self._lock = threading.Lock()  # adapters answer from worker threads (the Discord bot does)

    def previous(self, key: Hashable) -> tuple[str, ...]:
        with self._lock:
            context = self._contexts.get(key)
            if context is None:
                return ()
            if self._clock() - context.last_active > self.idle_seconds:
                del self._contexts[key]
                return ()
            return context.condition_ids

    def answer(self, key: Hashable, question: Question) -> Answer:
        previous = self.previous(key)
        answer = self.core.answer(question.model_copy(update={"previous_condition_ids": previous}))
        about = tuple(c.id for c in answer.conditions) or previous  # a greeting in between keeps the topic
        if about:
            with self._lock:
                self._contexts[key] = _Context(about, self._clock())
                self._contexts.move_to_end(key)
                while len(self._contexts) > self._max:
                    self._contexts.popitem(last=False)
        return answer

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._contexts.pop(key, None)
