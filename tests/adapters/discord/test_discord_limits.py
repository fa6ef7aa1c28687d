"""Rate limits on Discord: questions count, page turns, presses and follow-ups do not; whoever is refused hears
it once, privately (a DM after a mention, an ephemeral reply to a slash command), and the channel hears nothing."""

import discord
import discord.ext.test as dpytest
import pytest

from bot.limits import RateLimits
from discord_fakes import (
    FakeClock,
    assert_no_pings,
    assert_payload_within_limits,
    buttons,
    click,
    condition_with,
    embed_text,
    http_error,
    mention,
    sent_messages,
    slash,
)


def recipient(message: discord.Message) -> int:
    """The user a direct message went to."""
    (member,) = [m for m in dpytest.get_config().members if m.dm_channel and m.dm_channel.id == message.channel.id]
    return member.id


def split(messages: list[discord.Message]) -> tuple[list[discord.Message], list[discord.Message]]:
    """(messages in the server's channels, direct messages)."""
    return ([m for m in messages if not isinstance(m.channel, discord.DMChannel)],
            [m for m in messages if isinstance(m.channel, discord.DMChannel)])


async def say(bot, text: str, member: int = 0, channel: int = 0) -> list[discord.Message]:
    await dpytest.message(f"{mention(bot)} {text}", member=member, channel=channel)
    return sent_messages()


# --- what counts ------------------------------------------------------------------------------------------


async def test_a_normal_conversation_is_not_cut_short_by_the_default_limit(make_bot, core, channel_sends,
                                                                          discord_http):
    """The defaults (3 questions per 30 s) with the clock standing still: three questions, and around them every
    page turn, press and follow-up of a normal conversation, are all answered; the fourth question is not."""
    bot = await make_bot(clock=FakeClock())
    assert (bot.app.settings.discord_cooldown_questions, bot.app.settings.discord_cooldown_seconds) == (3, 30)
    cid = condition_with(core, detail_pages=2)
    name = core.kb.conditions[cid].name
    (answer,) = await say(bot, f"does IVIG help {name}?")  # question 1
    components = channel_sends[-1].components
    await click(bot, buttons(components)["Details"], components, message_id=answer.id)
    details = discord_http.replies[-1]
    next_id = next(b["custom_id"] for row in details.components for b in row["components"] if b["label"] == "Next")
    await click(bot, next_id, details.components, message_id=details.message_id)
    for follow_up in ["how many patients?", "is that an RCT?", "sources?", "more"]:
        (reply,) = await say(bot, follow_up)
        assert reply.embeds and name in embed_text(reply.embeds), follow_up
    await slash(bot, "ivig", question="how many patients?")  # a follow-up by slash command, same conversation
    assert name in embed_text(discord_http.replies[-1].embeds)
    (clarify,) = await say(bot, "AD")  # question 2: "did you mean", then a pick
    components = channel_sends[-1].components
    pick = next(cid for cid in buttons(components).values() if cid.startswith("ivig:pick:"))
    await click(bot, pick, components, message_id=clarify.id)
    assert discord_http.replies[-1].embeds[0]["title"] == core.kb.conditions[pick.split(":")[2]].name
    (reply,) = await say(bot, "IVIG for Kawasaki disease?")  # question 3
    assert reply.embeds
    (reply,) = await say(bot, "how many patients?")
    assert reply.embeds
    in_channel, private = split(await say(bot, "IVIG for CIDP?"))  # question 4: over the limit
    assert in_channel == [] and len(private) == 1
    assert private[0].content == bot.app.service.say("cooldown", wait="30 seconds", rate=3, per="30 seconds")


async def test_page_turns_do_not_count(make_bot, core, channel_sends, discord_http):
    bot = await make_bot(clock=FakeClock(), discord_cooldown_questions=1)
    names = sorted(c.name for c in core.kb.conditions.values())[:40]
    (answer,) = await say(bot, "IVIG in " + ", ".join(names))
    components = channel_sends[-1].components
    labels = buttons(components)
    for _ in range(5):
        await click(bot, labels["Next"], components, message_id=answer.id)
    assert [c.kind for c in discord_http.calls] == [7] * 5


# --- one private notice to whoever is refused --------------------------------------------------------------


async def test_a_flood_from_one_user_is_answered_three_times_and_told_once_by_dm(make_bot, channel_sends):
    clock = FakeClock()
    bot = await make_bot(clock=clock)
    config = dpytest.get_config()
    flooder, other = config.members[0], config.members[1]
    answers, notices = [], []
    for i in range(200):
        in_channel, private = split(await say(bot, f"IVIG for CIDP? ({i})", member=0))
        answers += in_channel
        notices += private
    assert len(answers) == 3 and all(m.embeds for m in answers)
    (notice,) = notices
    assert recipient(notice) == flooder.id
    assert notice.content == bot.app.service.say("cooldown", wait="30 seconds", rate=3, per="30 seconds")
    (reply,) = await say(bot, "IVIG for myasthenia gravis?", member=1)  # others are answered meanwhile
    assert reply.embeds and reply.channel.id == config.channels[0].id and other.id != flooder.id
    clock.now += 31  # the next window: answered again, and told again at most once
    messages = []
    for i in range(50):
        messages += await say(bot, f"IVIG for CIDP? ({i})", member=0)
    in_channel, private = split(messages)
    assert len(in_channel) == 3 and len(private) == 1
    for sent in channel_sends:
        assert_payload_within_limits(sent.payload)
        assert_no_pings(sent.payload["allowed_mentions"])


