"""The Discord bot: slash commands, mentions, DMs and buttons answered with the core's cited answers."""

import argparse
import asyncio
import collections
import contextlib
import logging
import math
import re
import secrets
import signal
import sys
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, TextIO

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands
from pydantic import ValidationError

from bot import __version__
from bot.adapters.discord_render import (
    ACTION_ROWS,
    BUTTONS_PER_ROW,
    CHOICE_TEXT,
    embed_messages,
    plain_messages,
    shorten,
    suggestion_choices,
)
from bot.cli import load_core
from bot.conversation import Conversations
from bot.core import AnswerCore
from bot.models import DIRECTION_LABELS, Answer, AnswerKind, Direction, Question
from bot.settings import Settings
from bot.storage import MAX_TEXT_CHARS, AnswerSnapshot, Recorder, StorageError, unanswered_log_enabled
from bot.text import canonical_phrase

log = logging.getLogger("bot.discord")

EXIT_OK = 0
EXIT_NO_CONNECTION = 1
EXIT_CONFIG = 2  # as bot.cli: bad data or settings

ADAPTER = "discord"  # the adapter name in feedback and unanswered records
NO_MENTIONS = discord.AllowedMentions.none()
APOLOGY = "Sorry, something went wrong while answering that. Please try again in a moment."
DEFER_AFTER_SECONDS = 1.5  # Discord drops an interaction not answered within 3 s; past this we say "thinking"
MAX_CHOICES = 25  # autocomplete choices Discord shows
TAIL_WORDS = 3  # autocomplete completes at most the last three words typed, as the REPL's completer does

FEEDBACK_SAVED = "Thanks, your feedback is saved."
FEEDBACK_NOT_SAVED = "Sorry, your feedback could not be saved right now. Please try again later."
RATING_TOO_OLD = ("This answer is too old to rate: I keep only recent answers, and forget them when I restart. "
                  "Please ask again and rate the new answer.")
ALREADY_RATED = "You have already rated this answer. Thank you!"
GONE_CONDITION = "I no longer have that condition. Please ask again."
MAX_RATEABLE_ANSWERS = 5_000  # answers whose 👍/👎 still work; the oldest are forgotten first
RATING_TOKEN_BYTES = 6  # 12 hex characters: unguessable enough, and short inside a custom id
COMMENT_FORM_SECONDS = 30 * 60  # an open 👎 form is forgotten after this, so abandoned forms cannot pile up


# --- rate limits: per user and per server channel ----------------------------------------------------------


class Cooldowns:
    """At most `rate` questions per key (a user or a channel) in any `per` seconds; the clock is injectable so
    tests need no waiting."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.per = per
        self.clock = clock
        self._asked: dict[int, collections.deque[float]] = {}
        self._warned_until: dict[int, float] = {}

    def wait(self, key: int) -> float:
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

    def note(self, key: int) -> None:
        """Count a question of `key` now."""
        if self.per <= 0:
            return
        now = self.clock()
        self._asked.setdefault(key, collections.deque()).append(now)
        if len(self._asked) > 10_000:  # forget keys that have not asked lately, so memory stays bounded
            self._forget_idle(now)

    def retry_after(self, key: int) -> float:
        """0 when `key` may ask now (and the question is counted); else the seconds until it may."""
        wait = self.wait(key)
        if not wait:
            self.note(key)
        return wait

    def first_refusal(self, key: int) -> bool:
        """True once per window: a user or channel that keeps asking during a cooldown is told once, not spammed."""
        now = self.clock()
        if self._warned_until.get(key, float("-inf")) > now:
            return False
        self._warned_until[key] = now + self.per
        return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, asked in self._asked.items() if not asked or asked[-1] <= now - self.per]:
            del self._asked[key]
            self._warned_until.pop(key, None)


def _seconds(seconds: float) -> str:
    wait = max(1, math.ceil(seconds))
    return f"{wait} second{'s' if wait != 1 else ''}"


def cooldown_text(seconds: float, settings: Settings) -> str:
    return (f"One moment, please: you can ask again in {_seconds(seconds)} "
            f"(I answer up to {settings.cooldown_questions} questions per {settings.cooldown_seconds:g} s per person).")


def channel_busy_text(seconds: float, settings: Settings) -> str:
    return (f"This channel is busy: I answer up to {settings.channel_cooldown_questions} questions per "
            f"{settings.channel_cooldown_seconds:g} s here. Please ask again in {_seconds(seconds)}, or send me a "
            "direct message.")


@dataclass(frozen=True)
class Refusal:
    text: str
    tell: bool  # the first refusal in its window: say it; the later ones are dropped without a word


class RateLimits:
    """Per-user and per-server-channel limits. A question counts against both only when both allow it, so a
    flooder's refused questions do not use up the channel's share of everyone else."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.users = Cooldowns(settings.cooldown_questions, settings.cooldown_seconds, clock)
        self.channels = Cooldowns(settings.channel_cooldown_questions, settings.channel_cooldown_seconds, clock)

    def refusal(self, user_id: int, channel_id: Optional[int]) -> Optional[Refusal]:
        """None when the question may be answered (then it is counted); `channel_id` None (a DM): no channel limit."""
        wait = self.users.wait(user_id)
        if wait:
            return Refusal(cooldown_text(wait, self.settings), self.users.first_refusal(user_id))
        if channel_id is not None:
            wait = self.channels.wait(channel_id)
            if wait:
                return Refusal(channel_busy_text(wait, self.settings), self.channels.first_refusal(channel_id))
            self.channels.note(channel_id)
        self.users.note(user_id)
        return None


