"""The bot itself (bot.py): what it asks Discord for, its extensions, sharding, command sync, the connection's ups
and downs in the log, and a graceful shutdown that waits for the answers in flight."""

import asyncio
import logging
import threading

import discord
import discord.ext.test as dpytest
import pytest

from bot.adapters.discord.bot import (
    EXTENSIONS,
    NO_MENTIONS,
    IvigBot,
    ShardedIvigBot,
    bot_intents,
    create_bot,
    sync_commands,
)
from bot.adapters.discord.views import DYNAMIC_ITEMS
from bot.settings import load_settings
from discord_fakes import (
    command_data,
    dispatch,
    http_error,
    interaction_payload,
    make_settings,
    mention,
    sent_messages,
    settle,
)


# --- the factory ------------------------------------------------------------------------------------------


def test_the_bot_asks_for_the_least_and_never_pings(core):
    bot = create_bot(core, make_settings())
    assert isinstance(bot, IvigBot) and not isinstance(bot, ShardedIvigBot)
    assert bot.allowed_mentions.to_dict() == NO_MENTIONS.to_dict() == {"parse": []}
    intents = bot.intents
    assert intents.guilds and intents.guild_messages and intents.dm_messages
    assert not intents.message_content and not intents.members and not intents.presences
    assert bot.help_command is None
    assert bot_intents(make_settings(discord_message_content_intent=True)).message_content


async def test_setup_loads_the_extensions_commands_and_dynamic_buttons(make_bot):
    bot = await make_bot()
    assert set(bot.extensions) == set(EXTENSIONS)
    assert set(bot.cogs) == {"Ask", "Admin"}
    assert sorted(c.name for c in bot.tree.get_commands()) == ["ivig", "ivig-admin", "ivig-list"]
    assert bot.get_command("ivig") is None  # no prefix command without the message content intent
    patterns = set(bot._connection._view_store._dynamic_items.values())
    assert patterns == set(DYNAMIC_ITEMS)


async def test_the_prefix_extension_only_with_the_message_content_intent(make_bot):
    bot = await make_bot(discord_message_content_intent=True, discord_command_prefix="?")
    assert "Prefix" in bot.cogs and bot.command_prefix == "?"
    assert bot.get_command("ivig") is not None and bot.get_command("ivig-list") is not None


