"""Hostile input, failing Discord services and floods: escaped echoes, logged failures, limits that hold."""

import logging

import aiohttp
import discord
import discord.ext.test as dpytest
import pytest

from bot.adapters.discord_bot import APOLOGY, Cooldowns, RateLimits, without_mentions
from bot.adapters.discord_render import escape
from bot.models import Question
from discord_fakes import FakeClock, assert_payload_within_limits, http_error, make_settings, mention, sent_messages, slash

HOSTILE = "**bold** @everyone <@123> ||spoiler|| `code`"
# What must never reach Discord as written: each would format, ping or hide text if echoed raw.
RAW_MARKUP = ["**bold**", "@everyone", "<@123>", "||spoiler||", "`code`"]


def payload_text(payload: dict) -> str:
    """Every piece of text in a message payload: content, embed titles, descriptions, fields, footers."""
    parts = [payload.get("content") or ""]
    for e in payload.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or "", (e.get("footer") or {}).get("text") or ""]
        parts += [f["name"] + "\n" + f["value"] for f in e.get("fields") or []]
    return "\n".join(parts)


def assert_nothing_raw(text: str) -> None:
    for raw in RAW_MARKUP:
        assert raw not in text, f"{raw!r} echoed unescaped"


# --- anything echoed back is escaped ----------------------------------------------------------------------


def test_escape_neutralises_markdown_and_every_kind_of_mention():
    escaped = escape(HOSTILE + " <@!42> <@&7> <#9> @here")
    assert_nothing_raw(escaped)
    for raw in ["<@!42>", "<@&7>", "<#9>", "@here"]:
        assert raw not in escaped
    assert escaped.replace("\\", "").replace("\u200b", "") == HOSTILE + " <@!42> <@&7> <#9> @here"  # all still there


def test_mention_tokens_are_dropped_from_questions():
    assert without_mentions("<@1> does IVIG help <@!22>, <@&333> or <#4444> with MG?") == \
        "does IVIG help , or with MG?"
    assert without_mentions("  no mentions, spaces kept  ") == "  no mentions, spaces kept  "


async def test_a_hostile_list_filter_is_echoed_escaped_in_embeds(make_bot, discord_http):
    bot = await make_bot()
    await slash(bot, "ivig-list", specialty=HOSTILE)
    (call,) = discord_http.replies
    text = payload_text(call.data)
    assert "I have no specialty called" in text and escape(HOSTILE.lower()) in text
    assert_nothing_raw(text)


async def test_a_hostile_list_filter_is_echoed_escaped_in_plain_text(make_bot, channel_sends):
    await make_bot(message_content_intent=True)
    config = dpytest.get_config()
    await dpytest.set_permission_overrides(config.guilds[0].default_role, config.channels[0], embed_links=False)
    await dpytest.message(f"!ivig-list {HOSTILE}")
    messages = sent_messages()
    assert messages and not any(m.embeds for m in messages)
    text = "\n".join(m.content for m in messages)
    assert "I have no specialty called" in text and escape(HOSTILE.lower()) in text
    assert_nothing_raw(text)


@pytest.mark.parametrize("question", [
    f"{HOSTILE} myastenia gravis",  # a fuzzy reading is echoed ("I read … as")
    f"does ivig help {HOSTILE}?",
    f"AD {HOSTILE}",  # a "did you mean" with its reasons
    f"ITP and {HOSTILE} myastenia gravis",
])
async def test_hostile_questions_are_answered_without_raw_markup(make_bot, channel_sends, question):
    bot = await make_bot()
    await dpytest.message(f"{mention(bot)} {question}")
    assert sent_messages()
    for sent in channel_sends:
        assert_nothing_raw(payload_text(sent.payload))
        allowed = sent.payload["allowed_mentions"]
        assert allowed["parse"] == [] and not allowed.get("users") and not allowed.get("replied_user")


async def test_the_fuzzy_reading_of_marked_up_words_is_escaped(make_bot):
    bot = await make_bot()
    await dpytest.message(f"{mention(bot)} ivig for ||myastenia|| **gravis**")
    description = sent_messages()[0].embeds[0].description
    assert "I read “myastenia\\|\\| \\*\\*gravis” as Myasthenia gravis" in description


# --- failing services: logged, and the bot keeps serving ------------------------------------------------------

