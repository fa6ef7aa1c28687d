"""👍/👎 under evidence answers, saved before the thanks; the unanswered log; storage failures cost no answer."""

import logging
import re

import discord.ext.test as dpytest
import pytest

from bot.adapters import discord_bot
from bot.adapters.discord_bot import (
    ALREADY_RATED,
    FEEDBACK_NOT_SAVED,
    FEEDBACK_SAVED,
    RATING_TOO_OLD,
    RateableAnswers,
    answer_view,
    create_bot,
    default_recorder,
)
from bot.storage import AnswerSnapshot, Recorder, Store, resolve_data_dir
from discord_fakes import assert_payload_within_limits, click, make_settings, slash, submit_form

RATE = re.compile(r"^ivig:rate:(good|bad):[0-9a-f]{12}$")


def mention(bot) -> str:
    return f"<@{bot.user.id}>"


def drain() -> list:
    out = []
    while not dpytest.sent_queue.empty():
        out.append(dpytest.get_message())
    return out


def buttons(components: list[dict]) -> dict[str, str]:
    """custom id -> label of every button in a message's components."""
    return {b["custom_id"]: b.get("label", "") for row in components for b in row["components"]}


def rating_ids(components: list[dict]) -> dict[str, str]:
    """"good"/"bad" -> the custom id of that rating button."""
    return {cid.split(":")[2]: cid for cid in buttons(components) if cid.startswith("ivig:rate:")}


def last_components(channel_sends) -> list[dict]:
    """The components of the last message the bot sent in a channel (they ride on the last part of an answer)."""
    return channel_sends[-1].kwargs["view"].to_components()


def private_reply(discord_http) -> str:
    call = discord_http.replies[-1]
    assert call.data["flags"] & 64, "feedback replies are ephemeral"
    return call.data["content"]


def stored_feedback() -> list[dict]:
    with Store(resolve_data_dir()) as store:
        return store.feedback()


def stored_unanswered() -> list[dict]:
    with Store(resolve_data_dir()) as store:
        return store.unanswered()


@pytest.fixture
async def rated(make_bot, channel_sends):
    """A bot that has just answered a mention about myasthenia gravis; its rating buttons' custom ids."""
    bot = await make_bot()
    await dpytest.message(f"{mention(bot)} does IVIG help myasthenia gravis?")
    drain()
    return bot, last_components(channel_sends)


# --- the buttons ------------------------------------------------------------------------------------------


async def test_evidence_answers_carry_thumbs_up_and_down(rated):
    _bot, components = rated
    ids = rating_ids(components)
    assert set(ids) == {"good", "bad"} and all(RATE.match(cid) for cid in ids.values())
    assert ids["good"].rsplit(":", 1)[1] == ids["bad"].rsplit(":", 1)[1]  # one token per answer
    emoji = [b["emoji"]["name"] for row in components for b in row["components"]]
    assert emoji == ["👍", "👎"]


@pytest.mark.parametrize("question", ["AD", "IVIG for pyoderma vulgaris?", "help", "sources"])
async def test_no_rating_under_did_you_mean_not_found_help_or_sources(make_bot, channel_sends, question):
    bot = await make_bot()
    await dpytest.message(f"{mention(bot)} {question}")
    drain()
    view = channel_sends[-1].kwargs.get("view")
    assert view is None or not rating_ids(view.to_components())


async def test_slash_answers_carry_the_buttons_too(make_bot, discord_http):
    bot = await make_bot()
    await slash(bot, "ivig", question="IVIG in CIDP")
    ids = rating_ids(discord_http.replies[-1].data["components"])
    await click(bot, ids["good"], discord_http.replies[-1].data["components"])
    assert private_reply(discord_http) == FEEDBACK_SAVED
    (record,) = stored_feedback()
    assert record["question"] == "IVIG in CIDP" and record["rating"] == "good"


def test_buttons_fit_even_with_many_did_you_mean_candidates(core):
    answer = core.answer(discord_bot.Question(text="IVIG for myasthenia gravis"))
    many = [answer.model_copy().conditions[0].model_copy(update={"id": f"c-{i}", "name": f"Condition {i}"})
            for i in range(40)]
    answer = answer.model_copy(update={"suggestions": many})
    rows = answer_view(answer, "0123456789ab").to_components()
    assert len(rows) == 5 and all(len(row["components"]) <= 5 for row in rows)
    assert [b["custom_id"].split(":")[1] for b in rows[-1]["components"]] == ["rate", "rate"]


# --- 👍 and 👎 ----------------------------------------------------------------------------------------------


async def test_thumbs_up_saves_then_thanks_privately(rated, discord_http):
    bot, components = rated
    member = dpytest.get_config().members[1]  # anyone who reads the answer may rate it
    await click(bot, rating_ids(components)["good"], components, member=member)
    assert private_reply(discord_http) == FEEDBACK_SAVED
    (record,) = stored_feedback()
    assert record["rating"] == "good" and record["comment"] is None and record["adapter"] == "discord"
    assert record["question"] == "does IVIG help myasthenia gravis?"  # mention tokens hold Discord ids: dropped
    assert record["condition_ids"] == ["myasthenia-gravis"] and record["answer_kind"] == "answer"
    assert record["user_hash"] and str(member.id) not in record["user_hash"]  # pseudonymous, never the raw id


