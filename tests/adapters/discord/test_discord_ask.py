"""The Ask cog, driven like Discord drives it: mentions and DMs (dpytest), /ivig and /ivig-list, autocomplete and
"did you mean" buttons (real interactions), each answer one message with the presenter's short form."""

import logging
import re
import threading

import discord
import discord.ext.test as dpytest
import pytest
from discord.ext.test import backend, factories

from bot.adapters.discord.bot import ANSWER_THREADS
from bot.adapters.discord.cogs import ask as ask_cog
from bot.adapters.discord.render import page_content
from bot.completion import NameIndex
from bot.models import Question
from discord_fakes import (
    assert_no_pings,
    assert_payload_within_limits,
    autocomplete,
    buttons,
    click,
    cog_globals,
    embed_text,
    expected,
    mention,
    page_embed_dicts,
    pick_question,
    post,
    same_embeds,
    sent_messages,
    settle,
    slash,
)

MG = "does ivig help myasthenia gravis?"
# REPL commands that mean nothing on Discord; "/ivig" and "/ivig-list" are Discord's own.
REPL_WORDS = re.compile(r"(?<![\w-])/(help|list|more|details|next|prev|previous|good|bad|quit|exit|about|sources)\b")


def marker(pages: list) -> str | None:
    return f"page 1 of {len(pages)}" if len(pages) > 1 else None


def first_page_embeds(core, question) -> list[dict]:
    shown = expected(core, question)
    return page_embed_dicts(shown.pages[0], shown.kind, marker(shown.pages))


class FailingOnce:
    """The real core, except that its first answer raises, as a bug in a handler would."""

    def __init__(self, core):
        self._core = core
        self.failed = False

    def answer(self, question):
        if not self.failed:
            self.failed = True
            raise RuntimeError("boom")
        return self._core.answer(question)

    def __getattr__(self, name):
        return getattr(self._core, name)


# --- mentions and DMs (dpytest) ---------------------------------------------------------------------------


async def test_a_mention_is_answered_in_one_message_with_the_short_form(dpy_bot, core, channel_sends):
    await dpytest.message(f"{mention(dpy_bot)} {MG}")
    (message,) = sent_messages()
    (sent,) = channel_sends
    assert same_embeds(sent.payload["embeds"], first_page_embeds(core, MG))
    assert message.embeds[0].title == core.kb.conditions["myasthenia-gravis"].name
    assert sent.payload["message_reference"]["fail_if_not_exists"] is False  # a reply to the question
    assert_no_pings(sent.payload["allowed_mentions"])
    assert_payload_within_limits(sent.payload)


async def test_a_dm_is_answered_without_a_mention(dpy_bot, core, channel_sends):
    member = dpytest.get_config().members[0]
    dm = await member.create_dm()
    await dpytest.message("IVIG for CIDP?", channel=dm, member=member)
    (message,) = sent_messages()
    assert isinstance(message.channel, discord.DMChannel)
    assert same_embeds(channel_sends[-1].payload["embeds"], first_page_embeds(core, "IVIG for CIDP?"))


async def test_messages_not_addressed_to_the_bot_are_ignored(dpy_bot, channel_sends):
    await dpytest.message(MG)
    await dpytest.message(f"<@{dpytest.get_config().members[1].id}> {MG}")  # someone else is mentioned
    assert sent_messages() == [] and channel_sends == []


async def test_everyone_and_here_are_not_a_mention_of_the_bot(dpy_bot, channel_sends):
    await post(f"@everyone {MG}", mention_everyone=True)
    await post(f"@here {MG}", mention_everyone=True)
    assert sent_messages() == [] and channel_sends == []


async def test_a_mention_of_the_bots_own_role_is_a_mention_of_the_bot(dpy_bot, core, channel_sends):
    """Discord gives a bot a managed role of its own; picking it in the mention menu means the bot. Other roles
    do not."""
    guild = dpytest.get_config().guilds[0]
    own = factories.make_role_dict("FakeApp", managed=True, mentionable=True)
    own["tags"] = {"bot_id": str(dpy_bot.user.id)}
    backend.get_state().parse_guild_role_create({"guild_id": guild.id, "role": own})
    other = backend.make_role("clinicians", guild, mentionable=True)
    await post(f"<@&{other.id}> {MG}", role_mentions=[other.id])
    assert sent_messages() == []
    await post(f"<@&{own['id']}> {MG}", role_mentions=[own["id"]])
    (message,) = sent_messages()
    assert message.embeds[0].title == core.kb.conditions["myasthenia-gravis"].name


