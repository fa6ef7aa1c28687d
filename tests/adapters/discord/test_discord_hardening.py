"""Hostile input and failing Discord services (errors.py): escaped echoes, failures logged in one line, no apology
where it cannot arrive, and the bot goes on serving."""

import logging

import aiohttp
import discord
import discord.ext.test as dpytest
import pytest

from bot.adapters.discord.errors import apology_may_reach, discord_failure, fatal_close, where
from bot.adapters.discord.render import escape
from bot.models import Question
from discord_fakes import (
    assert_payload_within_limits,
    embed_text,
    http_error,
    mention,
    payload_text,
    sent_messages,
    slash,
)

HOSTILE = "**bold** @everyone <@123> ||spoiler|| `code`"
# What must never reach Discord as written: each would format, ping or hide text if echoed raw.
RAW_MARKUP = ["**bold**", "@everyone", "<@123>", "||spoiler||", "`code`"]


def assert_nothing_raw(text: str) -> None:
    for raw in RAW_MARKUP:
        assert raw not in text, f"{raw!r} echoed unescaped"


def no_specialty_words(core) -> str:
    """The words before the echoed filter in the "no such specialty" text."""
    return core.texts.messages["list_no_specialty"].split("{specialty}")[0].strip("“\" ")


# --- anything echoed back is escaped ----------------------------------------------------------------------


async def test_a_hostile_list_filter_is_echoed_escaped_in_embeds(dpy_bot, core, discord_http):
    await slash(dpy_bot, "ivig-list", specialty=HOSTILE)
    (call,) = discord_http.replies
    text = payload_text(call.data)
    assert no_specialty_words(core) in text and escape(HOSTILE.lower()) in text
    assert_nothing_raw(text)


async def test_a_hostile_list_filter_is_echoed_escaped_in_plain_text(make_bot, core):
    await make_bot(discord_message_content_intent=True)
    config = dpytest.get_config()
    await dpytest.set_permission_overrides(config.guilds[0].default_role, config.channels[0], embed_links=False)
    await dpytest.message(f"!ivig-list {HOSTILE}")
    (message,) = sent_messages()
    assert not message.embeds
    assert no_specialty_words(core) in message.content and escape(HOSTILE.lower()) in message.content
    assert_nothing_raw(message.content)


@pytest.mark.parametrize("question", [
    f"{HOSTILE} myastenia gravis",  # a fuzzy reading is echoed ("I read … as")
    f"does ivig help {HOSTILE}?",
    f"AD {HOSTILE}",  # a "did you mean" with its reasons
    f"ITP and {HOSTILE} myastenia gravis",
])
async def test_hostile_questions_are_answered_without_raw_markup(dpy_bot, channel_sends, question):
    await dpytest.message(f"{mention(dpy_bot)} {question}")
    assert sent_messages()
    for sent in channel_sends:
        assert_nothing_raw(payload_text(sent.payload))
        allowed = sent.payload["allowed_mentions"]
        assert allowed["parse"] == [] and not allowed.get("users") and not allowed.get("replied_user")


async def test_the_fuzzy_reading_of_marked_up_words_is_shown_escaped(dpy_bot, core, channel_sends):
    question = "ivig for ||myastenia|| **gravis**"
    (condition,) = core.answer(Question(text=question)).conditions
    reading = core.texts.label("read_as", words=condition.matched_text, name=condition.name)
    await dpytest.message(f"{mention(dpy_bot)} {question}")
    sent_messages()
    text = embed_text(channel_sends[-1].payload["embeds"])
    assert escape(reading) in text and "||myastenia" not in text


# --- very long questions ----------------------------------------------------------------------------------

LONG_QUESTION = ("Does IVIG help myasthenia gravis? My neurologist mentioned it for a crisis. " * 60)[:4000]


async def test_a_4000_character_mention_is_answered_in_one_message_within_limits(dpy_bot, core, channel_sends):
    await dpytest.message(f"{mention(dpy_bot)} {LONG_QUESTION}")
    (message,) = sent_messages()
    assert core.kb.conditions["myasthenia-gravis"].name in embed_text(message.embeds)
    truncated = core.answer(Question(text=LONG_QUESTION)).note_refs[0]
    assert truncated.key == "truncated" and str(truncated.params["limit"]) in message.embeds[0].description
    assert_payload_within_limits(channel_sends[0].payload)


async def test_a_4000_character_slash_question_is_answered_within_limits(dpy_bot, discord_http):
    await slash(dpy_bot, "ivig", question=LONG_QUESTION)
    (reply,) = discord_http.replies
    assert_payload_within_limits(reply.data)


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
async def test_a_failing_send_is_logged_and_the_next_question_is_answered(dpy_bot, failing_sends, caplog, failure,
                                                                          logged):
    failing_sends += [failure, failure]  # the reply, and a second attempt if there were one
    with caplog.at_level(logging.WARNING, logger="bot.discord"):
        await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    assert sent_messages() == []  # no apology into a channel that just refused: it would fail the same way
    (record,) = [r for r in caplog.records if r.name == "bot.discord"]
    assert record.levelno == logging.WARNING and logged in record.getMessage() and "user=" in record.getMessage()
    assert record.exc_info is None  # one line, not a traceback: nothing is wrong with the bot
    failing_sends.clear()
    await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    assert sent_messages()[0].embeds[0].title.startswith("Chronic inflammatory")