DISCORD_FAILURES = {
    "403 missing permissions": (http_error(403, "Missing Permissions", 50013), "missing permissions"),
    "404 deleted channel": (http_error(404, "Unknown Channel", 10003), "is gone"),
    "429 rate limited": (http_error(429, "You are being rate limited."), "rate limited"),
    "5xx": (http_error(503, "Service Unavailable"), "server error"),
    "disconnect": (aiohttp.ServerDisconnectedError(), "connection to Discord dropped"),
    "connection reset": (ConnectionResetError(104, "Connection reset by peer"), "connection to Discord dropped"),
}


@pytest.fixture
def failing_sends(monkeypatch):
    """Every channel send raises the next of `failures` (while there are any), as Discord or the network would."""
    failures: list[BaseException] = []
    real_send = discord.abc.Messageable.send

    async def send(self, *args, **kwargs):
        if failures:
            raise failures.pop(0)
        return await real_send(self, *args, **kwargs)

    monkeypatch.setattr(discord.abc.Messageable, "send", send)
    return failures


@pytest.mark.parametrize("failure,logged", DISCORD_FAILURES.values(), ids=DISCORD_FAILURES.keys())
async def test_a_failing_send_is_logged_and_the_next_question_is_answered(make_bot, failing_sends, caplog, failure,
                                                                          logged):
    bot = await make_bot()
    failing_sends += [failure, failure]  # the reply, and the plain send it falls back to after a 403
    with caplog.at_level(logging.WARNING, logger="bot.discord"):
        await dpytest.message(f"{mention(bot)} IVIG for CIDP?")
    assert sent_messages() == []  # no apology into a channel that just refused: it would fail the same way
    (record,) = [r for r in caplog.records if r.name == "bot.discord"]
    assert record.levelno == logging.WARNING and logged in record.getMessage() and "user=" in record.getMessage()
    assert record.exc_info is None  # one line, not a traceback: nothing is wrong with the bot
    failing_sends.clear()
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?")
    assert sent_messages()[0].embeds[0].title.startswith("Chronic inflammatory")


async def test_a_dm_to_a_user_who_blocks_dms_is_logged_and_the_bot_goes_on(make_bot, failing_sends, caplog):
    bot = await make_bot()
    member = dpytest.get_config().members[0]
    dm = await member.create_dm()
    failing_sends += [http_error(403, "Cannot send messages to this user", 50007)] * 2  # the reply, then plain
    with caplog.at_level(logging.WARNING, logger="bot.discord"):
        await dpytest.message("IVIG for CIDP?", channel=dm, member=member)
    assert "Cannot send messages to this user" in caplog.text
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?")
    assert sent_messages()[0].embeds


@pytest.mark.parametrize("failure,logged", DISCORD_FAILURES.values(), ids=DISCORD_FAILURES.keys())
async def test_a_failing_slash_response_is_logged_and_the_next_is_answered(make_bot, discord_http, caplog, failure,
                                                                           logged):
    bot = await make_bot()
    discord_http.failures.append(failure)
    with caplog.at_level(logging.WARNING, logger="bot.discord"):
        await slash(bot, "ivig", question="IVIG for CIDP?")
    warnings = [r for r in caplog.records if r.name == "bot.discord" and logged in r.getMessage()]
    assert warnings and warnings[0].exc_info is None
    await slash(bot, "ivig", question="IVIG for CIDP?")
    assert discord_http.replies[-1].data["embeds"][0]["title"].startswith("Chronic inflammatory")


async def test_a_lost_interaction_gets_no_apology_attempt(make_bot, discord_http):
    bot = await make_bot()
    discord_http.failures.append(http_error(404, "Unknown interaction", 10062))  # answered after Discord's 3 s
    await slash(bot, "ivig", question="IVIG for CIDP?")
    assert len(discord_http.calls) == 1  # the failed answer only: an apology there would 404 too


async def test_a_bug_still_gets_an_apology_and_a_traceback(make_bot, failing_sends, caplog):
    bot = await make_bot()
    failing_sends.append(RuntimeError("a bug, not Discord"))
    with caplog.at_level(logging.ERROR, logger="bot.discord"):
        await dpytest.message(f"{mention(bot)} IVIG for CIDP?")
    assert sent_messages()[0].content == APOLOGY
    (record,) = [r for r in caplog.records if r.name == "bot.discord"]
    assert record.exc_info is not None