async def test_other_bots_and_itself_are_ignored(dpy_bot, channel_sends):
    other = discord.User(state=backend.get_state(), data=factories.make_user_dict("OtherBot", 1, None, bot=True))
    await post(f"{mention(dpy_bot)} {MG}", author=other)
    await post(f"{mention(dpy_bot)} {MG}", author=dpy_bot.user)
    assert sent_messages() == [] and channel_sends == []


async def test_a_question_full_of_mentions_pings_nobody(dpy_bot, core, channel_sends):
    config = dpytest.get_config()
    role = backend.make_role("clinicians", config.guilds[0], mentionable=True)
    other = config.members[1]
    await post(f"{mention(dpy_bot)} @everyone @here <@&{role.id}> <@{other.id}> {MG}", mention_everyone=True,
               role_mentions=[role.id])
    (message,) = sent_messages()
    assert message.embeds[0].title == core.kb.conditions["myasthenia-gravis"].name
    (sent,) = channel_sends
    assert_no_pings(sent.payload["allowed_mentions"])
    assert f"<@{other.id}>" not in embed_text(sent.payload["embeds"])


async def test_mention_tokens_are_dropped_from_the_question(dpy_bot):
    config = dpytest.get_config()
    other = config.members[1]
    await dpytest.message(f"{mention(dpy_bot)} <@{other.id}> asked: IVIG for CIDP?")
    sent_messages()
    state = dpy_bot.app.service.last(("discord", config.channels[0].id, config.members[0].id))
    assert state.question == "asked: IVIG for CIDP?" and state.condition_ids
    assert ask_cog.without_mentions("<@1> does IVIG help <@!22>, <@&333> or <#4444> with MG?") == \
        "does IVIG help , or with MG?"
    assert ask_cog.without_mentions("  no mentions, spaces kept  ") == "  no mentions, spaces kept  "


@pytest.mark.parametrize("text", ["", "help", "what about xyzzy?", "how many patients?", "sources?", "/help",
                                  "/list", "hello"])
async def test_no_answer_names_a_repl_command(dpy_bot, channel_sends, text):
    """A bare mention, help and the not-found answers point to Discord's ways (/ivig, buttons), never "/help"."""
    await dpytest.message(f"{mention(dpy_bot)} {text}".strip())
    assert sent_messages()
    shown = "\n".join(embed_text(s.payload.get("embeds") or []) + (s.payload.get("content") or "")
                      for s in channel_sends)
    assert shown.strip() and not REPL_WORDS.search(shown), shown


async def test_a_bare_mention_gets_the_hint_worded_for_discord(dpy_bot, core, channel_sends):
    await dpytest.message(mention(dpy_bot))
    (message,) = sent_messages()
    assert same_embeds(channel_sends[-1].payload["embeds"], first_page_embeds(core, ""))
    assert dpy_bot.app.service.commands.help in message.embeds[0].description


async def test_help_is_worded_for_discord(dpy_bot, channel_sends):
    await dpytest.message(f"{mention(dpy_bot)} help")
    sent_messages()
    text = embed_text(channel_sends[-1].payload["embeds"])
    assert "/ivig" in text and "/ivig-list" in text and "/quit" not in text


async def test_without_embed_permission_the_answer_is_one_plain_message(dpy_bot, core, channel_sends):
    config = dpytest.get_config()
    channel, guild = config.channels[0], config.guilds[0]
    await dpytest.set_permission_overrides(guild.default_role, channel, embed_links=False)
    await dpytest.message(f"{mention(dpy_bot)} {MG}")
    (message,) = sent_messages()
    shown = expected(core, MG)
    assert not message.embeds and message.content == page_content(shown.pages[0], marker(shown.pages))
    assert len(message.content) <= 2000


