"""👍/👎 under evidence answers, saved before the thanks; the 👎 comment form, also across a restart; the
unanswered log; storage failures cost no answer."""

import asyncio
import logging
import re

import discord.ext.test as dpytest
import pytest

from bot.adapters.discord import views
from bot.app import make_recorder
from bot.storage import Recorder, Store, resolve_data_dir
from discord_fakes import (
    assert_payload_within_limits,
    buttons,
    click,
    form_payload,
    dispatch,
    make_settings,
    mention,
    sent_messages,
    settle,
    slash,
    submit_form,
)

RATE = re.compile(r"^ivig:rate:(good|bad):[0-9a-f]{12}$")
QUESTION = "does IVIG help myasthenia gravis?"


def rating_ids(components: list[dict]) -> dict[str, str]:
    """"good"/"bad" -> the custom id of that rating button."""
    return {cid.split(":")[2]: cid for cid in buttons(components).values() if cid.startswith("ivig:rate:")}


def private_reply(discord_http) -> str:
    call = discord_http.replies[-1]
    assert call.ephemeral, "feedback replies are ephemeral"
    return call.data["content"]


def stored_feedback() -> list[dict]:
    with Store(resolve_data_dir()) as store:
        return store.feedback()


def stored_unanswered() -> list[dict]:
    with Store(resolve_data_dir()) as store:
        return store.unanswered()


def said(bot, key: str) -> str:
    return bot.app.service.say(key)


class Rated:
    """A bot that has just answered a question by mention: the answer message and its components."""

    def __init__(self, bot, message, components):
        self.bot, self.message, self.components = bot, message, components
        self.ids = rating_ids(components)

    async def press(self, rating: str, member=None, bot=None) -> None:
        await click(bot or self.bot, self.ids[rating], self.components, member, message_id=self.message.id)


async def answered(bot, channel_sends, question: str = QUESTION) -> Rated:
    await dpytest.message(f"{mention(bot)} {question}")
    (message,) = sent_messages()
    return Rated(bot, message, channel_sends[-1].components)


@pytest.fixture
async def rated(make_bot, channel_sends) -> Rated:
    return await answered(await make_bot(), channel_sends)


# --- the buttons ------------------------------------------------------------------------------------------


async def test_evidence_answers_carry_thumbs_up_and_down(rated):
    assert set(rated.ids) == {"good", "bad"} and all(RATE.match(cid) for cid in rated.ids.values())
    assert rated.ids["good"].rsplit(":", 1)[1] == rated.ids["bad"].rsplit(":", 1)[1]  # one token per answer
    emoji = [b["emoji"]["name"] for row in rated.components for b in row["components"]
             if b["custom_id"].startswith("ivig:rate:")]
    assert emoji == ["👍", "👎"]


@pytest.mark.parametrize("question", ["AD", "IVIG for lichen planus?", "help", "sources", ""])
async def test_no_rating_under_did_you_mean_not_found_help_or_sources(make_bot, channel_sends, question):
    bot = await make_bot()
    await dpytest.message(f"{mention(bot)} {question}")
    sent_messages()
    assert not rating_ids(channel_sends[-1].components)


async def test_slash_answers_carry_the_buttons_too(make_bot, discord_http):
    bot = await make_bot()
    await slash(bot, "ivig", question="IVIG in CIDP")
    answer = discord_http.replies[-1]
    await click(bot, rating_ids(answer.components)["good"], answer.components, message_id=answer.message_id)
    assert private_reply(discord_http) == said(bot, "feedback_saved_short")
    (record,) = stored_feedback()
    assert record["question"] == "IVIG in CIDP" and record["rating"] == "good"


# --- 👍 and 👎 ----------------------------------------------------------------------------------------------


