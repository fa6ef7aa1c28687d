"""Follow-ups on Discord: one context per user per channel (DMs included), never shared, forgotten when idle; by
mention, DM, slash command and button alike."""

import discord.ext.test as dpytest

from bot.adapters.base import conversation_key
from discord_fakes import FakeClock, buttons, click, embed_text, mention, sent_messages, slash

MG = "myasthenia-gravis"
CIDP = "chronic-inflammatory-demyelinating-polyneuropathy"
GBS = "guillain-barre-syndrome"


def shown() -> str:
    """Everything the bot sent since the last call, as text."""
    return "\n".join(embed_text(m.embeds) + m.content for m in sent_messages())


def roomy(**settings):
    """Settings for conversations longer than the rate limits allow."""
    return {"discord_cooldown_questions": 1000, "discord_channel_cooldown_questions": 1000, **settings}


async def ask(bot, text: str, member: int = 0, channel=0) -> str:
    await dpytest.message(f"{mention(bot)} {text}", member=member, channel=channel)
    return shown()


async def test_follow_ups_answer_what_was_asked_about_the_last_answer(make_bot, core):
    bot = await make_bot(**roomy())
    mg = core.kb.conditions[MG].name
    assert mg in await ask(bot, "does IVIG help myasthenia gravis?")
    patients = core.texts.labels["focus_patients"].split("{name}")[0]
    assert f"{patients}{mg}" in await ask(bot, "how many patients?")
    assert mg in await ask(bot, "sources?")
    both = await ask(bot, "compare with Guillain-Barré syndrome")
    assert mg in both and core.kb.conditions[GBS].name in both


async def test_two_users_in_one_channel_keep_separate_contexts(make_bot, core):
    bot = await make_bot(**roomy())
    await ask(bot, "IVIG for myasthenia gravis?", member=0)
    await ask(bot, "IVIG for CIDP?", member=1)
    assert core.kb.conditions[MG].name in await ask(bot, "how many patients?", member=0)
    assert core.kb.conditions[CIDP].name in await ask(bot, "how many patients?", member=1)
    # Someone who asked nothing has no context: not another user's topic.
    third = await ask(bot, "how many patients?", member=2)
    assert core.kb.conditions[MG].name not in third and core.kb.conditions[CIDP].name not in third


async def test_one_user_in_two_channels_keeps_separate_contexts(make_bot, core):
    bot = await make_bot(**roomy())
    await ask(bot, "IVIG for myasthenia gravis?", channel=0)
    await ask(bot, "IVIG for CIDP?", channel=1)
    assert core.kb.conditions[MG].name in await ask(bot, "how many patients?", channel=0)
    assert core.kb.conditions[CIDP].name in await ask(bot, "how many patients?", channel=1)


async def test_a_dm_is_a_conversation_of_its_own(make_bot, core):
    bot = await make_bot(**roomy())
    member = dpytest.get_config().members[0]
    dm = await member.create_dm()
    await ask(bot, "IVIG for myasthenia gravis?")  # in the server channel
    await dpytest.message("IVIG for CIDP?", channel=dm, member=member)
    shown()
    await dpytest.message("how many patients?", channel=dm, member=member)
    assert core.kb.conditions[CIDP].name in shown()
    assert core.kb.conditions[MG].name in await ask(bot, "how many patients?")


async def test_slash_commands_and_buttons_follow_up_per_user(make_bot, core, discord_http):
    bot = await make_bot(**roomy())
    first, second = dpytest.get_config().members[:2]
    await slash(bot, "ivig", member=first, question="IVIG for myasthenia gravis?")
    await slash(bot, "ivig", member=second, question="AD")  # a "did you mean", then a button
    components = discord_http.replies[-1].components
    picked = next(cid for cid in buttons(components).values() if cid.startswith("ivig:pick:")).split(":")[2]
    await click(bot, f"ivig:pick:{picked}", components, member=second)
    await slash(bot, "ivig", member=first, question="is that an RCT?")
    assert core.kb.conditions[MG].name in embed_text(discord_http.replies[-1].embeds)
    await slash(bot, "ivig", member=second, question="how many patients?")
    assert core.kb.conditions[picked].name in embed_text(discord_http.replies[-1].embeds)


async def test_a_mention_and_a_slash_command_in_one_channel_share_the_users_context(make_bot, core, discord_http):
    bot = await make_bot(**roomy())
    await ask(bot, "IVIG for CIDP?")
    await slash(bot, "ivig", question="how many patients?")
    assert core.kb.conditions[CIDP].name in embed_text(discord_http.replies[-1].embeds)
    config = dpytest.get_config()
    key = conversation_key("discord", config.channels[0].id, config.members[0].id)
    assert bot.app.service.last(key).condition_ids == (CIDP,)


async def test_the_context_expires_after_the_idle_time(make_bot, core):
    clock = FakeClock()
    bot = await make_bot(clock=clock, **roomy(ivig_context_idle_seconds=60))
    mg = core.kb.conditions[MG].name
    await ask(bot, "IVIG for myasthenia gravis?")
    clock.now += 60
    assert mg in await ask(bot, "how many patients?")  # within the idle time; this renews it
    clock.now += 61
    assert mg not in await ask(bot, "how many patients?")
    assert mg not in await ask(bot, "sources?")  # still forgotten: an answer without a condition renews nothing


async def test_a_zero_idle_time_makes_every_question_stand_alone(make_bot, core):
    bot = await make_bot(clock=FakeClock(), **roomy(ivig_context_idle_seconds=0))
    await ask(bot, "IVIG for myasthenia gravis?")
    assert core.kb.conditions[MG].name not in await ask(bot, "how many patients?")


def test_the_key_is_the_adapter_the_channel_and_the_user():
    assert conversation_key("discord", 10, 20) == ("discord", 10, 20)
    assert conversation_key("discord", 10, 20) != conversation_key("discord", 20, 10)
