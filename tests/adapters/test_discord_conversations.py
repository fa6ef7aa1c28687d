"""Follow-ups on Discord: one context per user per channel (DMs included), never shared, forgotten when idle."""

import discord.ext.test as dpytest
import pytest

from bot.adapters.discord_bot import conversation_key
from bot.settings import Settings
from discord_fakes import FakeClock, click, make_settings, mention, sent_messages, slash

MG = "myasthenia-gravis"
CIDP = "chronic-inflammatory-demyelinating-polyneuropathy"
GBS = "guillain-barre-syndrome"


def titles_sent() -> list[str]:
    return [e.title for m in sent_messages() for e in m.embeds]


def conditions_of(core, *ids: str) -> list[str]:
    return [core.kb.conditions[cid].name for cid in ids]


def roomy(**settings):
    """Settings for conversations longer than the rate limits allow."""
    return {"cooldown_questions": 1000, "channel_cooldown_questions": 1000, **settings}


async def ask(bot, text: str, member: int = 0, channel=0) -> list[str]:
    await dpytest.message(f"{mention(bot)} {text}", member=member, channel=channel)
    return titles_sent()


async def test_follow_ups_refer_to_the_last_answer(make_bot, core):
    bot = await make_bot(**roomy())
    mg = core.kb.conditions[MG].name
    assert (await ask(bot, "does IVIG help myasthenia gravis?"))[0] == mg
    await dpytest.message(f"{mention(bot)} how many patients?")
    first = sent_messages()[0].embeds[0]
    assert first.title == mg and "Patient numbers for Myasthenia gravis" in first.description
    assert (await ask(bot, "sources?"))[0] == mg
    both = conditions_of(core, MG, GBS)
    assert [t for t in await ask(bot, "compare with Guillain-Barré syndrome") if t in both] == both


async def test_two_users_in_one_channel_keep_separate_contexts(make_bot, core):
    bot = await make_bot(**roomy())
    await ask(bot, "IVIG for myasthenia gravis?", member=0)
    await ask(bot, "IVIG for CIDP?", member=1)
    assert (await ask(bot, "how many patients?", member=0))[0] == core.kb.conditions[MG].name
    assert (await ask(bot, "how many patients?", member=1))[0] == core.kb.conditions[CIDP].name
    # Someone who asked nothing has no context: not another user's topic.
    assert not set(await ask(bot, "how many patients?", member=2)) & set(conditions_of(core, MG, CIDP))


async def test_one_user_in_two_channels_keeps_separate_contexts(make_bot, core):
    bot = await make_bot(**roomy())
    await ask(bot, "IVIG for myasthenia gravis?", channel=0)
    await ask(bot, "IVIG for CIDP?", channel=1)
    assert (await ask(bot, "how many patients?", channel=0))[0] == core.kb.conditions[MG].name
    assert (await ask(bot, "how many patients?", channel=1))[0] == core.kb.conditions[CIDP].name


async def test_a_dm_is_a_conversation_of_its_own(make_bot, core):
    bot = await make_bot(**roomy())
    member = dpytest.get_config().members[0]
    dm = await member.create_dm()
    await ask(bot, "IVIG for myasthenia gravis?")  # in the server channel
    await dpytest.message("IVIG for CIDP?", channel=dm, member=member)
    titles_sent()
    await dpytest.message("how many patients?", channel=dm, member=member)
    assert titles_sent()[0] == core.kb.conditions[CIDP].name
    assert (await ask(bot, "how many patients?"))[0] == core.kb.conditions[MG].name


async def test_slash_commands_and_buttons_follow_up_per_user(make_bot, core, discord_http):
    bot = await make_bot(**roomy())
    first, second = dpytest.get_config().members[:2]
    await slash(bot, "ivig", member=first, question="IVIG for myasthenia gravis?")
    await slash(bot, "ivig", member=second, question="AD")  # a "did you mean", then a button
    components = discord_http.replies[-1].data["components"]
    await click(bot, "ivig:pick:atopic-dermatitis", components, member=second)
    await slash(bot, "ivig", member=first, question="is that an RCT?")
    assert discord_http.replies[-1].data["embeds"][0]["title"] == core.kb.conditions[MG].name
    await slash(bot, "ivig", member=second, question="how many patients?")
    assert discord_http.replies[-1].data["embeds"][0]["title"] == "Atopic dermatitis"


async def test_a_mention_and_a_slash_command_in_one_channel_share_the_users_context(make_bot, core, discord_http):
    bot = await make_bot(**roomy())
    await ask(bot, "IVIG for CIDP?")
    await slash(bot, "ivig", question="how many patients?")
    assert discord_http.replies[-1].data["embeds"][0]["title"] == core.kb.conditions[CIDP].name


async def test_the_context_expires_after_the_idle_time(make_bot, core):
    clock = FakeClock()
    bot = await make_bot(clock=clock, **roomy(context_idle_seconds=60))
    mg = core.kb.conditions[MG].name
    await ask(bot, "IVIG for myasthenia gravis?")
    clock.now += 60
    assert (await ask(bot, "how many patients?"))[0] == mg  # within the idle time; this renews it
    clock.now += 61
    assert mg not in await ask(bot, "how many patients?")
    assert mg not in await ask(bot, "sources?")  # still forgotten: an answer without a condition renews nothing


async def test_a_zero_idle_time_makes_every_question_stand_alone(make_bot, core):
    bot = await make_bot(clock=FakeClock(), **roomy(context_idle_seconds=0))
    await ask(bot, "IVIG for myasthenia gravis?")
    assert core.kb.conditions[MG].name not in await ask(bot, "how many patients?")


def test_the_key_is_the_adapter_the_channel_and_the_user():
    assert conversation_key(10, 20) == ("discord", 10, 20)
    assert conversation_key(10, 20) != conversation_key(20, 10)


def test_the_idle_setting_defaults_to_15_minutes_and_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    assert Settings.defaults().context_idle_seconds == 900
    monkeypatch.setenv("DISCORD_CONTEXT_IDLE_SECONDS", "120")
    assert Settings().context_idle_seconds == 120
    assert make_settings(context_idle_seconds=5).context_idle_seconds == 5
    monkeypatch.setenv("DISCORD_CONTEXT_IDLE_SECONDS", "-1")
    with pytest.raises(ValueError):
        Settings()