async def test_no_permission_to_send_means_no_request_at_all(dpy_bot, channel_sends, caplog, monkeypatch):
    config = dpytest.get_config()
    channel, guild = config.channels[0], config.guilds[0]
    await dpytest.set_permission_overrides(guild.default_role, channel, send_messages=False)
    assert not channel.permissions_for(guild.me).send_messages
    requests = []
    for name in ("send_message", "start_private_message", "edit_message"):
        real = getattr(dpy_bot.http, name)
        monkeypatch.setattr(dpy_bot.http, name, lambda *a, _real=real, _name=name, **k: requests.append(_name)
                            or _real(*a, **k))
    with caplog.at_level(logging.WARNING, logger="bot.discord"):
        for _ in range(3):
            await dpytest.message(f"{mention(dpy_bot)} {MG}")
    assert sent_messages() == [] and channel_sends == [] and requests == []
    warnings = [r for r in caplog.records if r.name == "bot.discord"]
    assert len(warnings) == 1 and "may not send messages" in warnings[0].getMessage()  # once per channel
    await dpytest.message(f"{mention(dpy_bot)} {MG}", channel=1)  # another channel is served as usual
    assert sent_messages() and requests == ["send_message"]


async def test_without_read_message_history_the_answer_is_not_a_reply(dpy_bot, channel_sends):
    """Replying needs Read Message History: without it, the answer goes out plainly, with no refused request."""
    config = dpytest.get_config()
    await dpytest.set_permission_overrides(config.guilds[0].default_role, config.channels[0],
                                           read_message_history=False)
    await dpytest.message(f"{mention(dpy_bot)} {MG}")
    (message,) = sent_messages()
    (sent,) = channel_sends
    assert "message_reference" not in sent.payload and message.embeds


async def test_a_reply_refused_by_discord_is_sent_without_the_reply_link(dpy_bot, monkeypatch):
    real_send = discord.TextChannel.send

    async def send(self, *args, reference=None, **kwargs):
        if reference is not None:  # what Discord answers when the bot may not read the history it replies to
            raise discord.Forbidden(type("Response", (), {"status": 403, "reason": "Forbidden"})(),
                                    "Missing Permissions")
        return await real_send(self, *args, **kwargs)

    monkeypatch.setattr(discord.TextChannel, "send", send)
    await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    (message,) = sent_messages()
    assert message.embeds[0].title.startswith("Chronic inflammatory")


# --- one message per question, whatever is asked ---------------------------------------------------------


def naming(core, count: int | None) -> str:
    names = sorted(c.name for c in core.kb.conditions.values())
    return "IVIG in " + ", ".join(names if count is None else names[:count]) + "?"


@pytest.mark.parametrize("count", [1, 3, 10, None], ids=["one", "three", "ten", "every-condition"])
async def test_any_question_is_one_message(make_bot, core, channel_sends, discord_http, count):
    bot = await make_bot()
    question = naming(core, count)
    await dpytest.message(f"{mention(bot)} {question}")
    assert len(sent_messages()) == 1 and len(channel_sends) == 1
    assert same_embeds(channel_sends[0].payload["embeds"], first_page_embeds(core, question))
    assert_payload_within_limits(channel_sends[0].payload)
    await slash(bot, "ivig", question=question)
    (reply,) = discord_http.replies
    assert reply.kind == 4 and same_embeds(reply.embeds, first_page_embeds(core, question))
    assert_payload_within_limits(reply.data)


async def test_every_condition_named_is_a_comparison_paged_ten_lines_at_a_time(dpy_bot, core, channel_sends,
                                                                               discord_http):
    question = naming(core, None)
    shown = expected(core, question)
    assert len(shown.pages) > 1 and all(len(page.picks()) <= 10 for page in shown.pages)
    await dpytest.message(f"{mention(dpy_bot)} {question}")
    (message,) = sent_messages()
    components = channel_sends[0].components
    labels = buttons(components)
    picks = [cid for cid in labels.values() if cid.startswith("ivig:pick:")]
    assert picks == [f"ivig:pick:{line.pick}" for line in shown.pages[0].picks()]
    assert message.embeds[-1].footer.text.startswith(f"page 1 of {len(shown.pages)}")
    # The asker turns to the next page: the same message is edited, no new message is sent.
    await click(dpy_bot, labels["Next"], components, message_id=message.id)
    (turn,) = discord_http.calls
    assert turn.kind == 7
    assert same_embeds(turn.embeds, page_embed_dicts(shown.pages[1], shown.kind, f"page 2 of {len(shown.pages)}"))
    assert [b for b in buttons(turn.components).values() if b.startswith("ivig:pick:")] == [
        f"ivig:pick:{line.pick}" for line in shown.pages[1].picks()]
    assert sent_messages() == [] and len(channel_sends) == 1


