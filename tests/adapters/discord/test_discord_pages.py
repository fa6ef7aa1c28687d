"""Details on request and pages (views.py): the Details button, Previous / Next with "page n of m", only the asker
turns the pages, pages that time out cleanly, and page buttons that outlive their paginator."""

import asyncio

import discord.ext.test as dpytest
import pytest

from bot.adapters.discord import views
from discord_fakes import (
    assert_payload_within_limits,
    buttons,
    click,
    expected,
    mention,
    page_embed_dicts,
    pick_question,
    same_embeds,
    sent_messages,
    settle,
    slash,
)


def marker(index: int, pages: list) -> str:
    return f"page {index + 1} of {len(pages)}"


def page_buttons(components: list[dict]) -> dict[str, dict]:
    """Previous / Next: label -> the button as sent (custom id, disabled)."""
    return {b["label"]: b for row in components for b in row["components"] if b["custom_id"].startswith("ivig:page:")}


@pytest.fixture
def long_condition(core) -> str:
    """A condition whose details fill at least three pages (chosen from the data)."""
    from discord_fakes import condition_with

    return condition_with(core, detail_pages=3)


async def ask_in_channel(bot, core, condition_id: str, channel_sends, member: int = 0):
    """Ask about a condition by mention; the answer message and its components."""
    await dpytest.message(f"{mention(bot)} IVIG for {core.kb.conditions[condition_id].name}?", member=member)
    (message,) = sent_messages()
    return message, channel_sends[-1].components


async def open_details(bot, message, components, member=None):
    await click(bot, buttons(components)["Details"], components, member, message_id=message.id)


# --- Details ----------------------------------------------------------------------------------------------


async def test_details_are_paginated_with_previous_next_and_page_n_of_m(dpy_bot, core, channel_sends, discord_http,
                                                                        long_condition):
    shown = expected(core, pick_question(core, long_condition)).details
    message, components = await ask_in_channel(dpy_bot, core, long_condition, channel_sends)
    await open_details(dpy_bot, message, components)
    (details,) = discord_http.replies
    assert details.kind == 4 and not details.ephemeral  # the asker's details, beside the answer: 2 messages in all
    assert same_embeds(details.embeds, page_embed_dicts(shown[0], "answer", marker(0, shown)))
    turn = page_buttons(details.components)
    assert turn["Previous"]["disabled"] and not turn["Next"]["disabled"]
    assert_payload_within_limits(details.data)
    for index in range(1, len(shown)):  # Next to the last page
        await click(dpy_bot, turn["Next"]["custom_id"], details.components, message_id=details.message_id)
        edit = discord_http.calls[-1]
        assert edit.kind == 7  # the same message, edited
        assert same_embeds(edit.embeds, page_embed_dicts(shown[index], "answer", marker(index, shown)))
        assert_payload_within_limits(edit.data)
    assert page_buttons(discord_http.calls[-1].components)["Next"]["disabled"]
    await click(dpy_bot, turn["Previous"]["custom_id"], details.components, message_id=details.message_id)
    assert same_embeds(discord_http.calls[-1].embeds, page_embed_dicts(shown[-2], "answer", marker(len(shown) - 2,
                                                                                                     shown)))
    assert len(sent_messages()) == 0 and len(channel_sends) == 1 and len(discord_http.new_messages) == 1


async def test_details_of_a_slash_answer(dpy_bot, core, discord_http, long_condition):
    shown = expected(core, pick_question(core, long_condition)).details
    await slash(dpy_bot, "ivig", question=f"IVIG for {core.kb.conditions[long_condition].name}?")
    (answer,) = discord_http.replies
    await click(dpy_bot, buttons(answer.components)["Details"], answer.components, message_id=answer.message_id)
    details = discord_http.replies[-1]
    assert not details.ephemeral and same_embeds(details.embeds, page_embed_dicts(shown[0], "answer",
                                                                                 marker(0, shown)))


async def test_pressing_details_again_never_floods_the_channel(dpy_bot, core, channel_sends, discord_http,
                                                                long_condition):
    """The asker's details are public once (the question's second message); every later press is private."""
    message, components = await ask_in_channel(dpy_bot, core, long_condition, channel_sends)
    for member in (None, None, dpytest.get_config().members[1], None):
        await open_details(dpy_bot, message, components, member)
    assert [c.ephemeral for c in discord_http.new_messages] == [False, True, True, True]