async def test_disconnect_and_reconnect_are_logged_and_serving_goes_on(make_bot, failing_sends, caplog):
    bot = await make_bot()
    with caplog.at_level(logging.INFO, logger="bot.discord"):
        bot.dispatch("disconnect")
        failing_sends.append(aiohttp.ClientConnectionError("Cannot connect to host discord.com"))
        await dpytest.message(f"{mention(bot)} IVIG for CIDP?")  # asked while the connection is down
        bot.dispatch("resumed")
        await dpytest.run_all_events()
    messages = [r.getMessage() for r in caplog.records if r.name == "bot.discord"]
    assert any("disconnected from Discord; reconnecting" in m for m in messages)
    assert any("connection to Discord dropped" in m for m in messages)
    assert any("reconnected to Discord" in m for m in messages)
    assert sent_messages() == []
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?")
    assert sent_messages()[0].embeds[0].title.startswith("Chronic inflammatory")


# --- floods: per-user and per-channel limits -------------------------------------------------------------


async def test_a_burst_of_200_messages_from_one_user_leaves_the_bot_answering_others(make_bot, channel_sends):
    clock = FakeClock()
    bot = await make_bot(clock=clock, cooldown_questions=3, cooldown_seconds=30)
    config = dpytest.get_config()
    flooder, other = config.members[0], config.members[1]
    for i in range(200):
        await dpytest.message(f"{mention(bot)} IVIG for CIDP? ({i})", member=flooder)
    to_flooder = sent_messages()
    answers = [m for m in to_flooder if m.embeds]
    notices = [m for m in to_flooder if m.content.startswith("One moment, please")]
    assert len(answers) == 3 and len(notices) == 1 and len(to_flooder) == 4  # one "please wait" per window
    await dpytest.message(f"{mention(bot)} IVIG for myasthenia gravis?", member=other)
    assert sent_messages()[0].embeds[0].title == "Myasthenia gravis"
    clock.now += 31  # the next window: the flooder is answered again, and told again at most once
    for i in range(50):
        await dpytest.message(f"{mention(bot)} IVIG for CIDP? ({i})", member=flooder)
    assert len([m for m in sent_messages() if not m.embeds]) == 1
    for sent in channel_sends:
        assert_payload_within_limits(sent.payload)


async def test_the_channel_limit_holds_when_many_users_flood_one_channel(make_bot):
    clock = FakeClock()
    bot = await make_bot(clock=clock, cooldown_questions=2, channel_cooldown_questions=5,
                         channel_cooldown_seconds=60)
    config = dpytest.get_config()
    for member in config.members:  # 3 users x 2 questions: the channel's 5 are answered, then one notice
        for _ in range(2):
            await dpytest.message(f"{mention(bot)} IVIG for CIDP?", member=member)
    sent = sent_messages()
    assert len([m for m in sent if m.embeds]) == 5
    (notice,) = [m for m in sent if not m.embeds]
    assert notice.content.startswith("This channel is busy: I answer up to 5 questions per 60 s here")
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?", member=config.members[2], channel=1)
    assert sent_messages()[0].embeds  # another channel is served as usual
    dm = await config.members[2].create_dm()
    clock.now += 31  # past the user window, still inside the channel's
    await dpytest.message("IVIG for CIDP?", channel=dm, member=config.members[2])
    assert sent_messages()[0].embeds  # DMs have no channel limit
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?", member=config.members[0])
    assert sent_messages() == []  # the busy channel was told once already in this window


async def test_the_channel_limit_for_slash_commands_is_a_private_notice(make_bot, discord_http):
    bot = await make_bot(clock=FakeClock(), channel_cooldown_questions=1)
    config = dpytest.get_config()
    await slash(bot, "ivig", member=config.members[0], question="MG")
    await slash(bot, "ivig", member=config.members[1], question="MG")
    notice = discord_http.replies[-1].data
    assert notice["content"].startswith("This channel is busy") and notice["flags"] & 64