# --- autocomplete ----------------------------------------------------------------------------------------


def _starts_a_name(tail: str, names: list[str]) -> bool:
    """True when the typed words begin a run of words in one of the names (the last word may be partial)."""
    typed = canonical_phrase(tail)
    if not typed:
        return False
    for name in names:
        words = canonical_phrase(name)
        for i in range(len(words) - len(typed) + 1):
            window = words[i : i + len(typed)]
            if window[:-1] == typed[:-1] and window[-1].startswith(typed[-1]):
                return True
    return False


def question_choices(core: AnswerCore, current: str) -> list[str]:
    """Suggestions for the /ivig question: what was typed, the conditions read in it, then name completions."""
    typed = " ".join(current.split())
    if len(typed) > CHOICE_TEXT:
        return []  # a choice cannot hold it; Discord then sends what was typed
    if not typed:
        return [name for _id, name in core.matcher.names_like("", limit=MAX_CHOICES)]
    choices = [typed]
    found = core.matcher.find(typed)
    choices += [core.kb.conditions[h.condition_id].name for h in found.matches + found.ambiguous + found.suggestions]
    words = typed.split(" ")
    for size in range(min(TAIL_WORDS, len(words)), 0, -1):  # the longest typed tail that begins a name
        head, tail = " ".join(words[:-size]), " ".join(words[-size:])
        like = core.matcher.names_like(tail, limit=MAX_CHOICES)
        starting = [name for cid, name in like
                    if _starts_a_name(tail, [name, *core.kb.conditions[cid].synonyms])]
        if starting:
            choices += [f"{head} {name}".strip() for name in starting]
            break
    else:
        if len(words) == 1:  # a single word that begins no name may be a typo: the matcher's fuzzy guesses
            choices += [name for _id, name in core.matcher.names_like(typed, limit=MAX_CHOICES)]
    unique = list(dict.fromkeys(c for c in choices if 0 < len(c) <= CHOICE_TEXT))
    return unique[:MAX_CHOICES]


def specialty_choices(core: AnswerCore, current: str) -> list[app_commands.Choice[str]]:
    typed = current.strip().lower()
    return [app_commands.Choice(name=s.capitalize(), value=s) for s in core.kb.specialties if typed in s][:MAX_CHOICES]


def list_question(filters: str) -> Question:
    """/ivig-list's words (prefix command): a direction by its name or label, else a specialty."""
    words = " ".join(filters.split())
    if not words:
        return Question(text="/ivig-list", intent="list_conditions")
    for direction in Direction:
        if words.lower().replace(" ", "_") == direction.value or words.lower() == DIRECTION_LABELS[direction]:
            return Question(text=f"/ivig-list {words}", intent="list_conditions", direction=direction)
    return Question(text=f"/ivig-list {words}", intent="list_conditions", specialty=words.lower())


# --- buttons: "did you mean" and 👍/👎 ----------------------------------------------------------------------


