"""Rate limits per user and per shared channel, counted on new questions only; the clock is injectable."""

from __future__ import annotations

import collections
import math
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

MAX_KEYS = 10_000  # keys that have not asked lately are forgotten past this, so memory stays bounded


class Cooldown:
    """At most `rate` questions per key in any `per` seconds."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.per = per
        self.clock = clock
        self._asked: dict[Hashable, collections.deque[float]] = {}
        self._warned_until: collections.OrderedDict[Hashable, float] = collections.OrderedDict()

    def wait(self, key: Hashable) -> float:
        """0 when `key` may ask now; else the seconds until it may. Counts nothing."""
        if self.per <= 0:
            return 0.0
        now = self.clock()
        asked = self._asked.get(key)
        if asked is None:
            return 0.0
        while asked and asked[0] <= now - self.per:
            asked.popleft()
        return asked[0] + self.per - now if len(asked) >= self.rate else 0.0

    def note(self, key: Hashable) -> None:
        if self.per <= 0:
            return
        now = self.clock()
        self._asked.setdefault(key, collections.deque()).append(now)
        if len(self._asked) > MAX_KEYS:
            for stale in [k for k, asked in self._asked.items() if not asked or asked[-1] <= now - self.per]:
                del self._asked[stale]

    def first_refusal(self, key: Hashable) -> bool:
        """True once per window: a user or channel that keeps asking during a cooldown is told once, not spammed."""
        now = self.clock()
        if self._warned_until.get(key, float("-inf")) > now:
            return False
        self._warned_until[key] = now + self.per
        self._warned_until.move_to_end(key)
        while len(self._warned_until) > MAX_KEYS:
            self._warned_until.popitem(last=False)
        return True


@dataclass(frozen=True)
class Refusal:
    key: str  # the response text: "cooldown" or "channel_busy"
    wait: float
    rate: int
    per: float
    tell: bool  # the first refusal in its window: say it; the later ones are dropped without a word

    def params(self) -> dict[str, str | int]:
        return {"wait": seconds_text(self.wait), "rate": self.rate, "per": seconds_text(self.per)}


def seconds_text(seconds: float) -> str:
    wait = max(1, math.ceil(seconds))
    return f"{wait} second{'s' if wait != 1 else ''}"


class RateLimits:
    """Per-user and per-channel limits. A question counts against both only when both allow it, so a flooder's
    refused questions do not use up the channel's share of everyone else."""

    def __init__(self, user_rate: int, user_per: float, channel_rate: int, channel_per: float,
                 clock: Callable[[], float] = time.monotonic):
        self.users = Cooldown(user_rate, user_per, clock)
        self.channels = Cooldown(channel_rate, channel_per, clock)
        self._lock = threading.Lock()

    def refusal(self, user: Hashable, channel: Hashable | None) -> Refusal | None:
        """None when `user` may ask a new question in `channel` (None: a DM, no channel limit); counts it then."""
        with self._lock:
            wait = self.users.wait(user)
            if wait:
                return Refusal("cooldown", wait, self.users.rate, self.users.per, self.users.first_refusal(user))
            if channel is not None:
                wait = self.channels.wait(channel)
                if wait:
                    # Everyone refused hears it once, privately; the channel itself is not told.
                    return Refusal("channel_busy", wait, self.channels.rate, self.channels.per,
                                   self.channels.first_refusal((channel, user)))
                self.channels.note(channel)
            self.users.note(user)
            return None