def test_refused_questions_do_not_use_up_the_channels_share():
    clock = FakeClock()
    limits = RateLimits(make_settings(cooldown_questions=1, channel_cooldown_questions=2), clock)
    assert limits.refusal(user_id=1, channel_id=9) is None
    for _ in range(100):  # user 1 floods: refused by the user limit, never counted against channel 9
        assert limits.refusal(user_id=1, channel_id=9) is not None
    assert limits.refusal(user_id=2, channel_id=9) is None
    assert limits.refusal(user_id=3, channel_id=9).text.startswith("This channel is busy")
    assert limits.refusal(user_id=3, channel_id=None) is None  # a DM


def test_cooldowns_peek_without_counting():
    clock = FakeClock()
    cooldowns = Cooldowns(rate=1, per=10, clock=clock)
    assert cooldowns.wait(1) == 0 and cooldowns.wait(1) == 0
    cooldowns.note(1)
    assert cooldowns.wait(1) == pytest.approx(10)
    clock.now += 10
    assert cooldowns.retry_after(1) == 0


def test_channel_limit_settings(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    from bot.settings import Settings

    defaults = Settings.defaults()
    assert (defaults.channel_cooldown_questions, defaults.channel_cooldown_seconds) == (20, 60)
    monkeypatch.setenv("DISCORD_CHANNEL_COOLDOWN_QUESTIONS", "7")
    monkeypatch.setenv("DISCORD_CHANNEL_COOLDOWN_SECONDS", "0")
    settings = Settings()
    assert (settings.channel_cooldown_questions, settings.channel_cooldown_seconds) == (7, 0)


# --- very long and many-condition questions stay within Discord's limits -----------------------------------

LONG_QUESTION = ("Does IVIG help myasthenia gravis? My neurologist mentioned it for a crisis. " * 60)[:4000]


def fifteen_conditions(core) -> str:
    names = sorted(c.name for c in core.kb.conditions.values())[:15]
    return "IVIG in " + ", ".join(names) + "?"


async def test_a_4000_character_mention_is_answered_within_limits(make_bot, channel_sends):
    bot = await make_bot()
    assert len(LONG_QUESTION) == 4000
    await dpytest.message(f"{mention(bot)} {LONG_QUESTION}")
    messages = sent_messages()
    assert messages[0].embeds[0].title == "Myasthenia gravis"
    assert "I read only its first 2000 characters" in messages[0].embeds[0].description
    for sent in channel_sends:
        assert_payload_within_limits(sent.payload)


async def test_a_4000_character_slash_question_is_answered_within_limits(make_bot, discord_http):
    bot = await make_bot()
    await slash(bot, "ivig", question=LONG_QUESTION)
    assert discord_http.replies[0].data["embeds"][0]["title"] == "Myasthenia gravis"
    for call in discord_http.replies:
        assert_payload_within_limits(call.data)


async def test_fifteen_conditions_in_one_mention_are_answered_within_limits(make_bot, core, channel_sends):
    bot = await make_bot()
    question = fifteen_conditions(core)
    expected = [c.name for c in core.answer(Question(text=question)).conditions]
    assert len(expected) == 15
    await dpytest.message(f"{mention(bot)} {question}")
    titles = [e.title for m in sent_messages() for e in m.embeds]
    assert [t for t in titles if t in expected] == expected
    assert len(channel_sends) > 1
    for sent in channel_sends:
        assert_payload_within_limits(sent.payload)
    assert sent.kwargs.get("view") is not None  # the buttons ride on the last part


async def test_fifteen_conditions_in_plain_text_stay_under_2000_per_message(make_bot, core, channel_sends):
    bot = await make_bot()
    config = dpytest.get_config()
    await dpytest.set_permission_overrides(config.guilds[0].default_role, config.channels[0], embed_links=False)
    await dpytest.message(f"{mention(bot)} {fifteen_conditions(core)}")
    assert len(sent_messages()) > 1
    for sent in channel_sends:
        assert_payload_within_limits(sent.payload)


async def test_fifteen_conditions_by_slash_command_are_answered_within_limits(make_bot, core, discord_http):
    bot = await make_bot()
    await slash(bot, "ivig", question=fifteen_conditions(core))
    assert len(discord_http.replies) > 1
    for call in discord_http.replies:
        assert_payload_within_limits(call.data)
    titles = [e["title"] for e in discord_http.embeds()]
    expected = [c.name for c in core.answer(Question(text=fifteen_conditions(core))).conditions]
    assert [t for t in titles if t in expected] == expected