async def test_everyone_refused_by_the_channel_limit_is_told_once_privately_and_the_channel_hears_nothing(
        make_bot):
    clock = FakeClock()
    bot = await make_bot(clock=clock, discord_channel_cooldown_questions=2, discord_channel_cooldown_seconds=60)
    config = dpytest.get_config()
    assert all(m.embeds for m in await say(bot, "IVIG for CIDP?", member=0))
    assert all(m.embeds for m in await say(bot, "IVIG for CIDP?", member=1))
    told = {}
    for member in (2, 0, 2, 1, 0, 2):  # the channel is busy for everyone now
        in_channel, private = split(await say(bot, "IVIG for CIDP?", member=member))
        assert in_channel == []
        for notice in private:
            told.setdefault(recipient(notice), []).append(notice.content)
    assert set(told) == {m.id for m in config.members}  # each of the three, once
    busy = bot.app.service.say("channel_busy", wait="60 seconds", rate=2, per="60 seconds")
    assert all(texts == [busy] for texts in told.values())
    (reply,) = await say(bot, "IVIG for CIDP?", member=2, channel=1)  # another channel is served as usual
    assert reply.embeds and reply.channel.id == config.channels[1].id
    dm = await config.members[2].create_dm()
    await dpytest.message("IVIG for CIDP?", channel=dm, member=config.members[2])  # DMs have no channel limit
    assert sent_messages()[0].embeds
    clock.now += 61
    assert all(m.embeds for m in await say(bot, "IVIG for CIDP?", member=0))


async def test_the_slash_command_refusals_are_ephemeral(make_bot, discord_http):
    """An interaction must be answered (else Discord shows "the application did not respond"): each refused
    slash command gets the notice, only the one who asked sees it."""
    bot = await make_bot(clock=FakeClock(), discord_channel_cooldown_questions=1)
    config = dpytest.get_config()
    await slash(bot, "ivig", member=config.members[0], question="MG")
    await slash(bot, "ivig", member=config.members[1], question="MG")
    await slash(bot, "ivig", member=config.members[1], question="MG")
    public = [c for c in discord_http.new_messages if not c.ephemeral]
    private = [c for c in discord_http.new_messages if c.ephemeral]
    assert len(public) == 1 and len(private) == 2
    busy = bot.app.service.say("channel_busy", wait="60 seconds", rate=1, per="60 seconds")
    assert all(c.data["content"] == busy and not c.embeds for c in private)
    assert_no_pings(private[0].data["allowed_mentions"])


async def test_a_refused_user_whose_dms_are_closed_gets_nothing_and_the_channel_neither(make_bot, monkeypatch):
    bot = await make_bot(clock=FakeClock(), discord_cooldown_questions=1)
    real_send = discord.abc.Messageable.send

    async def send(self, *args, **kwargs):
        if isinstance(self, (discord.Member, discord.User)):
            raise http_error(403, "Cannot send messages to this user", 50007)
        return await real_send(self, *args, **kwargs)

    monkeypatch.setattr(discord.abc.Messageable, "send", send)
    assert (await say(bot, "IVIG for CIDP?"))[0].embeds
    assert await say(bot, "IVIG for CIDP?") == []
    assert (await say(bot, "IVIG for CIDP?", member=1))[0].embeds  # and the bot goes on serving


# --- the limits themselves ----------------------------------------------------------------------------------


def test_refused_questions_do_not_use_up_the_channels_share():
    limits = RateLimits(1, 30, 2, 60, FakeClock())
    assert limits.refusal(1, 9) is None
    for _ in range(100):  # user 1 floods: refused by the user limit, never counted against channel 9
        assert limits.refusal(1, 9).key == "cooldown"
    assert limits.refusal(2, 9) is None
    refused = limits.refusal(3, 9)
    assert refused.key == "channel_busy" and refused.tell
    assert limits.refusal(3, 9) is not None and not limits.refusal(3, 9).tell  # told once per window
    assert limits.refusal(4, 9).tell  # someone else refused is told too
    assert limits.refusal(3, None) is None  # a DM


@pytest.mark.parametrize("field,value", [("discord_cooldown_seconds", 0), ("discord_channel_cooldown_seconds", 0)])
async def test_a_zero_window_switches_a_limit_off(make_bot, field, value):
    bot = await make_bot(clock=FakeClock(), **{"discord_cooldown_questions": 1,
                                               "discord_channel_cooldown_questions": 1, field: value})
    if field == "discord_channel_cooldown_seconds":
        for member in range(3):
            assert (await say(bot, "IVIG for CIDP?", member=member))[0].embeds
    else:
        assert (await say(bot, "IVIG for CIDP?"))[0].embeds
        assert split(await say(bot, "IVIG for CIDP?"))[0] == []  # the channel limit (1) still holds
