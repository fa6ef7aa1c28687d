"""Figures of issue 11 (answers that fit a chat) for bench_core.py: characters per single-condition short answer,
and the messages the Discord adapter sends for a question naming 1, 3, 10 or all conditions.

Short answers are built as tests/present/test_short_form.py builds them (the condition picked by id, presented with
the terminal's command names, `pages_text` of the short pages), and sized the same way (median; p90 as
`sizes[int(0.9 * (n - 1))]`).

Discord messages are counted by running the adapter itself: the real `Ask` cog of a bot made by `create_bot` (no
login) answers a message (`Ask.answer_message`, a DM, a new user each time so that no rate limit applies) whose
channel counts every `send` and keeps what was sent. No storage: the answers go out without rating buttons, which
changes their buttons, not their messages.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import statistics
from types import SimpleNamespace


def short_answer_sizes(core) -> dict:
    from bot.adapters.terminal import COMMANDS
    from bot.models import Question
    from bot.present import pages_text, present

    sizes: dict[str, dict] = {}
    for cid, cond in core.kb.conditions.items():
        answer = core.answer(Question(text=cond.name, condition_ids=(cid,)))
        presentation = present(answer, core.texts, COMMANDS)
        text = pages_text(presentation.pages)
        sizes[cid] = {"chars": len(text), "lines": len(text.splitlines()), "pages": len(presentation.pages)}
    chars = sorted(s["chars"] for s in sizes.values())
    longest = max(sizes, key=lambda c: sizes[c]["chars"])
    return {
        "conditions": len(sizes),
        "p50": statistics.median(chars),
        "p90": chars[int(0.9 * (len(chars) - 1))],
        "max": chars[-1], "min": chars[0],
        "longest": longest,
        "over_1100": sum(c > 1100 for c in chars),
        "over_2000": sum(c > 2000 for c in chars),
        "max_lines": max(s["lines"] for s in sizes.values()),
        "more_than_one_page": sum(s["pages"] > 1 for s in sizes.values()),
    }


# --- questions naming several conditions --------------------------------------------------------------------------


def _answers_exactly(core, text: str, cid: str) -> bool:
    from bot.models import Question

    answer = core.answer(Question(text=text))
    return answer.kind.value == "answer" and [c.id for c in answer.conditions] == [cid]


def shortest_terms(core) -> dict[str, str]:
    """Per condition, its shortest name, synonym or abbreviation that, asked alone, answers exactly that condition
    (the condition's name when none does)."""
    out = {}
    for cid, cond in core.kb.conditions.items():
        terms = sorted({t for kind, t in cond.terms() if kind in ("name", "synonyms", "abbreviations")},
                       key=lambda t: (len(t), t))
        out[cid] = next((t for t in terms if _answers_exactly(core, t, cid)), cond.name)
    return out


def naming_questions(core, seed: int = 23) -> list[tuple[str, int, str]]:
    """(label, conditions named, question): every condition alone by its name; 20 groups of 3 and of 10 names;
    and one question naming every condition by its shortest term."""
    rng = random.Random(seed)
    names = [c.name for c in core.kb.conditions.values()]
    out = [("1", 1, f"IVIG for {name}?") for name in names]
    for count in (3, 10):
        for _ in range(20):
            group = rng.sample(names, count)
            out.append((str(count), count, f"IVIG in {', '.join(group[:-1])} and {group[-1]}?"))
    terms = list(shortest_terms(core).values())
    out.append(("all", len(terms), ", ".join(terms)))
    return out


class _Channel:
    """A DM channel that counts what the adapter sends."""

    def __init__(self, channel_id: int):
        self.id = channel_id
        self.guild = None
        self.sent: list[dict] = []
        self._ids = itertools.count(10_000)

    async def send(self, content=None, **kwargs):
        self.sent.append({"content": content, **kwargs})
        return SimpleNamespace(id=next(self._ids), channel=self)


class _Message:
    def __init__(self, text: str, author_id: int, channel: _Channel):
        self.content = text
        self.author = SimpleNamespace(id=author_id, bot=False)
        self.channel = channel
        self.guild = None

    def to_reference(self, fail_if_not_exists: bool = True):
        return None


def _characters(sent: dict) -> int:
    if sent.get("embeds"):
        return sum(len(e) for e in sent["embeds"])
    return len(sent.get("content") or "")


async def _discord_counts(core, questions) -> list[dict]:
    from bot.adapters.discord.bot import create_bot
    from bot.adapters.discord.cogs.ask import Ask
    from bot.settings import Settings

    bot = create_bot(core, Settings.defaults(), recorder=None)
    cog = Ask(bot)
    rows = []
    try:
        for n, (label, named, text) in enumerate(questions):
            channel = _Channel(1_000 + n)
            await cog.answer_message(_Message(text, 5_000 + n, channel), text)
            state = bot.app.service.last(("discord", channel.id, 5_000 + n))
            answer, presentation = state.answer, state.presentation
            views = [s.get("view") for s in channel.sent]
            rows.append({
                "label": label, "named": named, "question_chars": len(text),
                "answered": len(answer.conditions) if answer is not None else 0,
                "kind": answer.kind.value if answer is not None else "-",
                "pages": len(presentation.pages) if presentation is not None else 0,
                "messages": len(channel.sent),
                "chars_sent": max((_characters(s) for s in channel.sent), default=0),
                "embeds": max((len(s.get("embeds") or []) for s in channel.sent), default=0),
                "page_buttons": any(v is not None and getattr(v, "page_ids", lambda: ())() for v in views),
            })
    finally:
        bot.app.close()
    return rows


def discord_messages(core) -> dict:
    """Per group of questions (1, 3, 10, all conditions named): messages sent, pages, characters, answered."""
    from bot.text import MAX_QUESTION_CHARS

    rows = asyncio.run(_discord_counts(core, naming_questions(core)))
    groups: dict[str, dict] = {}
    for label in ("1", "3", "10", "all"):
        mine = [r for r in rows if r["label"] == label]
        groups[label] = {
            "questions": len(mine),
            "named": mine[0]["named"],
            "question_chars_max": max(r["question_chars"] for r in mine),
            "answered_min": min(r["answered"] for r in mine), "answered_max": max(r["answered"] for r in mine),
            "kinds": sorted({r["kind"] for r in mine}),
            "pages_max": max(r["pages"] for r in mine), "pages_min": min(r["pages"] for r in mine),
            "messages_max": max(r["messages"] for r in mine), "messages_min": min(r["messages"] for r in mine),
            "chars_sent_max": max(r["chars_sent"] for r in mine),
            "embeds_max": max(r["embeds"] for r in mine),
            "with_page_buttons": sum(r["page_buttons"] for r in mine),
        }
    groups["all"]["read_limit"] = MAX_QUESTION_CHARS
    return groups