async def test_thumbs_up_saves_then_thanks_privately(rated, discord_http):
    member = dpytest.get_config().members[1]  # anyone who reads the answer may rate it
    await rated.press("good", member)
    assert private_reply(discord_http) == said(rated.bot, "feedback_saved_short")
    (record,) = stored_feedback()
    assert record["rating"] == "good" and record["comment"] is None and record["adapter"] == "discord"
    assert record["question"] == QUESTION  # mention tokens hold Discord ids: dropped
    assert record["condition_ids"] == ["myasthenia-gravis"] and record["answer_kind"] == "answer"
    assert record["user_hash"] and str(member.id) not in record["user_hash"]  # pseudonymous, never the raw id


async def test_thumbs_down_opens_a_form_and_saves_the_comment(rated, discord_http):
    await rated.press("bad")
    assert stored_feedback() == []  # nothing yet: the user may still cancel the form
    (form,) = discord_http.modals()
    assert len(form["title"]) <= 45 and len(form["custom_id"]) <= 100
    (field,) = [c for row in form["components"] for c in row.get("components", [row.get("component")])]
    assert field["required"] is False and len(field["label"]) <= 45 and len(field.get("placeholder", "")) <= 100
    await submit_form(rated.bot, form, "The 2007 trial is missing")
    assert private_reply(discord_http) == said(rated.bot, "feedback_saved_short")
    (record,) = stored_feedback()
    assert record["rating"] == "bad" and record["comment"] == "The 2007 trial is missing"


async def test_thumbs_down_without_a_comment(rated, discord_http):
    await rated.press("bad")
    await submit_form(rated.bot, discord_http.modals()[-1], "   ")
    assert private_reply(discord_http) == said(rated.bot, "feedback_saved_short")
    (record,) = stored_feedback()
    assert record["rating"] == "bad" and record["comment"] is None


async def test_two_people_with_the_form_open_at_once_are_both_saved(rated, discord_http):
    """discord.py keeps one form object per custom id: each opening has its own, so neither comment is lost."""
    first, second = dpytest.get_config().members[:2]
    await rated.press("bad", first)
    await rated.press("bad", second)
    form_first, form_second = discord_http.modals()
    assert form_first["custom_id"] != form_second["custom_id"]
    await submit_form(rated.bot, form_second, "second", second)
    await submit_form(rated.bot, form_first, "first", first)
    saved = said(rated.bot, "feedback_saved_short")
    assert [c.data["content"] for c in discord_http.replies] == [saved, saved]
    assert sorted(r["comment"] for r in stored_feedback()) == ["first", "second"]


async def test_the_thanks_comes_only_after_the_commit(make_bot, channel_sends, discord_http):
    seen_when_saving: list[list[str]] = []

    class Watching(Recorder):
        def record_feedback(self, *args, **kwargs):
            seen_when_saving.append([c.data.get("content") for c in discord_http.calls])
            return super().record_feedback(*args, **kwargs)

    rated = await answered(await make_bot(recorder=Watching()), channel_sends, "IVIG in CIDP")
    await rated.press("good")
    thanks = said(rated.bot, "feedback_saved_short")
    assert seen_when_saving and thanks not in seen_when_saving[0]
    defer, reply = discord_http.calls[-2:]
    assert defer.kind == 5 and defer.ephemeral  # a private "thinking…" while saving
    assert reply.data["content"] == thanks and reply.ephemeral
    assert len(stored_feedback()) == 1


async def test_one_rating_per_user_per_answer(rated, discord_http):
    already = said(rated.bot, "feedback_already")
    await rated.press("good")
    await rated.press("good")
    assert private_reply(discord_http) == already
    await rated.press("bad")
    assert private_reply(discord_http) == already and discord_http.modals() == []
    await rated.press("good", dpytest.get_config().members[1])
    assert private_reply(discord_http) == said(rated.bot, "feedback_saved_short")
    assert len(stored_feedback()) == 2


async def test_the_oldest_answers_are_forgotten_first(make_bot, channel_sends, discord_http):
    bot = await make_bot(discord_cooldown_questions=100)
    bot.app.service.feedback.capacity = 2
    answers = [await answered(bot, channel_sends, q) for q in ["IVIG in CIDP", "IVIG in Kawasaki disease",
                                                               "IVIG in MMN"]]
    await answers[0].press("good")
    assert private_reply(discord_http) == said(bot, "feedback_too_old")
    await answers[2].press("good")
    assert private_reply(discord_http) == said(bot, "feedback_saved_short")