async def test_only_the_asker_turns_the_pages_others_get_a_private_notice(dpy_bot, core, channel_sends,
                                                                          discord_http, long_condition):
    message, components = await ask_in_channel(dpy_bot, core, long_condition, channel_sends)
    await open_details(dpy_bot, message, components)
    details = discord_http.replies[-1]
    other = dpytest.get_config().members[1]
    discord_http.clear()
    await click(dpy_bot, page_buttons(details.components)["Next"]["custom_id"], details.components, other,
                message_id=details.message_id)
    (notice,) = discord_http.calls
    assert notice.kind == 4 and notice.ephemeral
    assert notice.data["content"] == dpy_bot.app.service.say("not_your_pages")
    # The asker still can: the refusal changed nothing.
    await click(dpy_bot, page_buttons(details.components)["Next"]["custom_id"], details.components,
                message_id=details.message_id)
    assert discord_http.calls[-1].kind == 7 and marker(1, expected(core, pick_question(
        core, long_condition)).details) in discord_http.calls[-1].embeds[-1]["footer"]["text"]


async def test_someone_else_pressing_details_gets_their_own_private_pages(dpy_bot, core, channel_sends,
                                                                          discord_http, long_condition):
    shown = expected(core, pick_question(core, long_condition)).details
    message, components = await ask_in_channel(dpy_bot, core, long_condition, channel_sends)
    other = dpytest.get_config().members[1]
    await open_details(dpy_bot, message, components, other)
    details = discord_http.replies[-1]
    assert details.ephemeral and same_embeds(details.embeds, page_embed_dicts(shown[0], "answer", marker(0, shown)))
    await click(dpy_bot, page_buttons(details.components)["Next"]["custom_id"], details.components, other,
                message_id=details.message_id, flags=64)
    assert discord_http.calls[-1].kind == 7  # their own pages: they may turn them


async def test_the_short_form_pages_too_and_only_for_the_asker(dpy_bot, core, channel_sends, discord_http):
    names = sorted(c.name for c in core.kb.conditions.values())[:25]
    question = "IVIG in " + ", ".join(names) + "?"
    shown = expected(core, question)
    assert len(shown.pages) >= 2
    await dpytest.message(f"{mention(dpy_bot)} {question}")
    (message,) = sent_messages()
    components = channel_sends[-1].components
    next_id = page_buttons(components)["Next"]["custom_id"]
    await click(dpy_bot, next_id, components, dpytest.get_config().members[2], message_id=message.id)
    (notice,) = discord_http.calls
    assert notice.ephemeral and notice.data["content"] == dpy_bot.app.service.say("not_your_pages")
    await click(dpy_bot, next_id, components, message_id=message.id)
    assert discord_http.calls[-1].kind == 7
    assert same_embeds(discord_http.calls[-1].embeds, page_embed_dicts(shown.pages[1], shown.kind,
                                                                      marker(1, shown.pages)))


async def test_an_answer_that_is_the_details_has_no_details_button(make_bot, core, channel_sends):
    bot = await make_bot()
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?")
    await dpytest.message(f"{mention(bot)} more")
    sent_messages()
    assert "Details" not in buttons(channel_sends[-1].components)


# --- time-outs, restarts, and the buttons that outlive their paginator ----------------------------------


@pytest.fixture
def quick_pages(monkeypatch):
    """Paginators time out after a tenth of a second, through discord.py's own timer."""
    monkeypatch.setattr(views, "PAGE_TIMEOUT", 0.1)


async def time_passes(seconds: float = 0.3) -> None:
    await asyncio.sleep(seconds)
    await settle()


async def test_the_details_time_out_cleanly_through_the_last_page_turns_token(dpy_bot, core, channel_sends,
                                                                              discord_http, long_condition,
                                                                              monkeypatch):
    monkeypatch.setattr(views, "PAGE_TIMEOUT", 1.0)  # long enough to turn a page first, even on a busy machine
    message, components = await ask_in_channel(dpy_bot, core, long_condition, channel_sends)
    await open_details(dpy_bot, message, components)
    details = discord_http.replies[-1]
    await click(dpy_bot, page_buttons(details.components)["Next"]["custom_id"], details.components,
                message_id=details.message_id)
    turn = discord_http.calls[-1]
    assert turn.kind == 7
    await time_passes(1.5)
    (edit,) = [c for c in discord_http.calls if c.method == "PATCH"]
    # Edited with the page turn's token, still valid (the original one may be 15 minutes old by now).
    assert edit.path.endswith("/messages/@original") and edit.token == turn.token
    assert edit.payload["components"] == []  # nothing left: the details have only page buttons