# --- "did you mean": buttons ------------------------------------------------------------------------------


async def test_did_you_mean_buttons_answer_the_picked_condition(dpy_bot, core, channel_sends, discord_http):
    await dpytest.message(f"{mention(dpy_bot)} AD")
    (message,) = sent_messages()
    suggestions = core.answer(Question(text="AD")).suggestions
    assert len(suggestions) >= 2
    components = channel_sends[-1].components
    assert buttons(components) == {s.name: f"ivig:pick:{s.id}" for s in suggestions}
    picked = suggestions[-1]
    await click(dpy_bot, f"ivig:pick:{picked.id}", components, message_id=message.id)
    (reply,) = discord_http.replies
    assert reply.kind == 4 and not reply.ephemeral  # the answer is for the channel, like the question
    assert same_embeds(reply.embeds, first_page_embeds(core, pick_question(core, picked.id)))
    assert_no_pings(reply.data["allowed_mentions"])


async def test_slash_did_you_mean_buttons_answer_the_picked_condition(dpy_bot, core, discord_http):
    await slash(dpy_bot, "ivig", question="AD")
    components = discord_http.replies[-1].components
    suggestions = core.answer(Question(text="AD")).suggestions
    assert [b for b in buttons(components).values()] == [f"ivig:pick:{s.id}" for s in suggestions]
    await click(dpy_bot, f"ivig:pick:{suggestions[0].id}", components)
    assert same_embeds(discord_http.replies[-1].embeds, first_page_embeds(core, pick_question(core,
                                                                                             suggestions[0].id)))


async def test_a_button_for_a_condition_no_longer_known_says_so_privately(dpy_bot, discord_http):
    components = [{"type": 1, "components": [{"type": 2, "style": 1, "label": "Gone", "custom_id": "ivig:pick:gone"}]}]
    await click(dpy_bot, "ivig:pick:gone", components)
    (reply,) = discord_http.replies
    assert reply.data["content"] == dpy_bot.app.service.say("gone_condition") and reply.ephemeral


async def test_partial_answers_offer_buttons_for_what_was_not_answered(dpy_bot, core, channel_sends):
    question = "ITP and myastenia gravis"
    shown = expected(core, question)
    picks = [line.pick for line in shown.pages[0].picks()]
    if not picks:
        pytest.skip("the matcher now reads every part of this question")
    await dpytest.message(f"{mention(dpy_bot)} {question}")
    sent_messages()
    ids = list(buttons(channel_sends[-1].components).values())
    assert ids[:len(picks)] == [f"ivig:pick:{p}" for p in picks]
    assert any(i.startswith("ivig:rate:") for i in ids)  # the answered part can be rated


# --- slash commands and autocomplete (real interactions) -------------------------------------------------


async def test_slash_ivig_answers_publicly_with_the_short_form(dpy_bot, core, discord_http):
    question = "IVIG for Kawasaki disease?"
    await slash(dpy_bot, "ivig", question=question)
    (reply,) = discord_http.replies
    assert reply.path.endswith("/callback") and reply.kind == 4 and not reply.ephemeral
    assert same_embeds(reply.embeds, first_page_embeds(core, question))
    assert_no_pings(reply.data["allowed_mentions"])


async def test_slash_ivig_in_a_dm(dpy_bot, core, discord_http):
    member = dpytest.get_config().members[0]
    dm = await member.create_dm()
    await slash(dpy_bot, "ivig", member=member, channel=dm, question="IVIG in CIDP")
    (reply,) = discord_http.replies
    assert same_embeds(reply.embeds, first_page_embeds(core, "IVIG in CIDP"))


async def test_slash_ivig_without_embed_permission_is_plain_text(dpy_bot, core, discord_http):
    permissions = discord.Permissions.all()
    permissions.embed_links = False
    await slash(dpy_bot, "ivig", app_permissions=permissions, question=MG)
    (reply,) = discord_http.replies
    shown = expected(core, MG)
    assert not reply.embeds and reply.data["content"] == page_content(shown.pages[0], marker(shown.pages))


