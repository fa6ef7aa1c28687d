"""The prefix commands (cogs/prefix.py): `!ivig <question>` and `!ivig-list [filter]`, only with the message
content intent; other bots' commands are left alone."""

import logging

import discord.ext.test as dpytest
from discord.ext.test import runner

from discord_fakes import embed_text, expected, mention, page_embed_dicts, post, same_embeds, sent_messages


async def test_prefix_commands_with_the_message_content_intent(make_bot, core, channel_sends):
    bot = await make_bot(discord_message_content_intent=True)
    await dpytest.message("!ivig IVIG for CIDP?")
    (message,) = sent_messages()
    shown = expected(core, "IVIG for CIDP?")
    marker = f"page 1 of {len(shown.pages)}" if len(shown.pages) > 1 else None
    assert same_embeds(channel_sends[-1].payload["embeds"], page_embed_dicts(shown.pages[0], shown.kind, marker))
    specialty = sorted(core.kb.specialties)[-1]
    count = sum(1 for c in core.kb.conditions.values() if c.specialty == specialty)
    await dpytest.message(f"!ivig-list {specialty}")
    (message,) = sent_messages()
    assert f"{specialty.capitalize()} ({count})" in [e.title for e in message.embeds]
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?")  # mentions still work
    assert len(sent_messages()) == 1


async def test_a_prefix_command_is_answered_once_even_when_it_mentions_the_bot(make_bot):
    bot = await make_bot(discord_message_content_intent=True)
    await dpytest.message(f"!ivig {mention(bot)} IVIG for CIDP?")
    assert len(sent_messages()) == 1


async def test_other_commands_are_left_alone_quietly(make_bot, caplog):
    await make_bot(discord_message_content_intent=True)
    with caplog.at_level(logging.WARNING):
        await post("!somebody-elses-command")  # dpytest.message would re-raise the CommandNotFound it queues
    while not runner.error_queue.empty():
        runner.error_queue.get_nowait()
    assert sent_messages() == [] and not [r for r in caplog.records if r.levelno >= logging.WARNING]
    await dpytest.message("!ivig")  # no question: the hint
    (hint,) = sent_messages()
    assert hint.embeds


async def test_a_configured_prefix(make_bot):
    await make_bot(discord_message_content_intent=True, discord_command_prefix="?")
    await dpytest.message("!ivig IVIG for CIDP?")
    assert sent_messages() == []
    await dpytest.message("?ivig IVIG for CIDP?")
    assert sent_messages()[0].embeds


async def test_no_prefix_command_without_the_intent(dpy_bot):
    await dpytest.message("!ivig IVIG for CIDP?")
    await dpytest.message("!ivig-list neurology")
    assert sent_messages() == []


async def test_help_mentions_the_prefix_commands_only_when_they_exist(make_bot):
    bot = await make_bot(discord_message_content_intent=True)
    await dpytest.message(f"{mention(bot)} help")
    assert "!ivig" in embed_text(sent_messages()[0].embeds)
    plain = await make_bot()
    await dpytest.message(f"{mention(plain)} help")
    assert "!ivig" not in embed_text(sent_messages()[0].embeds)