async def test_thumbs_down_opens_a_form_and_saves_the_comment(rated, discord_http):
    bot, components = rated
    await click(bot, rating_ids(components)["bad"], components)
    assert stored_feedback() == []  # nothing yet: the user may still cancel the form
    (form,) = discord_http.modals()
    assert len(form["title"]) <= 45
    (field,) = [c for row in form["components"] for c in row.get("components", [row.get("component")])]
    assert field["required"] is False and len(field["label"]) <= 45 and len(field.get("placeholder", "")) <= 100
    await submit_form(bot, form, "The 2007 trial is missing")
    assert private_reply(discord_http) == FEEDBACK_SAVED
    (record,) = stored_feedback()
    assert record["rating"] == "bad" and record["comment"] == "The 2007 trial is missing"


async def test_thumbs_down_without_a_comment(rated, discord_http):
    bot, components = rated
    await click(bot, rating_ids(components)["bad"], components)
    await submit_form(bot, discord_http.modals()[-1], "")
    assert private_reply(discord_http) == FEEDBACK_SAVED
    (record,) = stored_feedback()
    assert record["rating"] == "bad" and record["comment"] is None


async def test_the_thanks_comes_only_after_the_commit(make_bot, channel_sends, discord_http):
    seen_when_saving: list[list[str]] = []

    class Watching(Recorder):
        def record_feedback(self, *args, **kwargs):
            seen_when_saving.append([c.data.get("content") for c in discord_http.calls])
            return super().record_feedback(*args, **kwargs)

    bot = await make_bot(recorder=Watching())
    bot.responder.defer_after = 0  # the save has not returned when the deadline check runs: "thinking…" first
    await dpytest.message(f"{mention(bot)} IVIG in CIDP")
    components = last_components(channel_sends)
    await click(bot, rating_ids(components)["good"], components)
    assert seen_when_saving and FEEDBACK_SAVED not in seen_when_saving[0]
    defer, thanks = discord_http.calls[-2:]
    assert defer.payload["type"] == 5 and defer.payload["data"]["flags"] & 64  # a private "thinking…"
    assert thanks.data["content"] == FEEDBACK_SAVED and thanks.data["flags"] & 64
    assert len(stored_feedback()) == 1


async def test_one_rating_per_user_per_answer(rated, discord_http):
    bot, components = rated
    ids = rating_ids(components)
    await click(bot, ids["good"], components)
    await click(bot, ids["good"], components)
    assert private_reply(discord_http) == ALREADY_RATED
    await click(bot, ids["bad"], components)
    assert private_reply(discord_http) == ALREADY_RATED and discord_http.modals() == []
    await click(bot, ids["good"], components, member=dpytest.get_config().members[1])
    assert private_reply(discord_http) == FEEDBACK_SAVED
    assert len(stored_feedback()) == 2


async def test_a_button_from_before_a_restart_is_too_old_to_rate(rated, make_bot, discord_http):
    _old_bot, components = rated
    restarted = await make_bot()  # a new process: nothing in memory
    await click(restarted, rating_ids(components)["bad"], components)
    assert private_reply(discord_http) == RATING_TOO_OLD
    assert discord_http.modals() == [] and stored_feedback() == []


async def test_the_oldest_answers_are_forgotten_first(make_bot, channel_sends, discord_http):
    bot = await make_bot(cooldown_questions=100)
    bot.responder.rateable = RateableAnswers(capacity=2)
    sent = []
    for question in ["IVIG in CIDP", "IVIG in Kawasaki disease", "IVIG in MMN"]:
        await dpytest.message(f"{mention(bot)} {question}")
        sent.append(last_components(channel_sends))
    drain()
    await click(bot, rating_ids(sent[0])["good"], sent[0])
    assert private_reply(discord_http) == RATING_TOO_OLD
    await click(bot, rating_ids(sent[2])["good"], sent[2])
    assert private_reply(discord_http) == FEEDBACK_SAVED


def test_rateable_answers_stay_bounded():
    answers = RateableAnswers(capacity=3)
    snapshot = AnswerSnapshot("q", "answer", "evidence", ("x",), (), "v")
    tokens = [answers.keep(snapshot) for _ in range(10)]
    assert len(answers) == 3 and len(set(tokens)) == 10
    assert answers.get(tokens[0]) is None and answers.get(tokens[-1]).snapshot == snapshot


# --- storage failures: a polite word, reported once ------------------------------------------------------


