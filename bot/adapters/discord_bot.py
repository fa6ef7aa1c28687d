"""The Discord bot: slash commands, mentions, DMs and buttons answered with the core's cited answers."""

import argparse
import asyncio
import collections
import contextlib
import logging
import signal
import sys
import time
from pathlib import Path
from typing import Callable, Optional, TextIO

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands
from pydantic import ValidationError

from bot import __version__
from bot.adapters.discord_render import (
    CHOICE_TEXT,
    embed_messages,
    plain_messages,
    shorten,
    suggestion_choices,
)
from bot.cli import load_core
from bot.core import AnswerCore
from bot.models import DIRECTION_LABELS, Answer, Direction, Question
from bot.settings import Settings
from bot.text import canonical_phrase

log = logging.getLogger("bot.discord")

EXIT_OK = 0
EXIT_NO_CONNECTION = 1
EXIT_CONFIG = 2  # as bot.cli: bad data or settings

NO_MENTIONS = discord.AllowedMentions.none()
APOLOGY = "Sorry, something went wrong while answering that. Please try again in a moment."
DEFER_AFTER_SECONDS = 1.5  # Discord drops an interaction not answered within 3 s; past this we say "thinking"
MAX_CHOICES = 25  # autocomplete choices Discord shows
TAIL_WORDS = 3  # autocomplete completes at most the last three words typed, as the REPL's completer does


# --- per-user cooldown ------------------------------------------------------------------------------------