async def test_a_dm_to_a_user_who_blocks_dms_is_logged_and_the_bot_goes_on(dpy_bot, failing_sends, caplog):
    member = dpytest.get_config().members[0]
    dm = await member.create_dm()
    failing_sends.append(http_error(403, "Cannot send messages to this user", 50007))
    with caplog.at_level(logging.WARNING, logger="bot.discord"):
        await dpytest.message("IVIG for CIDP?", channel=dm, member=member)
    assert "Cannot send messages to this user" in caplog.text
    await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    assert sent_messages()[0].embeds


@pytest.mark.parametrize("failure,logged", DISCORD_FAILURES.values(), ids=DISCORD_FAILURES.keys())
async def test_a_failing_slash_response_is_logged_and_the_next_is_answered(dpy_bot, discord_http, caplog, failure,
                                                                           logged):
    discord_http.failures.append(failure)
    with caplog.at_level(logging.WARNING, logger="bot.discord"):
        await slash(dpy_bot, "ivig", question="IVIG for CIDP?")
    warnings = [r for r in caplog.records if r.name == "bot.discord" and logged in r.getMessage()]
    assert warnings and warnings[0].exc_info is None
    apologies = [c for c in discord_http.calls[1:] if c.data.get("content") == dpy_bot.app.service.say("apology")]
    assert len(apologies) == (1 if apology_may_reach(failure) else 0)
    assert all(c.ephemeral for c in apologies)
    await slash(dpy_bot, "ivig", question="IVIG for CIDP?")
    assert discord_http.replies[-1].embeds[0]["title"].startswith("Chronic inflammatory")


async def test_a_lost_interaction_gets_no_apology_attempt(dpy_bot, discord_http):
    discord_http.failures.append(http_error(404, "Unknown interaction", 10062))  # answered after Discord's 3 s
    await slash(dpy_bot, "ivig", question="IVIG for CIDP?")
    assert len(discord_http.calls) == 1  # the failed answer only: an apology there would 404 too


async def test_a_bug_still_gets_an_apology_and_a_traceback(dpy_bot, failing_sends, caplog):
    failing_sends.append(RuntimeError("a bug, not Discord"))
    with caplog.at_level(logging.ERROR, logger="bot.discord"):
        await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    assert sent_messages()[0].content == dpy_bot.app.service.say("apology")
    (record,) = [r for r in caplog.records if r.name == "bot.discord"]
    assert record.exc_info is not None


async def test_a_connection_dropped_while_answering_is_logged_and_serving_goes_on(dpy_bot, failing_sends, caplog):
    failing_sends.append(aiohttp.ClientConnectionError("Cannot connect to host discord.com"))
    with caplog.at_level(logging.INFO, logger="bot.discord"):
        await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    assert any("connection to Discord dropped" in r.getMessage() for r in caplog.records)
    assert sent_messages() == []
    await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    assert sent_messages()[0].embeds


# --- the error vocabulary -----------------------------------------------------------------------------------


def test_discord_failures_are_told_apart_from_bugs():
    for failure, logged in DISCORD_FAILURES.values():
        assert logged in discord_failure(failure)
    assert discord_failure(RuntimeError("bug")) is None and discord_failure(ValueError()) is None
    assert not apology_may_reach(http_error(404, "Unknown interaction", 10062))
    assert not apology_may_reach(http_error(429)) and not apology_may_reach(aiohttp.ServerDisconnectedError())
    assert apology_may_reach(http_error(403)) and apology_may_reach(RuntimeError("bug"))


def test_fatal_closes_say_what_to_fix_and_nothing_else_is_fatal():
    assert "DISCORD_TOKEN" in fatal_close(discord.LoginFailure())
    assert "DISCORD_SHARD_COUNT" in fatal_close(discord.ConnectionClosed(None, shard_id=None, code=4011))
    assert "message content intent" in fatal_close(discord.PrivilegedIntentsRequired(None))
    for code in (1000, 4000, 4009):
        assert fatal_close(discord.ConnectionClosed(None, shard_id=None, code=code)) is None
    assert fatal_close(OSError()) is None


def test_where_names_ids_only():
    class Event:
        guild = discord.Object(1)
        channel = discord.Object(2)
        author = discord.Object(3)

    assert where(Event()) == "user=3 guild=1 channel=2"
    assert where(object()) == "user=None guild=None channel=None"