async def test_a_paged_answer_times_out_cleanly_keeping_its_other_buttons(dpy_bot, core, channel_sends,
                                                                         discord_http, monkeypatch, quick_pages):
    edits = []
    real_edit = dpy_bot.http.edit_message

    async def edit_message(channel_id, message_id, **fields):
        edits.append((message_id, fields["params"].payload))
        return await real_edit(channel_id, message_id, **fields)

    monkeypatch.setattr(dpy_bot.http, "edit_message", edit_message)
    names = sorted(c.name for c in core.kb.conditions.values())[:25]
    await dpytest.message(f"{mention(dpy_bot)} IVIG in {', '.join(names)}?")
    (message,) = sent_messages()
    before = buttons(channel_sends[-1].components)
    await time_passes()
    ((edited_id, payload),) = edits
    after = buttons(payload["components"])
    assert edited_id == message.id
    assert after == {label: cid for label, cid in before.items() if label not in ("Previous", "Next")}
    assert "Helpful" in after and "Details" in after


async def test_every_button_still_works_after_a_paginator_times_out(dpy_bot, core, channel_sends, discord_http,
                                                                    quick_pages):
    """discord.py forgets dynamic items bot-wide with a view that held them; the bot registers them again."""
    names = sorted(c.name for c in core.kb.conditions.values())[:25]
    await dpytest.message(f"{mention(dpy_bot)} IVIG in {', '.join(names)}?")
    (message,) = sent_messages()
    components = channel_sends[-1].components
    await time_passes()
    labels = buttons(components)
    await click(dpy_bot, labels["Helpful"], components, message_id=message.id)
    assert discord_http.replies[-1].data["content"] == dpy_bot.app.service.say("feedback_saved_short")
    await click(dpy_bot, labels["Details"], components, message_id=message.id)
    assert discord_http.replies[-1].embeds
    pick = next(cid for cid in labels.values() if cid.startswith("ivig:pick:"))
    await click(dpy_bot, pick, components, message_id=message.id)
    assert discord_http.replies[-1].embeds[0]["title"] == core.kb.conditions[pick.split(":")[2]].name


async def test_a_page_button_of_a_timed_out_paginator_says_the_pages_expired(dpy_bot, core, channel_sends,
                                                                             discord_http, long_condition,
                                                                             quick_pages):
    message, components = await ask_in_channel(dpy_bot, core, long_condition, channel_sends)
    await open_details(dpy_bot, message, components)
    details = discord_http.replies[-1]
    await time_passes()
    discord_http.clear()
    await click(dpy_bot, page_buttons(details.components)["Next"]["custom_id"], details.components,
                message_id=details.message_id)  # a client that still shows the old buttons
    (notice,) = discord_http.calls
    assert notice.ephemeral and notice.data["content"] == dpy_bot.app.service.say("pages_expired")


async def test_after_a_restart_page_buttons_and_details_say_the_pages_expired(make_bot, core, channel_sends,
                                                                              discord_http, long_condition):
    bot = await make_bot()
    message, components = await ask_in_channel(bot, core, long_condition, channel_sends)
    await open_details(bot, message, components)
    details = discord_http.replies[-1]
    restarted = await make_bot()  # a new process: no paginator, nothing kept
    discord_http.clear()
    await click(restarted, page_buttons(details.components)["Next"]["custom_id"], details.components,
                message_id=details.message_id)
    await open_details(restarted, message, components)
    expired = restarted.app.service.say("pages_expired")
    assert [(c.ephemeral, c.data.get("content")) for c in discord_http.calls] == [(True, expired)] * 2


async def test_page_turns_and_their_ids_stay_within_discords_limits(dpy_bot, core, channel_sends, discord_http,
                                                                    long_condition):
    message, components = await ask_in_channel(dpy_bot, core, long_condition, channel_sends)
    await open_details(dpy_bot, message, components)
    for call in discord_http.replies:
        assert_payload_within_limits(call.data)
    ids = [b["custom_id"] for row in discord_http.replies[-1].components for b in row["components"]]
    assert all(len(i) <= 100 for i in ids) and len(set(ids)) == len(ids)