# --- across a restart: the rating state is in the store; too old is said politely, never lost silently ------


async def test_rating_buttons_work_after_a_restart(rated, make_bot, discord_http):
    restarted = await make_bot()  # a new process, the same store
    await rated.press("good", bot=restarted)
    assert private_reply(discord_http) == said(restarted, "feedback_saved_short")
    await rated.press("good", bot=restarted)
    assert private_reply(discord_http) == said(restarted, "feedback_already")  # once per user, across processes
    assert len(stored_feedback()) == 1


async def test_a_comment_form_submitted_after_a_restart_is_saved(rated, make_bot, discord_http):
    await rated.press("bad")
    (form,) = discord_http.modals()
    restarted = await make_bot()  # no form object waits for it now; the answer is still rateable
    await submit_form(restarted, form, "The 2007 trial is missing")
    (reply,) = discord_http.replies
    assert reply.ephemeral and reply.data["content"] == said(restarted, "feedback_saved_short")
    (record,) = stored_feedback()
    assert record["rating"] == "bad" and record["comment"] == "The 2007 trial is missing"


async def test_a_comment_form_for_an_answer_no_longer_rateable_gets_a_polite_too_old(make_bot, channel_sends,
                                                                                    discord_http):
    bot = await make_bot(discord_cooldown_questions=100)
    bot.app.service.feedback.capacity = 1
    rated = await answered(bot, channel_sends)
    await rated.press("bad")
    (form,) = discord_http.modals()
    await answered(bot, channel_sends, "IVIG in CIDP")  # a newer answer takes the only place
    restarted = await make_bot()
    await submit_form(restarted, form, "The 2007 trial is missing")
    (reply,) = discord_http.replies
    assert reply.ephemeral and reply.data["content"] == said(restarted, "feedback_too_old")
    assert stored_feedback() == []


async def test_a_comment_form_whose_object_is_gone_is_saved_while_the_answer_is_rateable(rated, discord_http,
                                                                                          monkeypatch):
    monkeypatch.setattr(views, "FORM_TIMEOUT", 0.05)
    await rated.press("bad")
    (form,) = discord_http.modals()
    await asyncio.sleep(0.2)  # the form object times out: the user is still typing
    await settle()
    await submit_form(rated.bot, form, "late, but not lost")
    assert private_reply(discord_http) == said(rated.bot, "feedback_saved_short")
    (record,) = stored_feedback()
    assert record["comment"] == "late, but not lost"


async def test_a_form_of_another_bot_is_left_alone(rated, discord_http):
    form = {"custom_id": "other:form", "components": [{"type": 1, "components": [{"type": 4, "custom_id": "x"}]}]}
    dispatch(rated.bot, form_payload(form, "hello"))
    await settle()
    assert discord_http.calls == []


# --- storage failures: a polite word, reported once; answers go out regardless ---------------------------


