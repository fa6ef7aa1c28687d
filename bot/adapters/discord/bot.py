"""The Discord bot: what it asks Discord for, its shared state, its extensions, and answers in flight."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import discord
from discord.ext import commands

from bot.adapters.discord.views import DYNAMIC_ITEMS
from bot.app import make_service
from bot.core import AnswerCore
from bot.service import ChatService
from bot.settings import Settings
from bot.texts import CommandNames

log = logging.getLogger("bot.discord")

NAME = "discord"
EXTENSIONS = ("bot.adapters.discord.cogs.ask", "bot.adapters.discord.cogs.admin")
PREFIX_EXTENSION = "bot.adapters.discord.cogs.prefix"
NO_MENTIONS = discord.AllowedMentions.none()
ANSWER_THREADS = 4  # answering is CPU-bound but short; a few threads keep one slow answer from holding others
COMPLETION_THREADS = 1  # autocomplete has its own thread, so keystrokes never queue behind answers


def commands_for(settings: Settings) -> CommandNames:
    extra = ""
    if settings.discord_message_content_intent:
        p = settings.discord_command_prefix
        extra = f" Or type {p}ivig followed by your question, or {p}ivig-list."
    return CommandNames(
        help="ask me “help”", list="use /ivig-list", more="press Details", pick="press its button",
        rate="press 👍 or 👎 under it",
        commands="Use /ivig with your question (names are suggested as you type), /ivig-list for the conditions "
                 "I cover, or mention me or send me a direct message." + extra,
    )


@dataclass
class DiscordApp:
    """What the cogs share: the chat service and the settings, the thread pools, and the answers in flight."""

    service: ChatService
    settings: Settings
    recorder: object
    answer_pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(
        ANSWER_THREADS, thread_name_prefix="ivig-answer"))
    complete_pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(
        COMPLETION_THREADS, thread_name_prefix="ivig-complete"))
    in_flight: int = 0
    closing: bool = False
    started: float = field(default_factory=time.monotonic)
    answered: int = 0
    _idle: asyncio.Event | None = None

    async def run(self, pool: ThreadPoolExecutor, function: Callable, *args, **kwargs):
        return await asyncio.get_running_loop().run_in_executor(pool, lambda: function(*args, **kwargs))

    @contextlib.asynccontextmanager
    async def answering(self):
        """Counts an answer in flight, so a graceful shutdown waits for it."""
        if self._idle is None:
            self._idle = asyncio.Event()
        self.in_flight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self.in_flight -= 1
            self.answered += 1
            if self.in_flight == 0:
                self._idle.set()

    async def wait_idle(self, timeout: float) -> bool:
        """True once no answer is in flight (at once when none is); False after `timeout` seconds."""
        if self.in_flight == 0 or self._idle is None:
            return True
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
            return True
        except asyncio.TimeoutError:
            return False

    def close(self) -> None:
        self.answer_pool.shutdown(wait=False, cancel_futures=True)
        self.complete_pool.shutdown(wait=False, cancel_futures=True)


def bot_intents(settings: Settings) -> discord.Intents:
    """The least the bot needs: servers, and messages (their text only when it mentions the bot, or in DMs)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = settings.discord_message_content_intent
    return intents


class _IvigBot:
    """Behaviour shared by the plain and the sharded bot."""

    app: DiscordApp
    sync_commands_on_start: bool

    def _setup(self, app: DiscordApp, sync_commands: bool) -> None:
        self.app = app
        self.sync_commands_on_start = sync_commands

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.app.settings.discord_message_content_intent:
            await self.load_extension(PREFIX_EXTENSION)
        # After login and before the gateway connects: the one right moment to sync (never on_ready, which fires
        # again on every reconnect and would hit Discord's rate limits).
        if self.sync_commands_on_start:
            await sync_commands(self)

    async def on_ready(self) -> None:
        shards = getattr(self, "shards", None)  # only the sharded bot has them
        log.info("connected as %s (id %s) to %d server(s), shards %s", self.user, self.user.id, len(self.guilds),
                 sorted(shards) if shards else "-")

    async def on_disconnect(self) -> None:
        if not self.is_closed():  # discord.py reconnects by itself; the log says why answers may pause meanwhile
            log.warning("disconnected from Discord; reconnecting")

    async def on_resumed(self) -> None:
        log.info("reconnected to Discord")

    async def on_message(self, message: discord.Message) -> None:
        pass  # the Ask cog answers messages; prefix commands are processed by the prefix cog when enabled

    async def on_error(self, event_method: str, /, *args, **kwargs) -> None:
        log.exception("unhandled error in %s", event_method)

    async def close_gracefully(self, grace: float) -> None:
        """Stop taking questions, let answers in flight finish (at most `grace` seconds), then disconnect."""
        self.app.closing = True
        if not await self.app.wait_idle(grace):
            log.warning("closing with %d answer(s) still in flight after %.0f s", self.app.in_flight, grace)
        await self.close()


class IvigBot(_IvigBot, commands.Bot):
    pass


class ShardedIvigBot(_IvigBot, commands.AutoShardedBot):
    pass


def create_bot(core: AnswerCore, settings: Settings, *, recorder=None, intents: discord.Intents | None = None,
               clock: Callable[[], float] = time.monotonic, sync_commands: bool = False) -> IvigBot:
    """The bot with its service; extensions load in setup_hook. `intents` and `clock` are for tests."""
    # We never join voice; without this, discord.py warns about the missing voice libraries on every start.
    discord.VoiceClient.warn_nacl = False
    if hasattr(discord.VoiceClient, "warn_dave"):
        discord.VoiceClient.warn_dave = False
    service = make_service(core, settings, adapter=NAME, commands=commands_for(settings), recorder=recorder,
                           with_limits=True, clock=clock)
    app = DiscordApp(service=service, settings=settings, recorder=recorder)
    options: dict = dict(
        # Without the message content intent there are no prefix commands; when_mentioned also spares the
        # "privileged message content intent is missing" warning discord.py logs otherwise.
        command_prefix=(settings.discord_command_prefix if settings.discord_message_content_intent
                        else commands.when_mentioned),
        intents=intents or bot_intents(settings), allowed_mentions=NO_MENTIONS, help_command=None,
        owner_ids=set(settings.owner_ids) or None,
    )
    if settings.discord_shard_count is None:
        bot: IvigBot | ShardedIvigBot = IvigBot(**options)
    else:  # 0: Discord decides how many; with DISCORD_SHARD_IDS this process runs only those
        bot = ShardedIvigBot(shard_count=settings.discord_shard_count or None,
                             shard_ids=list(settings.shard_ids) if settings.shard_ids is not None else None,
                             **options)
    bot._setup(app, sync_commands)
    return bot


async def sync_commands(bot: commands.Bot) -> list[str]:
    """Publish the slash commands: to the configured servers at once (development), else globally."""
    guild_ids = bot.app.settings.sync_guild_ids
    done: list[str] = []
    if not guild_ids:
        synced = await bot.tree.sync()
        log.info("synced %d slash command(s) globally; Discord may take a while to show them", len(synced))
        return ["global"]
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
            done.append(str(guild_id))
    return done
