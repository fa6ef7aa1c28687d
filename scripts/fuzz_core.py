"""Fuzz the answer core with generated hostile input; prints exceptions found and the slowest input.

Run outside CI (it takes a few minutes):  .venv/bin/python scripts/fuzz_core.py [COUNT] [SEED]
"""

from __future__ import annotations

import random
import sys
import time
import traceback

from bot.core import AnswerCore
from bot.models import Answer, Question

PIECES = [
    "<@123>", "<@!9>", "<#77>", "<@&5>", "@everyone", "@here", "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff",
    "```", "```py\n", "**", "__", "||", "> ", "\\", "myasthenia gravis", "MG", "mg", "CIDP", "AD", "ITP",
    "pemphigoid", "Guillain-Barré", "haemolytic anaemia", "🙂", "👍🏽", "\x00", "\x1b[31m", "\n", "\t", "  ", "?",
    "ivig", "400 MG/kg", "ＣＩＤＰ", "ﬁ", "İ", "ß", "مرحبا", "שלום", "𝔪𝔶𝔞𝔰𝔱𝔥𝔢𝔫𝔦𝔞", "Z̴̡a̸l̷g̶o̵", "%s%n", "{0}",
    "'; DROP TABLE x; --", "../../etc/passwd", "a" * 300, "myastenia gravs", "churg straus", "and", "vs",
]


def generate(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:  # arbitrary code points
        return "".join(chr(rng.randrange(0, 0x30000)) for _ in range(rng.randrange(0, 400)))
    if kind < 0.35:  # very long pastes
        return "".join(rng.choice(PIECES) for _ in range(rng.randrange(500, 2500)))[:10_000]
    return "".join(rng.choice(PIECES) + rng.choice(["", " ", ", "]) for _ in range(rng.randrange(0, 40)))


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2026
    rng = random.Random(seed)
    core = AnswerCore.load()
    failures, slowest = 0, (0.0, "")
    started = time.perf_counter()
    for i in range(count):
        text = generate(rng)
        previous = tuple(rng.sample(sorted(core.kb.conditions), rng.randrange(0, 3)))
        began = time.perf_counter()
        try:
            answer = core.answer(Question(text=text, previous_condition_ids=previous))
            Answer.model_validate(answer.model_dump())
        except Exception:  # the point of the exercise: report every one
            failures += 1
            print(f"input {i}: {text[:200]!r}\n{traceback.format_exc()}")
        elapsed = time.perf_counter() - began
        if elapsed > slowest[0]:
            slowest = (elapsed, text)
    total = time.perf_counter() - started
    print(f"{count} inputs (seed {seed}) in {total:.1f} s: {failures} exceptions; "
          f"slowest {slowest[0] * 1000:.1f} ms for {len(slowest[1])} characters")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