def test_shard_settings_build_a_sharded_bot_with_those_shards(core, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DISCORD_SHARD_COUNT", "4")
    monkeypatch.setenv("DISCORD_SHARD_IDS", "0,2-3")
    bot = create_bot(core, load_settings())
    assert isinstance(bot, ShardedIvigBot)
    assert bot.shard_count == 4 and bot.shard_ids == [0, 2, 3]
    assert bot.allowed_mentions.to_dict() == {"parse": []}


def test_a_shard_count_alone_runs_every_shard_and_zero_lets_discord_decide(core):
    every = create_bot(core, make_settings(discord_shard_count=4))
    assert isinstance(every, ShardedIvigBot) and every.shard_count == 4 and every.shard_ids is None
    decided = create_bot(core, make_settings(discord_shard_count=0))
    assert isinstance(decided, ShardedIvigBot) and decided.shard_count is None


async def test_a_sharded_bot_loads_the_same_extensions(core, monkeypatch):
    bot = create_bot(core, make_settings(discord_shard_count=2, discord_shard_ids="1"))
    await bot.setup_hook()
    try:
        assert set(bot.cogs) == {"Ask", "Admin"}
        assert sorted(c.name for c in bot.tree.get_commands()) == ["ivig", "ivig-admin", "ivig-list"]
    finally:
        bot.app.close()


# --- commands are synced on request, after login, never in on_ready ---------------------------------------


class SyncRecorder:
    def __init__(self, refuse: set[int] | None = None):
        self.calls = []
        self.refuse = refuse or set()

    async def __call__(self, *, guild=None):
        self.calls.append(guild.id if guild else None)
        if guild is not None and guild.id in self.refuse:
            raise http_error(403, "Missing Access", 50001)
        return []


async def test_sync_to_development_guilds_or_globally(core, monkeypatch, caplog):
    bot = create_bot(core, make_settings(discord_guild_ids="11,22,33"))
    await bot.setup_hook()
    recorder = SyncRecorder(refuse={22})
    monkeypatch.setattr(bot.tree, "sync", recorder)
    with caplog.at_level(logging.INFO, logger="bot.discord"):
        assert await sync_commands(bot) == ["11", "33"]
    assert recorder.calls == [11, 22, 33]
    assert sorted(c.name for c in bot.tree.get_commands(guild=discord.Object(11))) == [
        "ivig", "ivig-admin", "ivig-list"]
    assert any("cannot sync slash commands to server 22" in r.getMessage() for r in caplog.records)
    bot.app.close()
    bot = create_bot(core, make_settings())
    monkeypatch.setattr(bot.tree, "sync", recorder)
    assert await sync_commands(bot) == ["global"] and recorder.calls[-1] is None


async def test_no_sync_unless_asked_and_never_on_ready(core, monkeypatch):
    for asked in (False, True):
        bot = create_bot(core, make_settings(), sync_commands=asked)
        recorder = SyncRecorder()
        monkeypatch.setattr(bot.tree, "sync", recorder)
        await bot.setup_hook()
        monkeypatch.setattr(type(bot), "user", property(lambda self: discord.Object(1)))
        await bot.on_ready()
        assert recorder.calls == ([None] if asked else [])
        bot.app.close()


@pytest.mark.parametrize("shards", [None, 2], ids=["plain", "sharded"])
async def test_on_ready_says_who_and_where_for_either_bot(core, monkeypatch, caplog, shards):
    bot = create_bot(core, make_settings(discord_shard_count=shards))
    monkeypatch.setattr(type(bot), "user", property(lambda self: discord.Object(42)))
    with caplog.at_level(logging.INFO, logger="bot.discord"):
        await bot.on_ready()
    (record,) = [r for r in caplog.records if r.name == "bot.discord"]
    assert "connected as" in record.getMessage() and "0 server(s)" in record.getMessage()
    bot.app.close()


# --- the connection's ups and downs -------------------------------------------------------------------------


async def test_disconnect_and_reconnect_are_logged_and_serving_goes_on(dpy_bot, caplog):
    with caplog.at_level(logging.INFO, logger="bot.discord"):
        dpy_bot.dispatch("disconnect")
        dpy_bot.dispatch("resumed")
        await dpytest.run_all_events()
    messages = [r.getMessage() for r in caplog.records if r.name == "bot.discord"]
    assert any("disconnected from Discord; reconnecting" in m for m in messages)
    assert any("reconnected to Discord" in m for m in messages)
    await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    assert sent_messages()[0].embeds


async def test_an_unhandled_event_error_is_logged_not_raised(dpy_bot, caplog):
    with caplog.at_level(logging.ERROR, logger="bot.discord"):
        try:
            raise RuntimeError("in some handler")
        except RuntimeError:
            await dpy_bot.on_error("on_something")
    (record,) = [r for r in caplog.records if r.name == "bot.discord"]
    assert "on_something" in record.getMessage() and record.exc_info


# --- graceful shutdown ----------------------------------------------------------------------------------------


class SlowCore:
    """The real core, whose answers wait until `release` is set (an answer in flight)."""

    def __init__(self, core):
        self._core = core
        self.release = threading.Event()
        self.started = threading.Event()

    def answer(self, question):
        self.started.set()
        assert self.release.wait(10), "never released"
        return self._core.answer(question)

    def __getattr__(self, name):
        return getattr(self._core, name)


async def wait_for(condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


@pytest.fixture
def closes(monkeypatch):
    """Records when a bot is closed (dpytest's fake gateway is left alone)."""
    closed: list[str] = []

    async def close(self):
        closed.append("closed")

    monkeypatch.setattr(discord.ext.commands.Bot, "close", close)
    return closed


async def test_graceful_shutdown_finishes_the_answers_in_flight_first(make_bot, core, closes, discord_http):
    slow = SlowCore(core)
    bot = await make_bot(slow)
    asking = asyncio.create_task(dpytest.message(f"{mention(bot)} IVIG for CIDP?"))
    await wait_for(lambda: bot.app.in_flight == 1)
    closing = asyncio.create_task(bot.close_gracefully(5))
    await asyncio.sleep(0.1)
    assert bot.app.closing and closes == [] and not closing.done()  # waiting for the answer
    dispatch(bot, interaction_payload(2, command_data("ivig", question="IVIG for MG?")))
    await wait_for(lambda: discord_http.replies)  # a new question meanwhile is not started: a private word
    assert discord_http.replies[-1].ephemeral and bot.app.in_flight == 1
    slow.release.set()
    await asyncio.wait_for(closing, 5)
    await asyncio.wait_for(asking, 5)
    (answer,) = sent_messages()
    assert answer.embeds[0].title.startswith("Chronic inflammatory") and closes == ["closed"]
    assert bot.app.in_flight == 0 and bot.app.answered == 1


async def test_graceful_shutdown_gives_up_after_the_grace_period(make_bot, core, closes, caplog):
    slow = SlowCore(core)
    bot = await make_bot(slow)
    asking = asyncio.create_task(dpytest.message(f"{mention(bot)} IVIG for CIDP?"))
    await wait_for(lambda: bot.app.in_flight == 1)
    with caplog.at_level(logging.WARNING, logger="bot.discord"):
        await asyncio.wait_for(bot.close_gracefully(0.1), 5)
    assert closes == ["closed"]
    assert any("1 answer(s) still in flight" in r.getMessage() for r in caplog.records)
    slow.release.set()
    await asyncio.wait_for(asking, 5)
    sent_messages()


async def test_graceful_shutdown_with_nothing_in_flight_closes_at_once(dpy_bot, closes):
    await asyncio.wait_for(dpy_bot.close_gracefully(60), 1)
    assert closes == ["closed"]
    await settle()
