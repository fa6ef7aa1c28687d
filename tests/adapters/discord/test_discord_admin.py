"""Owner-only admin commands (/ivig-admin sync|reload|stats): refused to anyone else, the knowledge base reloaded
without a restart, an invalid base on disk refused with its problems while the old one keeps answering."""

import logging
import shutil

import discord.ext.test as dpytest
import pytest

from bot.core import AnswerCore
from bot.knowledge import DataError
from bot.paths import knowledge_dir
from discord_fakes import mention, sent_messages, slash


@pytest.fixture
def knowledge_copy(tmp_path):
    """A copy of the shipped knowledge base to change on disk; skipped while the base being edited does not load."""
    folder = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), folder)
    try:
        AnswerCore.load(folder)
    except DataError as exc:
        pytest.skip(f"the knowledge base on disk does not load right now: {exc.problems[:1]}")
    return folder


async def owner_bot(make_bot, **settings):
    """A bot whose owner is the first member (dpytest makes the members when the bot is wired to it; that
    DISCORD_OWNER_IDS reaches the bot is checked below)."""
    bot = await make_bot(discord_owner_ids="1", **settings)
    bot.owner_ids = {dpytest.get_config().members[0].id}
    return bot


def test_the_owners_are_the_configured_ones(core):
    from bot.adapters.discord.bot import create_bot
    from discord_fakes import make_settings

    assert create_bot(core, make_settings(discord_owner_ids="11,22")).owner_ids == {11, 22}
    assert not create_bot(core, make_settings()).owner_ids  # then the application's owner or team


async def admin(bot, subcommand: str, member: int = 0) -> None:
    await slash(bot, "ivig-admin", dpytest.get_config().members[member], subcommand=subcommand)


def private_text(discord_http) -> str:
    call = discord_http.replies[-1]
    assert call.ephemeral, "admin replies are private"
    return call.data["content"]


async def test_the_admin_group_is_registered_for_administrators_only(make_bot):
    bot = await make_bot()
    group = bot.tree.get_command("ivig-admin")
    assert sorted(c.name for c in group.commands) == ["reload", "stats", "sync"]
    assert group.default_permissions.administrator


@pytest.mark.parametrize("subcommand", ["sync", "reload", "stats"])
async def test_non_owners_are_refused_privately_and_nothing_runs(make_bot, discord_http, monkeypatch, caplog,
                                                                 subcommand):
    bot = await owner_bot(make_bot)
    synced = []
    monkeypatch.setattr(bot.tree, "sync", lambda **kw: synced.append(kw))
    core_before = bot.app.service.core
    with caplog.at_level(logging.INFO):
        await admin(bot, subcommand, member=1)
    (reply,) = discord_http.calls
    assert reply.kind == 4 and reply.ephemeral and "owner" in reply.data["content"]
    assert synced == [] and bot.app.service.core is core_before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]  # a refusal is not an error


async def test_stats_for_the_owner(make_bot, core, discord_http):
    bot = await owner_bot(make_bot)
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?")
    sent_messages()
    await admin(bot, "stats")
    text = private_text(discord_http)
    assert f"{len(core.kb.conditions)} conditions" in text and core.kb.version in text
    assert "1 answer(s) since start, 0 in flight" in text and "1 server(s)" in text


async def test_sync_publishes_the_commands_for_the_owner(make_bot, discord_http, monkeypatch):
    bot = await owner_bot(make_bot, discord_guild_ids="11,22")
    synced = []

    async def sync(*, guild=None):
        synced.append(guild.id if guild else None)
        return []

    monkeypatch.setattr(bot.tree, "sync", sync)
    await admin(bot, "sync")
    assert synced == [11, 22]
    assert discord_http.calls[0].kind == 5 and discord_http.calls[0].ephemeral  # a private "thinking…"
    assert private_text(discord_http) == "Synced: 11, 22."


async def test_reload_picks_up_the_knowledge_base_on_disk(make_bot, core, discord_http, knowledge_copy):
    bot = await owner_bot(make_bot, ivig_knowledge_dir=knowledge_copy)
    path = knowledge_copy / "conditions" / "kawasaki-disease.yaml"
    edited = "A curator's new summary, read after the reload."
    kept, replacing = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if replacing and line.startswith("  "):
            continue  # the rest of the value being replaced
        replacing = line.startswith(("headline:", "evidence_summary:"))  # the short form shows one: change both
        kept.append(f"{line.split(':')[0]}: {edited}" if replacing else line)
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    await dpytest.message(f"{mention(bot)} IVIG for Kawasaki disease?")
    assert edited not in sent_messages()[0].embeds[0].description  # until the reload, the old base answers
    await admin(bot, "reload")
    kb = bot.app.service.core.kb
    assert kb.conditions["kawasaki-disease"].evidence_summary == edited
    assert kb is not core.kb and kb.version != core.kb.version
    assert private_text(discord_http) == f"Reloaded: {len(kb.conditions)} conditions, version {kb.version}."
    await dpytest.message(f"{mention(bot)} IVIG for Kawasaki disease?")
    assert edited in sent_messages()[0].embeds[0].description
    assert bot.app.service.names.starting("kawa")  # completion follows the new base


async def test_an_invalid_base_on_disk_is_refused_with_its_problems_and_the_old_one_keeps_answering(
        make_bot, core, discord_http, knowledge_copy, caplog):
    bot = await owner_bot(make_bot, ivig_knowledge_dir=knowledge_copy)
    broken = knowledge_copy / "conditions" / "myasthenia-gravis.yaml"
    broken.write_text("id: myasthenia-gravis\nname: [unclosed\n", encoding="utf-8")
    before = bot.app.service.core
    with caplog.at_level(logging.WARNING, logger="bot.discord"):
        await admin(bot, "reload")
    text = private_text(discord_http)
    assert text.startswith("Not reloaded") and "myasthenia-gravis.yaml" in text and len(text) <= 2000
    assert "cannot start" not in text
    assert any("reload refused" in r.getMessage() for r in caplog.records)
    assert bot.app.service.core is before
    await dpytest.message(f"{mention(bot)} IVIG for myasthenia gravis?")
    assert sent_messages()[0].embeds[0].title == core.kb.conditions["myasthenia-gravis"].name


async def test_a_failing_admin_command_apologises_privately(make_bot, discord_http, monkeypatch, caplog):
    bot = await owner_bot(make_bot)

    async def broken(**kwargs):
        raise RuntimeError("sync broke")

    monkeypatch.setattr(bot.tree, "sync", broken)
    with caplog.at_level(logging.ERROR, logger="bot.discord"):
        await admin(bot, "sync")
    assert private_text(discord_http) == bot.app.service.say("apology")  # not a "thinking…" forever
    assert any("sync broke" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