async def test_a_slow_answer_is_deferred_then_sent(dpy_bot, core, discord_http, monkeypatch):
    monkeypatch.setitem(cog_globals(dpy_bot), "DEFER_AFTER", 0)  # the answer is not ready when the deadline check runs
    await slash(dpy_bot, "ivig", question="IVIG in CIDP")
    defer, *rest = [c for c in discord_http.calls if c.method != "GET"]
    assert defer.kind == 5 and not defer.ephemeral  # "thinking…", in public: the answer will be public
    (answer,) = rest
    assert answer.path.startswith("/webhooks/") and same_embeds(answer.embeds, first_page_embeds(core,
                                                                                                 "IVIG in CIDP"))


async def test_slash_ivig_list_filters_by_specialty(dpy_bot, core, discord_http):
    specialty = sorted(core.kb.specialties)[0]
    await slash(dpy_bot, "ivig-list", specialty=specialty.capitalize())
    count = sum(1 for c in core.kb.conditions.values() if c.specialty == specialty)
    titles = [e.get("title") for e in discord_http.replies[-1].embeds]
    assert f"{specialty.capitalize()} ({count})" in titles
    assert all(t is None or t.startswith(specialty.capitalize()) for t in titles)


async def test_slash_ivig_list_filters_by_direction(dpy_bot, core, discord_http):
    await slash(dpy_bot, "ivig-list", direction="not_recommended")
    text = embed_text(discord_http.replies[-1].embeds)
    assert core.texts.labels["list_not_recommended"] in text


async def test_slash_ivig_list_of_an_unknown_specialty_says_so(dpy_bot, discord_http):
    await slash(dpy_bot, "ivig-list", specialty="astrology")
    text = embed_text(discord_http.replies[-1].embeds)
    assert "astrology" in text and "Specialties:" in text


async def test_autocomplete_offers_names_from_the_prefix_index_in_its_own_thread(dpy_bot, discord_http,
                                                                                 monkeypatch):
    threads, calls = [], []
    real_complete = NameIndex.complete

    def spy(self, typed, limit=25):
        threads.append(threading.current_thread().name)
        calls.append(typed)
        return real_complete(self, typed, limit)

    monkeypatch.setattr(NameIndex, "complete", spy)
    await autocomplete(dpy_bot, "ivig", "question", question="does ivig help myas")
    (call,) = discord_http.calls
    assert call.kind == 8
    values = [c["value"] for c in call.payload["data"]["choices"]]
    assert values[0] == "does ivig help myas" and "does ivig help Myasthenia gravis" in values
    assert all(1 <= len(v) <= 100 for v in values) and len(values) <= 25
    assert calls == ["does ivig help myas"] and threads[0].startswith("ivig-complete")


async def test_autocomplete_answers_while_every_answer_thread_is_busy(dpy_bot, discord_http, core):
    """Keystrokes never queue behind answers: the answer threads are all blocked, completion still answers."""
    release = threading.Event()
    blockers = [dpy_bot.app.answer_pool.submit(release.wait, 30) for _ in range(ANSWER_THREADS * 2)]
    try:
        await autocomplete(dpy_bot, "ivig", "question", question="kawa")
        (call,) = discord_http.calls
        assert any("Kawasaki" in c["value"] for c in call.payload["data"]["choices"])
    finally:
        release.set()
        for blocker in blockers:
            blocker.result(5)


def test_question_choices(dpy_bot, core):
    cog = dpy_bot.get_cog("Ask")
    names = sorted((c.name for c in core.kb.conditions.values()), key=str.lower)
    assert cog.question_choices("") == names[:25]
    assert "Myasthenia gravis" in cog.question_choices("myas")
    assert "IVIG in Chronic inflammatory demyelinating polyneuropathy" in cog.question_choices("IVIG in chronic infl")
    assert cog.question_choices("x" * 101) == []  # longer than a choice may be: Discord sends what was typed
    for typed in ["a", "IVIG for kawa", "chronic infl", "xyzzy", "AD", "myastenia"]:
        choices = cog.question_choices(typed)
        assert choices[0] == typed and len(choices) <= 25 and all(0 < len(c) <= 100 for c in choices)


async def test_autocomplete_of_the_specialty_filter(dpy_bot, core, discord_http):
    specialty = sorted(core.kb.specialties)[0]
    await autocomplete(dpy_bot, "ivig-list", "specialty", specialty=specialty[:3])
    (call,) = discord_http.calls
    assert {"name": specialty.capitalize(), "value": specialty} in call.payload["data"]["choices"]