class Cooldowns:
    """At most `rate` questions per user in any `per` seconds; the clock is injectable so tests need no waiting."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.per = per
        self.clock = clock
        self._asked: dict[int, collections.deque[float]] = {}
        self._warned_until: dict[int, float] = {}

    def retry_after(self, user_id: int) -> float:
        """0 when the user may ask now (and the question is counted); else the seconds until they may."""
        if self.per <= 0:
            return 0.0
        now = self.clock()
        asked = self._asked.setdefault(user_id, collections.deque())
        while asked and asked[0] <= now - self.per:
            asked.popleft()
        if len(asked) >= self.rate:
            return asked[0] + self.per - now
        asked.append(now)
        if len(self._asked) > 10_000:  # forget users who have not asked lately, so memory stays bounded
            self._forget_idle(now)
        return 0.0

    def first_refusal(self, user_id: int) -> bool:
        """True once per window: a user who keeps asking during a cooldown is told once, not spammed."""
        now = self.clock()
        if self._warned_until.get(user_id, float("-inf")) > now:
            return False
        self._warned_until[user_id] = now + self.per
        return True

    def _forget_idle(self, now: float) -> None:
        for user_id in [u for u, asked in self._asked.items() if not asked or asked[-1] <= now - self.per]:
            del self._asked[user_id]
            self._warned_until.pop(user_id, None)


def cooldown_text(seconds: float, settings: Settings) -> str:
    wait = max(1, round(seconds))
    return (f"One moment, please: you can ask again in {wait} second{'s' if wait != 1 else ''} "
            f"(I answer up to {settings.cooldown_questions} questions per {settings.cooldown_seconds:g} s per person).")


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


# --- "did you mean" buttons ------------------------------------------------------------------------------


class PickCondition(discord.ui.DynamicItem[discord.ui.Button], template=r"ivig:pick:(?P<condition_id>[a-z0-9-]+)"):
    """A "did you mean" button. Its custom id carries the condition id, so it still works after a restart."""

    def __init__(self, condition_id: str, label: str):
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.primary,
                                           custom_id=f"ivig:pick:{condition_id}"))
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


def suggestion_view(answer: Answer) -> Optional[discord.ui.View]:
    choices = suggestion_choices(answer)
    if not choices:
        return None
    view = discord.ui.View(timeout=None)
    for condition_id, label in choices:
        view.add_item(PickCondition(condition_id, label))
    return view


# --- answering ---------------------------------------------------------------------------------------------


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

    def __init__(self, core: AnswerCore, settings: Settings, clock: Callable[[], float] = time.monotonic):
        self.core = core
        self.settings = settings
        self.cooldowns = Cooldowns(settings.cooldown_questions, settings.cooldown_seconds, clock)
        self.defer_after = DEFER_AFTER_SECONDS

    @property
    def prefix_enabled(self) -> bool:
        return self.settings.message_content_intent

    def help_text(self) -> str:
        text = (
            "Ask in plain words, e.g. “does IVIG help myasthenia gravis?”, “IVIG in CIDP”, or several "
            "conditions at once. Typos and abbreviations are fine; when I am unsure I ask, with buttons to pick from. "
            "Use /ivig with your question (condition names are suggested as you type), /ivig-list for the "
            "conditions I cover (filter by specialty or by what the evidence says), or mention me or send me a "
            "direct message. Ask “sources” or “about” to see where the evidence comes from."
        )
        if self.prefix_enabled:
            p = self.settings.command_prefix
            text += f" Or type {p}ivig followed by your question, or {p}ivig-list."
        return text

    async def ask(self, question: Question) -> Answer:
        # The core is synchronous and CPU-bound; in a thread it cannot stall the gateway heartbeat.
        return await asyncio.to_thread(self.core.answer, question)

    # --- messages: mentions, DMs and the prefix command --------------------------------------------------

    async def answer_message(self, message: discord.Message, question: Question) -> None:
        """Answer in the message's channel; any failure is logged and the user gets a short apology."""
        try:
            wait = self.cooldowns.retry_after(message.author.id)
            if wait:
                if self.cooldowns.first_refusal(message.author.id):
                    await self._reply(message, content=cooldown_text(wait, self.settings))
                return
            answer = await self.ask(question)
            await self._send_answer_to_channel(message, answer)
        except Exception:
            log.exception("answering a message failed (%s question=%r)", _where(message), question.text[:200])
            with contextlib.suppress(discord.HTTPException):
                await self._reply(message, content=APOLOGY)

    async def _reply(self, message: discord.Message, **kwargs) -> discord.Message:
        # A reply that does not fail when the question was deleted meanwhile, and never pings (not even the asker).
        reference = message.to_reference(fail_if_not_exists=False)
        try:
            return await message.channel.send(reference=reference, allowed_mentions=NO_MENTIONS, **kwargs)
        except discord.Forbidden:
            # Replying also needs Read Message History; without it, answer in the channel all the same.
            return await message.channel.send(allowed_mentions=NO_MENTIONS, **kwargs)

    async def _send_answer_to_channel(self, message: discord.Message, answer: Answer) -> None:
        view = suggestion_view(answer)
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
        wait = self.cooldowns.retry_after(interaction.user.id)
        if wait:
            await interaction.response.send_message(cooldown_text(wait, self.settings), ephemeral=True,
                                                    allowed_mentions=NO_MENTIONS)
            return
        answer = await self._answer_before_deadline(interaction, question)
        view = suggestion_view(answer)
        batches = embed_messages(answer, self.help_text())
        for i, embeds in enumerate(batches):
            extra = {"view": view} if view is not None and i == len(batches) - 1 else {}
            if not interaction.response.is_done():
                await interaction.response.send_message(embeds=embeds, allowed_mentions=NO_MENTIONS, **extra)
            else:
                await interaction.followup.send(embeds=embeds, allowed_mentions=NO_MENTIONS, **extra)

    async def _answer_before_deadline(self, interaction: discord.Interaction, question: Question) -> Answer:
        task = asyncio.ensure_future(self.ask(question))
        done, _pending = await asyncio.wait({task}, timeout=self.defer_after)
        if not done:
            try:
                await interaction.response.defer(thinking=True)
            except Exception:
                task.cancel()
                raise
        return await task

    async def pick(self, interaction: discord.Interaction, condition_id: str) -> None:
        """A "did you mean" button: answer exactly that condition."""
        condition = self.core.kb.conditions.get(condition_id)
        if condition is None:  # the knowledge base changed since the buttons were sent
            await interaction.response.send_message("I no longer have that condition. Please ask again.",
                                                    ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        await self.answer_interaction(interaction, Question(text=condition.name, condition_ids=(condition_id,)))

    async def report_interaction_error(self, interaction: discord.Interaction, error: BaseException,
                                       what: str) -> None:
        original = getattr(error, "original", error)
        options = (interaction.data or {}).get("options") if isinstance(interaction.data, dict) else None
        log.error("%s failed (%s options=%r)", what, _where(interaction), options, exc_info=original)
        if interaction.type is discord.InteractionType.autocomplete:
            return  # an autocomplete cannot carry a message
        try:
            if interaction.response.is_done():
                await interaction.followup.send(APOLOGY, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(APOLOGY, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.warning("could not send the apology either (%s)", _where(interaction))


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
        log.error("prefix command failed (%s content=%r)", _where(ctx.message), ctx.message.content[:200],
                  exc_info=getattr(error, "original", error))
        with contextlib.suppress(discord.HTTPException):
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


def create_bot(core: Optional[AnswerCore] = None, settings: Optional[Settings] = None, *,
               intents: Optional[discord.Intents] = None) -> commands.Bot:
    """The bot with every command, handler and button registered. `intents` overrides the settings' (tests)."""
    core = core or AnswerCore.load()
    settings = settings or Settings.defaults()
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
    responder = Responder(core, settings)
    bot.responder = responder
    bot.add_dynamic_items(PickCondition)
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


def run(core: Optional[AnswerCore] = None, sync_commands: bool = False, err: Optional[TextIO] = None) -> int:
    """Run the bot until it is stopped; the exit status: 0 after a clean stop, 2 for bad settings or token."""
    err = err or sys.stderr
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
        bot = create_bot(core, settings)
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
        logging.getLogger().removeHandler(handler)
    return EXIT_OK


def main(argv: Optional[list[str]] = None) -> int:
    """The `ivig-discord` command."""
    parser = argparse.ArgumentParser(prog="ivig-discord", description="Run the ivig-chat Discord bot.")
    parser.add_argument("--sync-commands", action="store_true", help="publish the slash commands, then run")
    parser.add_argument("--knowledge", type=Path, help="knowledge folder to use instead")
    parser.add_argument("--intents", type=Path, help="intents folder to use instead")
    parser.add_argument("--version", action="version", version=f"ivig-discord {__version__}")
    args = parser.parse_args(argv)
    core = load_core(args.knowledge, args.intents, sys.stderr)
    if core is None:
        return EXIT_CONFIG
    return run(core=core, sync_commands=args.sync_commands, err=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
