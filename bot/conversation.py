"""Conversation state per key: the last answer's conditions, its "did you mean" candidates, and its pages."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from bot.models import Answer
from bot.present import Presentation
from bot.settings import DEFAULT_IDLE_SECONDS, DEFAULT_MAX_CONVERSATIONS

MAX_CONVERSATIONS = DEFAULT_MAX_CONVERSATIONS  # the least recently active are forgotten first


@dataclass
class ConversationState:
    condition_ids: tuple[str, ...] = ()  # what the last evidence answer was about: follow-ups refer to it
    offered_ids: tuple[str, ...] = ()  # the last "did you mean" or comparison candidates: a number or a reply picks
    answer: Answer | None = None  # the last answer (what /good and /bad rate, what /more details)
    question: str = ""  # that answer's question as a curator should read it
    presentation: Presentation | None = None
    page: int = 0  # the page of the short form the user is on
    last_active: float = 0.0


class Conversations:
    """Bounded, thread-safe conversation states; a key is e.g. ("discord", channel id, user id) or "repl".

    State never crosses keys, so two users in one channel, or one user in two channels, are apart. A state is
    forgotten after `idle_seconds` without a message, and the least recently used go first past `max_conversations`.
    """

    def __init__(self, idle_seconds: float = DEFAULT_IDLE_SECONDS, clock: Callable[[], float] = time.monotonic,
                 max_conversations: int = MAX_CONVERSATIONS):
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._max = max_conversations
        self._states: OrderedDict[Hashable, ConversationState] = OrderedDict()
        self._lock = threading.Lock()  # adapters answer from worker threads (the Discord bot does)

    def get(self, key: Hashable) -> ConversationState:
        """The live state of `key` (a fresh one when there is none, it went idle, or follow-ups are off)."""
        with self._lock:
            state = self._states.get(key)
            if state is None or self.idle_seconds <= 0 or self._clock() - state.last_active > self.idle_seconds:
                return ConversationState()
            return state

    def put(self, key: Hashable, state: ConversationState) -> None:
        if self.idle_seconds <= 0:
            return  # follow-ups switched off: every question stands alone
        with self._lock:
            state.last_active = self._clock()
            self._states[key] = state
            self._states.move_to_end(key)
            while len(self._states) > self._max:
                self._states.popitem(last=False)
            self._drop_idle(state.last_active)

    def _drop_idle(self, now: float) -> None:
        """Forget the states gone idle, so a long-running bot keeps only live conversations. Every put moves its
        key to the end, so the oldest activity is first: this stops at the first live state (cheap per put)."""
        while self._states:
            oldest = next(iter(self._states.values()))
            if now - oldest.last_active <= self.idle_seconds:
                return
            self._states.popitem(last=False)

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._states.pop(key, None)

    def __len__(self) -> int:
        return len(self._states)
