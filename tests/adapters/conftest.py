"""Fixtures for the Discord adapter tests: a dpytest-driven bot, a spy on channel sends, a fake Discord HTTP side."""

import discord
import discord.ext.test as dpytest
import discord.webhook.async_ as webhook_async
import pytest
import pytest_asyncio

from bot.adapters.discord.bot import create_bot
from bot.storage import Recorder
from discord_fakes import FakeDiscordHTTP, Sent, intents_for_tests, make_settings, new_id, settle


@pytest.fixture
def channel_sends(monkeypatch) -> list[Sent]:
    """A spy on discord.abc.handle_message_parameters: dpytest drops allowed_mentions, the spy keeps them."""
    records: list[Sent] = []
    real = discord.abc.handle_message_parameters

    def spy(*args, **kwargs):
        params = real(*args, **kwargs)
        records.append(Sent(kwargs=kwargs, payload=params.payload or {}))
        return params

    monkeypatch.setattr(discord.abc, "handle_message_parameters", spy)
    return records


@pytest.fixture
def discord_http(monkeypatch) -> FakeDiscordHTTP:
    fake = FakeDiscordHTTP(bot=None)
    monkeypatch.setattr(FakeDiscordHTTP, "current", fake)
    monkeypatch.setattr(webhook_async.AsyncWebhookAdapter, "request",
                        lambda self, route, session=None, **kw: fake.request(route, session, **kw))
    return fake


@pytest_asyncio.fixture
async def make_bot(core, discord_http):
    """Build a bot with the given settings and wire it to dpytest (one guild, two text channels, three members).

    `recorder` defaults to a Recorder on this test's private data dir (IVIG_DATA_DIR); `clock` drives the rate
    limits and the conversations' idle time. Extensions load as on Discord (setup_hook). Every bot's thread pools
    and every recorder made here are closed after the test. A second call is a restart: a new process, nothing in
    memory, and dpytest's Discord now talks to it.
    """
    bots, recorders = [], []

    async def _make(core_override=None, *, recorder=None, clock=None, **settings_overrides):
        settings = make_settings(**settings_overrides)
        recorder = recorder if recorder is not None else Recorder()
        recorders.append(recorder)
        extra = {"clock": clock} if clock is not None else {}
        bot = create_bot(core_override or core, settings, intents=intents_for_tests(settings), recorder=recorder,
                         **extra)
        bots.append(bot)
        await bot._async_setup_hook()
        dpytest.configure(bot, text_channels=2, members=3)
        # dpytest swaps in a fresh connection state; give it the command tree, then load the extensions, which
        # register the dynamic buttons on that state, as login does on Discord.
        bot._connection._command_tree = bot.tree
        bot._connection.application_id = new_id()
        await bot.setup_hook()
        discord_http.bot = bot
        return bot

    yield _make
    await settle()
    await dpytest.empty_queue()
    for bot in bots:
        bot.app.close()
    for recorder in recorders:
        close = getattr(recorder, "close", None)
        if close is not None:
            close()


@pytest_asyncio.fixture
async def dpy_bot(make_bot):
    return await make_bot()