def broken_data_dir(tmp_path):
    """A data directory that cannot exist: its parent is a regular file."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    return blocker / "data"


class FailingSaves(Recorder):
    """Storage that keeps the rating buttons but cannot save a rating (the disk filled up meanwhile)."""

    def record_feedback(self, *args, **kwargs):
        raise OSError(28, "No space left on device")


async def test_feedback_that_cannot_be_saved_gets_a_polite_failure_reported_once(make_bot, channel_sends,
                                                                                   discord_http):
    reports = []
    bot = await make_bot(recorder=FailingSaves(on_error=reports.append), discord_cooldown_questions=9)
    not_saved = said(bot, "feedback_not_saved")
    for question in ["IVIG in CIDP", "IVIG in Kawasaki disease"]:
        rated = await answered(bot, channel_sends, question)
        await rated.press("good")
        assert private_reply(discord_http) == not_saved
        await rated.press("bad")  # nothing was saved: they may try again
        await submit_form(bot, discord_http.modals()[-1], "a comment")
        assert private_reply(discord_http) == not_saved
    assert len(reports) == 1 and "No space left on device" in reports[0]
    assert stored_feedback() == []


async def test_without_usable_storage_answers_go_out_without_rating_buttons(make_bot, channel_sends, tmp_path):
    reports = []
    bot = await make_bot(recorder=Recorder(broken_data_dir(tmp_path), on_error=reports.append),
                         discord_cooldown_questions=9)
    for question in ["IVIG in CIDP", "IVIG for lichen planus?", "AD", "IVIG for lupus nephritis?"]:
        await dpytest.message(f"{mention(bot)} {question}")
        assert sent_messages()
        assert not rating_ids(channel_sends[-1].components)
    bot.app.service.recorder.close()  # waits for the background writer, which met the broken folder too
    assert len(reports) == 1


class Broken:
    """A recorder whose disk is full: every call raises (but reporting, and closing)."""

    def __init__(self):
        self.reports = []

    def report(self, message):
        self.reports.append(message)

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise OSError(28, "No space left on device")

        return fail

    def close(self):
        pass


class BrokenButQuietLog(Broken):
    def record_unanswered(self, *args, **kwargs):
        return False  # the Recorder's contract: never raises


async def test_a_recorder_that_raises_everywhere_costs_no_answer(make_bot, channel_sends):
    recorder = BrokenButQuietLog()
    bot = await make_bot(recorder=recorder, discord_cooldown_questions=9)
    rated = await answered(bot, channel_sends, "IVIG in CIDP")
    assert rated.message.embeds and not rated.ids
    assert recorder.reports and "No space left on device" in recorder.reports[0]


async def test_a_recorder_that_raises_on_the_unanswered_log_costs_no_answer(make_bot, channel_sends):
    bot = await make_bot(recorder=Broken(), discord_cooldown_questions=9)
    for question in ["IVIG for lichen planus?", "AD"]:
        await dpytest.message(f"{mention(bot)} {question}")
        (reply,) = sent_messages()
        assert reply.embeds, "answered, not apologised for"


# --- the unanswered log -----------------------------------------------------------------------------------


async def test_not_found_and_did_you_mean_are_logged_pseudonymously(make_bot, core):
    recorder = Recorder()
    bot = await make_bot(recorder=recorder, discord_cooldown_questions=9)
    member = dpytest.get_config().members[0]
    await dpytest.message(f"{mention(bot)} IVIG for lichen planus?")
    await dpytest.message(f"{mention(bot)} IVIG in CIDP")  # answered: not logged
    await slash(bot, "ivig", question="AD")
    sent_messages()
    recorder.close()
    rows = stored_unanswered()
    assert [(r["question"], r["answer_kind"]) for r in rows] == [
        ("IVIG for lichen planus?", "not_found"), ("AD", "clarify")]
    from bot.models import Question

    assert rows[1]["suggestion_ids"] == [s.id for s in core.answer(Question(text="AD")).suggestions]
    assert all(r["adapter"] == "discord" and r["user_hash"] and str(member.id) not in r["user_hash"] for r in rows)
    assert rows[0]["user_hash"] == rows[1]["user_hash"]  # one user, one pseudonym


async def test_the_unanswered_log_can_be_switched_off(make_bot):
    recorder = make_recorder(make_settings(ivig_log_unanswered=False), logging.getLogger("test").warning)
    assert recorder.log_unanswered is False
    bot = await make_bot(recorder=recorder)
    await dpytest.message(f"{mention(bot)} IVIG for lichen planus?")
    sent_messages()
    recorder.close()
    assert not (resolve_data_dir() / "ivig-chat.sqlite3").exists()  # nothing was written at all


async def test_every_feedback_payload_respects_discords_limits(rated, discord_http):
    await rated.press("good")
    await rated.press("bad", dpytest.get_config().members[1])
    for call in discord_http.replies:
        assert_payload_within_limits(call.data)