class PickCondition(discord.ui.DynamicItem[discord.ui.Button], template=r"ivig:pick:(?P<condition_id>[a-z0-9-]+)"):
    """A "did you mean" button. Its custom id carries the condition id, so it still works after a restart."""

    def __init__(self, condition_id: str, label: str, row: Optional[int] = None):
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.primary,
                                           custom_id=f"ivig:pick:{condition_id}"), row=row)
        self.condition_id = condition_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match, /):
        return cls(match["condition_id"], item.label or match["condition_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        responder: Responder = interaction.client.responder
        try:
            await responder.pick(interaction, self.condition_id)
        except Exception as exc:  # discord.py would only log it; the user gets an apology too
            await responder.report_interaction_error(interaction, exc, f"button {self.custom_id}")


RATING_BUTTONS = {"good": ("👍", "Helpful"), "bad": ("👎", "Not helpful")}


class RateAnswer(discord.ui.DynamicItem[discord.ui.Button],
                 template=r"ivig:rate:(?P<rating>good|bad):(?P<token>[0-9a-f]{1,32})"):
    """A 👍 or 👎 under an evidence answer. Its custom id carries a random token for the answer, which is kept in
    memory only: after a restart (or once the answer is among the oldest) the press gets a polite "too old"."""

    def __init__(self, rating: str, token: str, row: Optional[int] = None):
        emoji, label = RATING_BUTTONS[rating]
        super().__init__(discord.ui.Button(emoji=emoji, label=label, style=discord.ButtonStyle.secondary,
                                           custom_id=f"ivig:rate:{rating}:{token}"), row=row)
        self.rating = rating
        self.token = token

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match, /):
        return cls(match["rating"], match["token"])

    async def callback(self, interaction: discord.Interaction) -> None:
        responder: Responder = interaction.client.responder
        try:
            await responder.rate(interaction, self.token, self.rating)
        except Exception as exc:
            await responder.report_interaction_error(interaction, exc, f"button {self.custom_id}")


DYNAMIC_ITEMS = (PickCondition, RateAnswer)


class CommentForm(discord.ui.Modal):
    """What 👎 opens: an optional comment, saved with the rating once the user submits the form."""

    def __init__(self, responder: "Responder", token: str):
        super().__init__(title="What was wrong with this answer?", timeout=COMMENT_FORM_SECONDS)
        self.responder = responder
        self.token = token
        self.comment = discord.ui.TextInput(
            label="Comment (optional)", style=discord.TextStyle.paragraph, required=False,
            max_length=MAX_TEXT_CHARS,  # what a record keeps: nothing typed is silently cut
            placeholder="e.g. a finding is missing or outdated, a citation is wrong, it misread my question",
        )
        self.add_item(self.comment)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.responder.save_feedback(interaction, self.token, "bad", self.comment.value)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await self.responder.report_interaction_error(interaction, error, "feedback form")


def may_be_rated(answer: Answer) -> bool:
    """Evidence answers get 👍/👎; a list, help or "did you mean" has nothing a curator could fix from a rating."""
    return answer.kind is AnswerKind.answer and bool(answer.conditions)


def answer_view(answer: Answer, rating_token: Optional[str] = None) -> Optional[discord.ui.View]:
    """The buttons under an answer: one per "did you mean" candidate, then 👍/👎 on a row of their own."""
    pick_rows = ACTION_ROWS - (1 if rating_token else 0)
    picks = suggestion_choices(answer, pick_rows * BUTTONS_PER_ROW)
    if not picks and not rating_token:
        return None
    view = discord.ui.View(timeout=None)
    for i, (condition_id, label) in enumerate(picks):
        view.add_item(PickCondition(condition_id, label, row=i // BUTTONS_PER_ROW))
    if rating_token:
        row = math.ceil(len(picks) / BUTTONS_PER_ROW)
        for rating in RATING_BUTTONS:
            view.add_item(RateAnswer(rating, rating_token, row=row))
    return view


@dataclass
class _Rateable:
    snapshot: AnswerSnapshot
    rated_by: set[int] = field(default_factory=set)  # users whose rating is saved or being saved


class RateableAnswers:
    """The answers whose 👍/👎 still work, by the token in the buttons' custom ids. Bounded: the oldest are
    forgotten first. Used from the event loop only, so it needs no lock."""

    def __init__(self, capacity: int = MAX_RATEABLE_ANSWERS):
        self.capacity = capacity
        self._answers: collections.OrderedDict[str, _Rateable] = collections.OrderedDict()

    def keep(self, snapshot: AnswerSnapshot) -> str:
        token = secrets.token_hex(RATING_TOKEN_BYTES)  # random, so an old button never names a newer answer
        while token in self._answers:
            token = secrets.token_hex(RATING_TOKEN_BYTES)
        self._answers[token] = _Rateable(snapshot)
        while len(self._answers) > self.capacity:
            self._answers.popitem(last=False)
        return token

    def get(self, token: str) -> Optional[_Rateable]:
        return self._answers.get(token)

    def __len__(self) -> int:
        return len(self._answers)


# --- failures on Discord's side ------------------------------------------------------------------------------


_CONNECTION_ERRORS = (discord.ConnectionClosed, aiohttp.ClientConnectionError, ConnectionError)


def discord_failure(exc: BaseException) -> Optional[str]:
    """What went wrong, when Discord refused or could not be reached (not a bug here); None otherwise."""
    if isinstance(exc, discord.Forbidden):
        return f"missing permissions (403 Forbidden: {exc.text or 'no detail'})"
    if isinstance(exc, discord.NotFound):
        return f"the channel, message or interaction is gone (404 Not Found: {exc.text or 'no detail'})"
    if isinstance(exc, discord.RateLimited) or (isinstance(exc, discord.HTTPException) and exc.status == 429):
        return "rate limited by Discord (429 Too Many Requests)"
    if isinstance(exc, discord.DiscordServerError):
        return f"Discord had a server error ({exc.status})"
    if isinstance(exc, _CONNECTION_ERRORS):
        return f"the connection to Discord dropped ({type(exc).__name__})"
    return None


def _apology_may_reach(exc: BaseException) -> bool:
    """False when an apology on the same interaction would only fail the same way (or add to a rate limit)."""
    return not (isinstance(exc, (discord.NotFound, discord.RateLimited, *_CONNECTION_ERRORS))
                or (isinstance(exc, discord.HTTPException) and exc.status == 429))


# --- answering ---------------------------------------------------------------------------------------------


_MENTION_TOKEN = re.compile(r" *<(?:@[!&]?|#)\d+> *")  # with the spaces around it


def without_mentions(text: str) -> str:
    """The text without user, role and channel mention tokens (<@123>, <@!123>, <@&123>, <#123>)."""
    return _MENTION_TOKEN.sub(" ", text).strip() if "<" in text else text


def conversation_key(channel_id: Optional[int], user_id: int) -> Hashable:
    """Follow-ups refer to one user's last answer in one channel (a DM is a channel too), never anyone else's."""
    return (ADAPTER, channel_id, user_id)


def _may_embed(channel: discord.abc.Messageable) -> bool:
    guild = getattr(channel, "guild", None)
    if guild is None or guild.me is None:
        return True  # DMs always show embeds
    return channel.permissions_for(guild.me).embed_links


def _where(interaction_or_message) -> str:
    guild = getattr(interaction_or_message, "guild", None)
    channel = getattr(interaction_or_message, "channel", None)
    user = getattr(interaction_or_message, "user", None) or getattr(interaction_or_message, "author", None)
    return (f"user={getattr(user, 'id', None)} guild={getattr(guild, 'id', None)} "
            f"channel={getattr(channel, 'id', None)}")


class Responder:
    """Turns Discord events into questions for the core and sends the answers back, safely and within limits."""

    def __init__(self, core: AnswerCore, settings: Settings, recorder: Recorder,
                 clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.conversations = Conversations(core, idle_seconds=settings.context_idle_seconds, clock=clock)
        self.limits = RateLimits(settings, clock)
        self.recorder = recorder
        self.rateable = RateableAnswers()
        self.defer_after = DEFER_AFTER_SECONDS
        self._storage_trouble_told = False
        self._storage_trouble_lock = threading.Lock()  # feedback is saved from worker threads

    @property
    def core(self) -> AnswerCore:
        return self.conversations.core

    @core.setter
    def core(self, core: AnswerCore) -> None:
        self.conversations.core = core

    @property
    def prefix_enabled(self) -> bool:
        return self.settings.message_content_intent

    def help_text(self) -> str:
        text = (
            "Ask in plain words, e.g. “does IVIG help myasthenia gravis?”, “IVIG in CIDP”, or several "
            "conditions at once. Typos and abbreviations are fine; when I am unsure I ask, with buttons to pick "
            "from. Then follow up: “how many patients?”, “is that an RCT?”, “sources?” or “compare with CIDP”. "
            "Use /ivig with your question (condition names are suggested as you type), /ivig-list for the "
            "conditions I cover (filter by specialty or by what the evidence says), or mention me or send me a "
            "direct message. Ask “about” to see where the evidence comes from. Rate an answer with 👍 or 👎: "
            "it helps the curators improve it."
        )
        if self.prefix_enabled:
            p = self.settings.command_prefix
            text += f" Or type {p}ivig followed by your question, or {p}ivig-list."
        return text

    async def ask(self, question: Question, key: Hashable) -> Answer:
        """The answer within the conversation `key`: a follow-up refers to that conversation's last answer."""
        # The core ignores mention tokens; dropping them here too keeps Discord ids out of the recorded question.
        question = question.model_copy(update={"text": without_mentions(question.text)})
        # The core is synchronous and CPU-bound; in a thread it cannot stall the gateway heartbeat.
        if self.conversations.idle_seconds <= 0:  # follow-ups switched off: every question stands alone
            return await asyncio.to_thread(self.core.answer, question)
        return await asyncio.to_thread(self.conversations.answer, key, question)

    # --- storage: never in the way of an answer ----------------------------------------------------------

    def storage_trouble(self, exc: BaseException) -> None:
        """A storage failure the recorder did not report itself: logged once, later ones at debug level only."""
        with self._storage_trouble_lock:
            first, self._storage_trouble_told = not self._storage_trouble_told, True
        if first:
            log.warning("cannot record feedback or unanswered questions (%s: %s); answers are not affected",
                        type(exc).__name__, exc)
        else:
            log.debug("storage still failing (%s: %s)", type(exc).__name__, exc)

    def _log_if_unanswered(self, answer: Answer, user_id: int) -> None:
        try:  # queued for a background writer: never blocks; the recorder skips answers that were answered
            self.recorder.record_unanswered(answer, adapter=ADAPTER, user_id=user_id)
        except Exception as exc:  # the Recorder promises not to raise; a broken one must not cost the answer
            self.storage_trouble(exc)

    def _save_rating(self, snapshot: AnswerSnapshot, rating: str, comment: Optional[str], user_id: int) -> bool:
        """In a worker thread: True once the record is committed; False when storage failed (reported once)."""
        try:
            self.recorder.record_feedback(snapshot, rating, comment or None, adapter=ADAPTER, user_id=user_id)
            return True
        except StorageError:
            return False  # the recorder has reported it
        except Exception as exc:
            self.storage_trouble(exc)
            return False

    def _buttons(self, answer: Answer) -> Optional[discord.ui.View]:
        token = self.rateable.keep(AnswerSnapshot.of(answer)) if may_be_rated(answer) else None
        return answer_view(answer, token)

    # --- messages: mentions, DMs and the prefix command --------------------------------------------------

    async def answer_message(self, message: discord.Message, question: Question) -> None:
        """Answer in the message's channel. A failure is logged (Discord's refusals in one line), the asker gets an
        apology when it can reach them, and the bot goes on serving."""
        try:
            channel_id = message.channel.id if message.guild is not None else None
            refusal = self.limits.refusal(message.author.id, channel_id)
            if refusal is not None:
                if refusal.tell:
                    await self._reply(message, content=refusal.text)
                return
            answer = await self.ask(question, conversation_key(message.channel.id, message.author.id))
            self._log_if_unanswered(answer, message.author.id)
            await self._send_answer_to_channel(message, answer)
        except Exception as exc:
            failure = discord_failure(exc)
            if failure is not None:  # the channel or Discord refused: an apology would meet the same refusal
                log.warning("could not answer a message: %s (%s)", failure, _where(message))
                return
            log.exception("answering a message failed (%s question=%r)", _where(message), question.text[:200])
            try:
                await self._reply(message, content=APOLOGY)
            except Exception as again:
                log.warning("could not send the apology either (%s: %s)", type(again).__name__, _where(message))

    async def _reply(self, message: discord.Message, **kwargs) -> discord.Message:
        # A reply that does not fail when the question was deleted meanwhile, and never pings (not even the asker).
        reference = message.to_reference(fail_if_not_exists=False)
        try:
            return await message.channel.send(reference=reference, allowed_mentions=NO_MENTIONS, **kwargs)
        except discord.Forbidden:
            # Replying also needs Read Message History; without it, answer in the channel all the same.
            return await message.channel.send(allowed_mentions=NO_MENTIONS, **kwargs)

    async def _send_answer_to_channel(self, message: discord.Message, answer: Answer) -> None:
        view = self._buttons(answer)
        if _may_embed(message.channel):
            batches = [{"embeds": embeds} for embeds in embed_messages(answer, self.help_text())]
        else:
            batches = [{"content": text} for text in plain_messages(answer, self.help_text())]
        for i, batch in enumerate(batches):
            if view is not None and i == len(batches) - 1:
                batch["view"] = view
            if i == 0:
                await self._reply(message, **batch)
            else:
                await message.channel.send(allowed_mentions=NO_MENTIONS, **batch)

    # --- interactions: slash commands and buttons -----------------------------------------------------

    async def answer_interaction(self, interaction: discord.Interaction, question: Question) -> None:
        channel_id = interaction.channel_id if interaction.guild_id is not None else None
        refusal = self.limits.refusal(interaction.user.id, channel_id)
        if refusal is not None:  # an interaction must be answered: privately, so only the asker sees it
            await self._say_privately(interaction, refusal.text)
            return
        key = conversation_key(interaction.channel_id, interaction.user.id)
        answer = await self._within_deadline(interaction, self.ask(question, key))
        self._log_if_unanswered(answer, interaction.user.id)
        view = self._buttons(answer)
        batches = embed_messages(answer, self.help_text())
        for i, embeds in enumerate(batches):
            extra = {"view": view} if view is not None and i == len(batches) - 1 else {}
            if not interaction.response.is_done():
                await interaction.response.send_message(embeds=embeds, allowed_mentions=NO_MENTIONS, **extra)
            else:
                await interaction.followup.send(embeds=embeds, allowed_mentions=NO_MENTIONS, **extra)

    async def _within_deadline(self, interaction: discord.Interaction, work, *, ephemeral: bool = False):
        """Await `work`; when it takes longer than `defer_after`, first tell Discord we are on it ("thinking…")."""
        task = asyncio.ensure_future(work)
        done, _pending = await asyncio.wait({task}, timeout=self.defer_after)
        if not done:
            try:
                await interaction.response.defer(thinking=True, ephemeral=ephemeral)
            except Exception:
                task.cancel()
                raise
        return await task

    async def _say_privately(self, interaction: discord.Interaction, text: str) -> None:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def pick(self, interaction: discord.Interaction, condition_id: str) -> None:
        """A "did you mean" button: answer exactly that condition."""
        condition = self.core.kb.conditions.get(condition_id)
        if condition is None:  # the knowledge base changed since the buttons were sent
            await self._say_privately(interaction, GONE_CONDITION)
            return
        await self.answer_interaction(interaction, Question(text=condition.name, condition_ids=(condition_id,)))

    # --- feedback: 👍 saves at once, 👎 asks for an optional comment first --------------------------------

    async def rate(self, interaction: discord.Interaction, token: str, rating: str) -> None:
        rateable = self.rateable.get(token)
        if rateable is None:
            await self._say_privately(interaction, RATING_TOO_OLD)
        elif interaction.user.id in rateable.rated_by:
            await self._say_privately(interaction, ALREADY_RATED)
        elif rating == "bad":
            await interaction.response.send_modal(CommentForm(self, token))
        else:
            await self.save_feedback(interaction, token, rating, None)

    async def save_feedback(self, interaction: discord.Interaction, token: str, rating: str,
                            comment: Optional[str]) -> None:
        """Save the rating, then say thanks (privately); the thanks comes only once the record is on disk."""
        rateable = self.rateable.get(token)
        user_id = interaction.user.id
        if rateable is None:  # forgotten while the comment form was open
            await self._say_privately(interaction, RATING_TOO_OLD)
            return
        if user_id in rateable.rated_by:  # e.g. two forms open at once
            await self._say_privately(interaction, ALREADY_RATED)
            return
        rateable.rated_by.add(user_id)  # before saving: a double click saves once
        saving = asyncio.to_thread(self._save_rating, rateable.snapshot, rating, comment, user_id)
        saved = await self._within_deadline(interaction, saving, ephemeral=True)
        if not saved:
            rateable.rated_by.discard(user_id)  # nothing was saved: they may try again
        await self._say_privately(interaction, FEEDBACK_SAVED if saved else FEEDBACK_NOT_SAVED)

    async def report_interaction_error(self, interaction: discord.Interaction, error: BaseException,
                                       what: str) -> None:
        original = getattr(error, "original", error)
        failure = discord_failure(original)
        if failure is not None:
            log.warning("%s: could not answer: %s (%s)", what, failure, _where(interaction))
            if not _apology_may_reach(original):
                return
        else:
            options = (interaction.data or {}).get("options") if isinstance(interaction.data, dict) else None
            log.error("%s failed (%s options=%r)", what, _where(interaction), options, exc_info=original)
        if interaction.type is discord.InteractionType.autocomplete:
            return  # an autocomplete cannot carry a message
        try:
            await self._say_privately(interaction, APOLOGY)
        except Exception as again:
            log.warning("could not send the apology either (%s: %s)", type(again).__name__, _where(interaction))


# --- the bot -----------------------------------------------------------------------------------------------


class _IvigBotMixin:
    """Event handlers shared by the plain and the sharded bot."""

    responder: Responder
    sync_commands_on_start: bool = False

    async def setup_hook(self) -> None:
        # Runs after login and before the gateway connects: the one right moment to sync (never on_ready,
        # which fires again on every reconnect and would hit Discord's rate limits).
        if self.sync_commands_on_start:
            await sync_commands(self)

    async def on_ready(self) -> None:
        log.info("connected as %s (id %s) to %d server(s)", self.user, self.user.id, len(self.guilds))

    async def on_disconnect(self) -> None:
        # discord.py reconnects by itself; the log says why answers may pause meanwhile.
        if not self.is_closed():
            log.warning("disconnected from Discord; reconnecting")

    async def on_resumed(self) -> None:
        log.info("reconnected to Discord")

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:  # other bots, and this bot itself: never answer, never loop
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        if self.responder.prefix_enabled:
            context = await self.get_context(message)
            if context.command is not None:  # "!other" is not ours: it may still be a DM or a mention
                await self.invoke(context)
                return
        if self.addressed(message):
            await self.responder.answer_message(message, Question(text=message.content))

    def addressed(self, message: discord.Message) -> bool:
        """A DM, or a message that mentions this bot by name or by its own role. @everyone and @here do not count
        (`user.mentioned_in` would say they do)."""
        if message.guild is None:
            return True
        me = self.user
        if any(user.id == me.id for user in message.mentions):
            return True
        return any(role.is_bot_managed() and role.tags and role.tags.bot_id == me.id
                   for role in message.role_mentions)

    async def on_command_error(self, ctx: commands.Context, error: commands.CommandError) -> None:
        if isinstance(error, commands.CommandNotFound):
            return  # "!something" meant for another bot
        original = getattr(error, "original", error)
        failure = discord_failure(original)
        if failure is not None:
            log.warning("prefix command could not answer: %s (%s)", failure, _where(ctx.message))
            return
        log.error("prefix command failed (%s content=%r)", _where(ctx.message), ctx.message.content[:200],
                  exc_info=original)
        with contextlib.suppress(Exception):
            await ctx.send(APOLOGY, allowed_mentions=NO_MENTIONS)

    async def on_error(self, event_method: str, /, *args, **kwargs) -> None:
        log.exception("unhandled error in %s", event_method)


class IvigBot(_IvigBotMixin, commands.Bot):
    pass


class ShardedIvigBot(_IvigBotMixin, commands.AutoShardedBot):
    pass


def bot_intents(settings: Settings) -> discord.Intents:
    """The least the bot needs: servers, and messages (their text only when it mentions the bot, or in DMs)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = settings.message_content_intent
    return intents


def default_recorder() -> Recorder:
    """Feedback and the unanswered log in $IVIG_DATA_DIR (else the platform's data folder); nothing touches the
    disk until the first record. A storage problem is logged once."""
    return Recorder(log_unanswered=unanswered_log_enabled(), on_error=log.warning)


def create_bot(core: Optional[AnswerCore] = None, settings: Optional[Settings] = None, *,
               intents: Optional[discord.Intents] = None, recorder: Optional[Recorder] = None,
               clock: Callable[[], float] = time.monotonic) -> commands.Bot:
    """The bot with every command, handler and button registered. `intents` overrides the settings' (tests);
    `recorder` keeps feedback and the unanswered log (default: `default_recorder()`; whoever runs the bot closes
    it); `clock` drives the rate limits and the conversations' idle time (tests)."""
    core = core or AnswerCore.load()
    settings = settings or Settings.defaults()
    recorder = recorder or default_recorder()
    # We never join voice; without this, discord.py warns about the missing voice libraries on every start.
    discord.VoiceClient.warn_nacl = False
    if hasattr(discord.VoiceClient, "warn_dave"):
        discord.VoiceClient.warn_dave = False
    options = dict(
        # Without the message content intent there are no prefix commands; when_mentioned also spares the
        # "privileged message content intent is missing" warning discord.py logs otherwise.
        command_prefix=settings.command_prefix if settings.message_content_intent else commands.when_mentioned,
        intents=intents or bot_intents(settings),
        allowed_mentions=NO_MENTIONS,
        help_command=None,
    )
    if settings.shard_count is None:
        bot = IvigBot(**options)
    else:
        bot = ShardedIvigBot(shard_count=settings.shard_count or None, **options)
    responder = Responder(core, settings, recorder, clock)
    bot.responder = responder
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    _add_slash_commands(bot, responder)
    if settings.message_content_intent:
        _add_prefix_commands(bot, responder)
    return bot


def _add_slash_commands(bot: commands.Bot, responder: Responder) -> None:
    core = responder.core

    @bot.tree.command(name="ivig", description="What is the evidence that IVIG works in a condition? Cited answer.")
    @app_commands.describe(question="Your question or a condition, e.g. “does IVIG help myasthenia gravis?”")
    async def ivig(interaction: discord.Interaction, question: str) -> None:
        await responder.answer_interaction(interaction, Question(text=question))

    @ivig.autocomplete("question")
    async def complete_question(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        try:
            texts = await asyncio.to_thread(question_choices, core, current)
        except Exception as exc:  # a failed autocomplete must not leave the user's typing stuck
            await responder.report_interaction_error(interaction, exc, "/ivig autocomplete")
            return []
        return [app_commands.Choice(name=text, value=text) for text in texts]

    directions = [app_commands.Choice(name=shorten(DIRECTION_LABELS[d], CHOICE_TEXT), value=d.value)
                  for d in Direction]

    @bot.tree.command(name="ivig-list",
                      description="The conditions I cover, by specialty or by what the evidence says.")
    @app_commands.describe(specialty="only this specialty", direction="only conditions with a finding of this kind")
    @app_commands.choices(direction=directions)
    async def ivig_list(interaction: discord.Interaction, specialty: Optional[str] = None,
                        direction: Optional[str] = None) -> None:
        question = Question(
            text=" ".join(["/ivig-list", specialty or "", direction or ""]).strip(),
            intent="list_conditions",
            specialty=specialty.strip().lower() if specialty and specialty.strip() else None,
            direction=Direction(direction) if direction else None,
        )
        await responder.answer_interaction(interaction, question)

    @ivig_list.autocomplete("specialty")
    async def complete_specialty(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return specialty_choices(core, current)

    @bot.tree.error
    async def on_app_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        name = interaction.command.qualified_name if interaction.command else "?"
        await responder.report_interaction_error(interaction, error, f"/{name}")


def _add_prefix_commands(bot: commands.Bot, responder: Responder) -> None:
    @bot.command(name="ivig")
    async def ivig(ctx: commands.Context, *, question: str = "") -> None:
        await responder.answer_message(ctx.message, Question(text=question))

    @bot.command(name="ivig-list")
    async def ivig_list(ctx: commands.Context, *, filters: str = "") -> None:
        await responder.answer_message(ctx.message, list_question(filters))


async def sync_commands(bot: commands.Bot) -> None:
    """Publish the slash commands: to the configured servers at once (development), else globally."""
    guild_ids = bot.responder.settings.sync_guild_ids
    if not guild_ids:
        synced = await bot.tree.sync()
        log.info("synced %d slash command(s) globally; Discord may take a while to show them", len(synced))
        return
    for guild_id in guild_ids:
        guild = discord.Object(id=guild_id)
        bot.tree.copy_global_to(guild=guild)
        try:
            synced = await bot.tree.sync(guild=guild)
        except discord.Forbidden:
            log.error("cannot sync slash commands to server %s: the bot is not in it, or was invited without "
                      "the applications.commands scope", guild_id)
        else:
            log.info("synced %d slash command(s) to server %s", len(synced), guild_id)


# --- running -----------------------------------------------------------------------------------------------


async def _serve(bot: commands.Bot, token: str) -> None:
    """Run until closed; SIGTERM and SIGINT close the connection cleanly instead of killing it mid-answer."""
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task] = set()  # keeps the close task alive until it is done

    def shut_down() -> None:
        log.info("shutting down")
        task = loop.create_task(bot.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, shut_down)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or Windows: Ctrl-C still ends the run through KeyboardInterrupt
    try:
        async with bot:
            await bot.start(token)
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def _log_to(stream: TextIO, level: str) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(level)
    # discord.py's own INFO lines are noise for operators; its warnings and errors still show.
    logging.getLogger("discord").setLevel(level if level == "DEBUG" else "WARNING")
    return handler


def load_settings(err: TextIO) -> Optional[Settings]:
    """Settings from the environment and .env, or None after one line per problem (values are never echoed)."""
    try:
        return Settings()
    except ValidationError as exc:
        for problem in exc.errors():
            name = Settings.env_name(str(problem["loc"][0])) if problem["loc"] else "settings"
            err.write(f"ivig-chat: {name}: {problem['msg']}\n")
        return None


def run(core: Optional[AnswerCore] = None, sync_commands: bool = False, err: Optional[TextIO] = None,
        recorder: Optional[Recorder] = None) -> int:
    """Run the bot until it is stopped; the exit status: 0 after a clean stop, 2 for bad settings or token.

    The recorder (default: `default_recorder()`) is closed on the way out, whatever the exit: what the unanswered
    log still holds is written, within a few seconds.
    """
    err = err or sys.stderr
    recorder = recorder or default_recorder()
    try:
        return _run(core, sync_commands, err, recorder)
    finally:
        recorder.close()  # a no-op when _run closed it already


def _run(core: Optional[AnswerCore], sync_commands: bool, err: TextIO, recorder: Recorder) -> int:
    settings = load_settings(err)
    if settings is None:
        return EXIT_CONFIG
    if not settings.has_token:
        err.write("ivig-chat: DISCORD_TOKEN is not set; put the bot token in the environment or in a .env file "
                  "(see .env.example).\n")
        return EXIT_CONFIG
    core = core or AnswerCore.load()
    handler = _log_to(err, settings.log_level)
    try:
        bot = create_bot(core, settings, recorder=recorder)
        bot.sync_commands_on_start = sync_commands
        asyncio.run(_serve(bot, settings.token.get_secret_value()))
    except discord.LoginFailure:
        err.write("ivig-chat: Discord rejected DISCORD_TOKEN; copy a fresh token from the Developer Portal "
                  "(your application, Bot page, Reset Token).\n")
        return EXIT_CONFIG
    except discord.PrivilegedIntentsRequired:
        err.write("ivig-chat: Discord refused the message content intent; enable it on the Developer Portal's "
                  "Bot page, or set DISCORD_MESSAGE_CONTENT_INTENT=false.\n")
        return EXIT_CONFIG
    except (aiohttp.ClientError, OSError, discord.GatewayNotFound, discord.HTTPException) as exc:
        err.write(f"ivig-chat: cannot reach Discord ({type(exc).__name__}); check the network and try again.\n")
        return EXIT_NO_CONNECTION
    except KeyboardInterrupt:
        pass  # Ctrl-C where no signal handler could be installed
    finally:
        recorder.close()  # while the log handler is still there, so a last storage problem is seen
        logging.getLogger().removeHandler(handler)
    return EXIT_OK


def main(argv: Optional[list[str]] = None) -> int:
    """The `ivig-discord` command."""
    parser = argparse.ArgumentParser(prog="ivig-discord", description="Run the ivig-chat Discord bot.")
    parser.add_argument("--sync-commands", action="store_true", help="publish the slash commands, then run")
    parser.add_argument("--knowledge", type=Path, help="knowledge folder to use instead")
    parser.add_argument("--intents", type=Path, help="intents folder to use instead")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="where feedback and the unanswered-question log are kept (default: $IVIG_DATA_DIR, "
                             "else the platform's user data folder, e.g. ~/.local/share/ivig-chat)")
    parser.add_argument("--no-log", action="store_true",
                        help="do not log unanswered questions (also: IVIG_LOG_UNANSWERED=0); feedback is still saved")
    parser.add_argument("--version", action="version", version=f"ivig-discord {__version__}")
    args = parser.parse_args(argv)
    core = load_core(args.knowledge, args.intents, sys.stderr)
    if core is None:
        return EXIT_CONFIG
    recorder = Recorder(args.data_dir, log_unanswered=unanswered_log_enabled(args.no_log), on_error=log.warning)
    return run(core=core, sync_commands=args.sync_commands, err=sys.stderr, recorder=recorder)


if __name__ == "__main__":
    sys.exit(main())