async def test_a_failing_autocomplete_offers_nothing_and_is_logged(dpy_bot, discord_http, monkeypatch, caplog):
    def broken(self, typed, limit=25):
        raise RuntimeError("index broken")

    monkeypatch.setattr(NameIndex, "complete", broken)
    with caplog.at_level(logging.ERROR, logger="bot.discord"):
        await autocomplete(dpy_bot, "ivig", "question", question="myas")
    (call,) = discord_http.calls
    assert call.kind == 8 and call.payload["data"]["choices"] == []
    assert any("autocomplete failed" in r.getMessage() for r in caplog.records)


# --- failures: logged with context, an apology, and the bot keeps serving ----------------------------------


async def test_a_failing_mention_apologises_in_the_channel_and_the_next_is_answered(dpy_bot, core, caplog):
    dpy_bot.app.service.core = FailingOnce(core)
    with caplog.at_level(logging.ERROR, logger="bot.discord"):
        await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    (apology,) = sent_messages()
    assert apology.content == dpy_bot.app.service.say("apology")
    (record,) = [r for r in caplog.records if r.name == "bot.discord"]
    assert "answering a message failed" in record.getMessage() and "user=" in record.getMessage()
    assert record.exc_info and "boom" in str(record.exc_info[1])
    await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    assert sent_messages()[0].embeds[0].title.startswith("Chronic inflammatory")


async def test_a_failing_slash_command_apologises_privately_and_the_next_is_answered(dpy_bot, core, discord_http,
                                                                                    caplog):
    dpy_bot.app.service.core = FailingOnce(core)
    with caplog.at_level(logging.ERROR, logger="bot.discord"):
        await slash(dpy_bot, "ivig", question="IVIG for CIDP?")
    (apology,) = discord_http.replies
    assert apology.data["content"] == dpy_bot.app.service.say("apology") and apology.ephemeral
    assert any("/ivig failed" in r.getMessage() for r in caplog.records)
    await slash(dpy_bot, "ivig", question="IVIG for CIDP?")
    assert discord_http.replies[-1].embeds[0]["title"].startswith("Chronic inflammatory")


async def test_a_failed_slow_answer_apologises_privately_not_in_public(dpy_bot, core, discord_http, monkeypatch):
    """After a public "thinking…", a failure must not show the apology to the whole channel: the placeholder is
    removed and the apology whispered."""
    monkeypatch.setitem(cog_globals(dpy_bot), "DEFER_AFTER", 0)
    dpy_bot.app.service.core = FailingOnce(core)
    await slash(dpy_bot, "ivig", question="IVIG for CIDP?")
    kinds = [(c.method, c.kind, c.path.rsplit("/", 1)[-1]) for c in discord_http.calls]
    assert kinds[0] == ("POST", 5, "callback")  # "thinking…"
    assert ("DELETE", None, "@original") in kinds  # the public placeholder is removed
    (apology,) = discord_http.replies
    assert apology.ephemeral and apology.data["content"] == dpy_bot.app.service.say("apology")
    assert not [c for c in discord_http.replies if not c.ephemeral]  # nothing public at all


async def test_a_failing_button_apologises_privately_and_the_next_press_works(dpy_bot, core, discord_http):
    dpy_bot.app.service.core = FailingOnce(core)
    components = [{"type": 1, "components": [
        {"type": 2, "style": 1, "label": "Atopic dermatitis", "custom_id": "ivig:pick:atopic-dermatitis"}]}]
    await click(dpy_bot, "ivig:pick:atopic-dermatitis", components)
    assert discord_http.replies[-1].data["content"] == dpy_bot.app.service.say("apology")
    assert discord_http.replies[-1].ephemeral
    await click(dpy_bot, "ivig:pick:atopic-dermatitis", components)
    assert discord_http.replies[-1].embeds[0]["title"] == core.kb.conditions["atopic-dermatitis"].name


async def test_questions_during_shutdown_are_not_started(dpy_bot, discord_http, channel_sends):
    dpy_bot.app.closing = True
    await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    assert sent_messages() == [] and channel_sends == []
    await slash(dpy_bot, "ivig", question="IVIG for CIDP?")
    (reply,) = discord_http.replies
    assert reply.ephemeral and not reply.embeds
    await settle()