def broken_data_dir(tmp_path):
    """A data directory that cannot exist: its parent is a regular file."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    return blocker / "data"


async def test_feedback_that_cannot_be_saved_gets_a_polite_failure_reported_once(make_bot, channel_sends,
                                                                                   discord_http, tmp_path):
    reports = []
    bot = await make_bot(recorder=Recorder(broken_data_dir(tmp_path), on_error=reports.append), cooldown_questions=9)
    for question in ["IVIG in CIDP", "IVIG in Kawasaki disease"]:
        await dpytest.message(f"{mention(bot)} {question}")
        assert drain()  # the answer went out
        components = last_components(channel_sends)
        await click(bot, rating_ids(components)["good"], components)
        assert private_reply(discord_http) == FEEDBACK_NOT_SAVED
        await click(bot, rating_ids(components)["bad"], components)  # nothing was saved: they may try again
        await submit_form(bot, discord_http.modals()[-1], "a comment")
        assert private_reply(discord_http) == FEEDBACK_NOT_SAVED
    assert len(reports) == 1 and "cannot save feedback" in reports[0]


async def test_a_recorder_that_raises_costs_no_answer_and_is_logged_once(make_bot, channel_sends, discord_http,
                                                                          caplog):
    class Broken:
        def record_unanswered(self, *args, **kwargs):
            raise OSError(28, "No space left on device")

        def record_feedback(self, *args, **kwargs):
            raise OSError(28, "No space left on device")

        def close(self):
            pass

    bot = await make_bot(recorder=Broken(), cooldown_questions=9)
    with caplog.at_level(logging.DEBUG, logger="bot.discord"):
        for question in ["IVIG for pyoderma vulgaris?", "AD", "IVIG in CIDP"]:
            await dpytest.message(f"{mention(bot)} {question}")
            assert drain()
        components = last_components(channel_sends)
        await click(bot, rating_ids(components)["good"], components)
        assert private_reply(discord_http) == FEEDBACK_NOT_SAVED
        await slash(bot, "ivig", question="IVIG for pyoderma vulgaris?")
        assert discord_http.replies[-1].data["embeds"]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "No space left on device" in warnings[0].getMessage()
    assert "answers are not affected" in warnings[0].getMessage()


async def test_an_unusable_data_dir_never_blocks_answers_and_is_reported_once(make_bot, tmp_path):
    reports = []
    recorder = Recorder(broken_data_dir(tmp_path), on_error=reports.append)
    bot = await make_bot(recorder=recorder, cooldown_questions=9)
    for question in ["IVIG for pyoderma vulgaris?", "AD", "IVIG for lupus nephritis?", "what about xyzzy?"]:
        await dpytest.message(f"{mention(bot)} {question}")
        assert drain()
    recorder.close()  # waits for the background writer, which met the broken folder
    assert len(reports) == 1 and "Answers are not affected" in reports[0]


# --- the unanswered log -----------------------------------------------------------------------------------


async def test_not_found_and_did_you_mean_are_logged_pseudonymously(make_bot, discord_http):
    recorder = Recorder()
    bot = await make_bot(recorder=recorder, cooldown_questions=9)
    member = dpytest.get_config().members[0]
    await dpytest.message(f"{mention(bot)} IVIG for pyoderma vulgaris?")
    await dpytest.message(f"{mention(bot)} IVIG in CIDP")  # answered: not logged
    await slash(bot, "ivig", question="AD")
    drain()
    recorder.close()
    rows = stored_unanswered()
    assert [(r["question"], r["answer_kind"]) for r in rows] == [
        ("IVIG for pyoderma vulgaris?", "not_found"), ("AD", "clarify")]
    assert rows[1]["suggestion_ids"] == ["alzheimer-disease", "atopic-dermatitis"]
    assert all(r["adapter"] == "discord" and r["user_hash"] and str(member.id) not in r["user_hash"] for r in rows)
    assert rows[0]["user_hash"] == rows[1]["user_hash"]  # one user, one pseudonym


async def test_the_unanswered_log_can_be_switched_off(make_bot, monkeypatch):
    monkeypatch.setenv("IVIG_LOG_UNANSWERED", "0")
    recorder = default_recorder()
    assert recorder.log_unanswered is False
    bot = await make_bot(recorder=recorder)
    await dpytest.message(f"{mention(bot)} IVIG for pyoderma vulgaris?")
    drain()
    recorder.close()
    assert not (resolve_data_dir() / "ivig-chat.sqlite3").exists()  # nothing was written at all


def test_the_default_recorder_uses_the_data_dir_setting(core, monkeypatch, tmp_path):
    monkeypatch.setenv("IVIG_DATA_DIR", str(tmp_path / "elsewhere"))
    bot = create_bot(core, make_settings())
    assert bot.responder.recorder.data_dir == tmp_path / "elsewhere"
    assert not (tmp_path / "elsewhere").exists()  # nothing touches the disk until the first record
    bot.responder.recorder.close()


async def test_every_feedback_payload_respects_discords_limits(rated, discord_http):
    bot, components = rated
    await click(bot, rating_ids(components)["good"], components)
    for call in discord_http.replies:
        assert_payload_within_limits(call.data)
