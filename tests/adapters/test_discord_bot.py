"""The Discord bot, driven like Discord drives it: mentions, DMs, slash commands, autocomplete, buttons, safety."""

import logging

import discord
import discord.ext.test as dpytest
import pytest
from discord.ext.test import backend, factories

from bot.adapters.discord_bot import (
    APOLOGY,
    Cooldowns,
    IvigBot,
    ShardedIvigBot,
    create_bot,
    list_question,
    question_choices,
)
from bot.adapters.discord_render import escape
from bot.models import Direction, Question
from bot.render import citation_line, finding_line
from discord_fakes import FakeClock, autocomplete, click, make_settings, mention, sent_messages, slash

# --- helpers ----------------------------------------------------------------------------------------------


def embed_text(embeds) -> str:
    """Titles, descriptions and field values of embeds (objects or payload dicts), one per line."""
    parts = []
    for e in embeds:
        e = e.to_dict() if isinstance(e, discord.Embed) else e
        parts += [e.get("title") or "", e.get("description") or ""]
        parts += [f["value"] for f in e.get("fields", [])]
    return "\n".join(parts)


def assert_no_pings(allowed_mentions: dict | None):
    assert allowed_mentions is not None, "every send must carry allowed_mentions"
    assert allowed_mentions.get("parse") == []
    assert not allowed_mentions.get("users") and not allowed_mentions.get("roles")
    assert not allowed_mentions.get("replied_user")


def assert_same_as_core(core, question: str, shown: str):
    """The findings and citations the REPL prints for `question` are all shown, markdown-escaped only."""
    answer = core.answer(Question(text=question))
    assert answer.conditions
    for condition in answer.conditions:
        assert condition.name in shown
        for finding in condition.findings:
            assert escape(finding_line(finding)) in shown
    for citation in answer.citations:
        assert f"**[{citation.number}]** {escape(citation_line(citation))}" in shown


async def post(bot, content: str, *, author=None, mention_everyone: bool = False, channel=None):
    """A message as the gateway delivers it, for cases dpytest.message cannot express."""
    config = dpytest.get_config()
    channel = channel or config.channels[0]
    author = author or config.members[0]
    data = factories.make_message_dict(channel, author, content=content, mention_everyone=mention_everyone,
                                       mentions=backend.find_user_mentions(content, channel.guild))
    backend.get_state().parse_message_create(data)
    await dpytest.run_all_events()


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


# --- the factory ------------------------------------------------------------------------------------------


async def test_factory_registers_commands_and_never_pings(core):
    bot = create_bot(core, make_settings())
    assert isinstance(bot, IvigBot)
    assert sorted(c.name for c in bot.tree.get_commands()) == ["ivig", "ivig-list"]
    assert bot.allowed_mentions.to_dict() == {"parse": []}
    assert not bot.intents.message_content and not bot.intents.members and not bot.intents.presences
    assert bot.intents.guild_messages and bot.intents.dm_messages
    assert bot.get_command("ivig") is None  # no prefix command without the message content intent
    assert bot.tree.on_error.__name__ == "on_app_command_error"


async def test_factory_shards_when_configured(core):
    assert isinstance(create_bot(core, make_settings(shard_count=4)), ShardedIvigBot)
    assert create_bot(core, make_settings(shard_count=4)).shard_count == 4
    assert create_bot(core, make_settings(shard_count=0)).shard_count is None  # Discord decides


async def test_factory_prefix_command_only_with_the_message_content_intent(core):
    bot = create_bot(core, make_settings(message_content_intent=True, command_prefix="?"))
    assert bot.intents.message_content and bot.command_prefix == "?"
    assert bot.get_command("ivig") is not None and bot.get_command("ivig-list") is not None


# --- mentions and DMs (dpytest) ---------------------------------------------------------------------------


async def test_mention_is_answered_with_the_same_findings_and_citations_as_the_repl(dpy_bot, core, channel_sends):
    question = "does ivig help myastenia gravis?"
    await dpytest.message(f"{mention(dpy_bot)} {question}")
    messages = sent_messages()
    assert messages and messages[0].embeds[0].title == "Myasthenia gravis"
    assert_same_as_core(core, question, embed_text(e for m in messages for e in m.embeds))
    for sent in channel_sends:
        assert_no_pings(sent.payload.get("allowed_mentions"))


@pytest.mark.parametrize("question", ["compare Guillain-Barré syndrome and CIDP",
                                      "IVIG in multiple sclerosis, Kawasaki disease and ITP"])
async def test_several_conditions_one_embed_each_same_as_repl(dpy_bot, core, question):
    await dpytest.message(f"{mention(dpy_bot)} {question}")
    messages = sent_messages()
    embeds = [e for m in messages for e in m.embeds]
    names = [c.name for c in core.answer(Question(text=question)).conditions]
    assert [e.title for e in embeds if e.title in names] == names
    assert_same_as_core(core, question, embed_text(embeds))
    for m in messages:
        assert len(m.embeds) <= 10 and sum(len(e) for e in m.embeds) <= 6000


async def test_a_dm_is_answered_without_a_mention(dpy_bot):
    member = dpytest.get_config().members[0]
    dm = await member.create_dm()
    await dpytest.message("IVIG for CIDP?", channel=dm, member=member)
    (message,) = sent_messages()
    assert message.embeds[0].title == "Chronic inflammatory demyelinating polyneuropathy"


async def test_messages_not_addressed_to_the_bot_are_ignored(dpy_bot):
    await dpytest.message("does ivig help myasthenia gravis?")
    assert dpytest.verify().message().nothing()


async def test_everyone_is_not_a_mention_of_the_bot(dpy_bot):
    await post(dpy_bot, "@everyone does ivig help myasthenia gravis?", mention_everyone=True)
    assert sent_messages() == []


async def test_other_bots_and_itself_are_ignored(dpy_bot):
    state = backend.get_state()
    other = discord.User(state=state, data=factories.make_user_dict("OtherBot", 1, None, bot=True))
    await post(dpy_bot, f"{mention(dpy_bot)} IVIG for CIDP?", author=other)
    await post(dpy_bot, f"{mention(dpy_bot)} IVIG for CIDP?", author=dpy_bot.user)
    assert sent_messages() == []


async def test_a_question_full_of_mentions_pings_nobody(dpy_bot, channel_sends):
    config = dpytest.get_config()
    guild = config.guilds[0]
    role = backend.make_role("clinicians", guild, mentionable=True)
    other = config.members[1]
    content = f"{mention(dpy_bot)} @everyone @here <@&{role.id}> <@{other.id}> does IVIG help MG?"
    await post(dpy_bot, content, mention_everyone=True)
    messages = sent_messages()
    assert messages and messages[0].embeds[0].title == "Myasthenia gravis"
    assert channel_sends
    for sent in channel_sends:
        assert_no_pings(sent.payload.get("allowed_mentions"))


async def test_an_empty_mention_gets_a_hint(dpy_bot):
    await dpytest.message(mention(dpy_bot))
    (message,) = sent_messages()
    assert "Ask me about IVIG" in message.embeds[0].description


async def test_help_is_worded_for_discord(dpy_bot):
    await dpytest.message(f"{mention(dpy_bot)} help")
    (message,) = sent_messages()
    text = message.embeds[0].description
    assert "/ivig" in text and "/ivig-list" in text and "/quit" not in text


async def test_without_embed_permission_the_answer_is_plain_text_under_2000(dpy_bot, core):
    config = dpytest.get_config()
    channel, guild = config.channels[0], config.guilds[0]
    await dpytest.set_permission_overrides(guild.default_role, channel, embed_links=False)
    assert not channel.permissions_for(guild.me).embed_links
    question = "does ivig help myastenia gravis?"
    await dpytest.message(f"{mention(dpy_bot)} {question}")
    messages = sent_messages()
    assert len(messages) > 1 and all(not m.embeds and len(m.content) <= 2000 for m in messages)
    answer = core.answer(Question(text=question))
    for finding in answer.conditions[0].findings:  # each finding whole inside one message
        assert any(escape(finding_line(finding)) in m.content for m in messages)
    for citation in answer.citations:
        assert any(escape(citation_line(citation)) in m.content for m in messages)


# --- did you mean: buttons --------------------------------------------------------------------------------


async def test_did_you_mean_buttons_answer_the_chosen_condition(dpy_bot, core, channel_sends, discord_http):
    await dpytest.message(f"{mention(dpy_bot)} AD")
    (message,) = sent_messages()
    assert message.embeds[0].title == "Did you mean…?"
    view = channel_sends[-1].kwargs["view"]
    components = view.to_components()
    buttons = {b["label"]: b["custom_id"] for row in components for b in row["components"]}
    assert buttons == {"Alzheimer disease": "ivig:pick:alzheimer-disease",
                       "Atopic dermatitis": "ivig:pick:atopic-dermatitis"}
    await click(dpy_bot, buttons["Atopic dermatitis"], components)
    embeds = discord_http.embeds()
    assert embeds[0]["title"] == "Atopic dermatitis"
    expected = core.answer(Question(text="Atopic dermatitis", condition_ids=("atopic-dermatitis",)))
    shown = embed_text(embeds)
    for finding in expected.conditions[0].findings:
        assert escape(finding_line(finding)) in shown
    for call in discord_http.replies:
        assert_no_pings(call.data.get("allowed_mentions"))


async def test_a_button_for_a_condition_no_longer_known_says_so_privately(dpy_bot, discord_http):
    components = [{"type": 1, "components": [{"type": 2, "style": 1, "label": "Gone", "custom_id": "ivig:pick:gone"}]}]
    await click(dpy_bot, "ivig:pick:gone", components)
    (call,) = discord_http.replies
    assert "no longer have that condition" in call.data["content"]
    assert call.data["flags"] & 64  # ephemeral


async def test_partial_answers_offer_buttons_for_what_was_not_answered(dpy_bot, channel_sends):
    await dpytest.message(f"{mention(dpy_bot)} ITP and myastenia gravis")
    messages = sent_messages()
    assert messages[0].embeds[0].title == "Myasthenia gravis"
    view = channel_sends[-1].kwargs["view"]
    rows = [[b["label"] for b in row["components"]] for row in view.to_components()]
    assert rows == [["Immune thrombocytopenia in adults", "Immune thrombocytopenia in children"],
                    ["Helpful", "Not helpful"]]  # the answered part can be rated, on a row of its own


# --- slash commands, autocomplete (real interactions) ----------------------------------------------------


async def test_slash_ivig_answers_like_the_repl(dpy_bot, core, discord_http):
    question = "IVIG for Kawasaki disease?"
    await slash(dpy_bot, "ivig", question=question)
    first = discord_http.calls[0]
    assert first.path.endswith("/callback") and first.payload["type"] == 4
    assert first.data["embeds"][0]["title"] == "Kawasaki disease"
    assert_same_as_core(core, question, embed_text(discord_http.embeds()))
    for call in discord_http.replies:
        assert_no_pings(call.data.get("allowed_mentions"))
        assert not call.data.get("flags", 0) & 64  # answers are public


async def test_a_long_slash_answer_continues_in_followups_within_limits(dpy_bot, core, discord_http):
    question = ("Guillain-Barré syndrome, CIDP, MMN, myasthenia gravis, Kawasaki disease, multiple sclerosis and "
                "ITP in adults")
    await slash(dpy_bot, "ivig", question=question)
    assert len(discord_http.replies) > 1
    assert discord_http.replies[0].path.endswith("/callback")
    assert all(c.path.startswith("/webhooks/") for c in discord_http.replies[1:])
    for call in discord_http.replies:
        embeds = call.data["embeds"]
        assert len(embeds) <= 10
        assert sum(len(discord.Embed.from_dict(e)) for e in embeds) <= 6000
    assert_same_as_core(core, question, embed_text(discord_http.embeds()))


async def test_a_slow_answer_is_deferred_then_sent(dpy_bot, discord_http):
    dpy_bot.responder.defer_after = 0  # the core has not answered yet when the deadline check runs
    await slash(dpy_bot, "ivig", question="IVIG in CIDP")
    assert discord_http.calls[0].payload["type"] == 5  # "thinking…"
    assert discord_http.calls[1].path.startswith("/webhooks/")
    assert discord_http.calls[1].payload["embeds"][0]["title"].startswith("Chronic inflammatory")


async def test_slash_ivig_list_filters_by_specialty_and_direction(dpy_bot, discord_http):
    await slash(dpy_bot, "ivig-list", specialty="Dermatology")
    embed = discord_http.replies[-1].data["embeds"][0]
    assert [f["name"] for f in embed["fields"]] == ["Dermatology (11)"]
    await slash(dpy_bot, "ivig-list", direction="not_recommended")
    embed = discord_http.replies[-1].data["embeds"][0]
    assert "with a finding that IVIG is not recommended" in embed["description"]


async def test_slash_did_you_mean_has_buttons(dpy_bot, discord_http):
    await slash(dpy_bot, "ivig", question="AD")
    components = discord_http.replies[-1].data["components"]
    assert [b["custom_id"] for row in components for b in row["components"]] == [
        "ivig:pick:alzheimer-disease", "ivig:pick:atopic-dermatitis"]
    await click(dpy_bot, "ivig:pick:alzheimer-disease", components)
    assert discord_http.replies[-1].data["embeds"][0]["title"] == "Alzheimer disease"


async def test_autocomplete_offers_condition_names_from_the_matcher(dpy_bot, discord_http):
    await autocomplete(dpy_bot, "ivig", "question", question="does ivig help myas")
    (call,) = discord_http.calls
    assert call.payload["type"] == 8
    values = [c["value"] for c in call.payload["data"]["choices"]]
    assert values[0] == "does ivig help myas"
    assert "does ivig help Myasthenia gravis" in values
    assert all(1 <= len(v) <= 100 for v in values) and len(values) <= 25


async def test_autocomplete_of_the_specialty_filter(dpy_bot, discord_http):
    await autocomplete(dpy_bot, "ivig-list", "specialty", specialty="neu")
    (call,) = discord_http.calls
    assert call.payload["data"]["choices"] == [{"name": "Neurology", "value": "neurology"}]


def test_question_choices(core):
    assert question_choices(core, "") == [name for _id, name in core.matcher.names_like("", limit=25)]
    assert "Myasthenia gravis" in question_choices(core, "myas")
    assert "Chronic inflammatory demyelinating polyneuropathy" in question_choices(core, "IVIG in CIDP")
    assert "Guillain-Barré syndrome" in question_choices(core, "guillain b")
    assert question_choices(core, "x" * 101) == []  # longer than a choice may be: Discord sends what was typed
    for typed in ["a", "IVIG for kawa", "chronic infl", "xyzzy", "AD", "myastenia"]:
        choices = question_choices(core, typed)
        assert choices[0] == typed and len(choices) <= 25 and all(0 < len(c) <= 100 for c in choices)


def test_prefix_list_words():
    assert list_question("not recommended").direction is Direction.not_recommended
    assert list_question("not_effective").direction is Direction.not_effective
    assert list_question("Neurology").specialty == "neurology"
    assert list_question("").intent == "list_conditions"


# --- the prefix command (message content intent only) ---------------------------------------------------


async def test_prefix_command_with_the_message_content_intent(make_bot, core):
    bot = await make_bot(message_content_intent=True)
    await dpytest.message("!ivig IVIG for CIDP?")
    assert_same_as_core(core, "IVIG for CIDP?", embed_text(e for m in sent_messages() for e in m.embeds))
    await dpytest.message("!ivig-list neurology")
    (message,) = sent_messages()
    assert [f.name for f in message.embeds[0].fields] == ["Neurology (22)"]
    await dpytest.message("!somebody-elses-command")
    assert sent_messages() == []
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?")  # mentions still work
    assert sent_messages()


async def test_no_prefix_command_without_the_intent(dpy_bot):
    await dpytest.message("!ivig IVIG for CIDP?")
    assert sent_messages() == []


# --- cooldown ---------------------------------------------------------------------------------------------


def test_cooldowns_count_per_user_in_a_sliding_window():
    clock = FakeClock()
    cooldowns = Cooldowns(rate=2, per=10, clock=clock)
    assert cooldowns.retry_after(1) == 0 and cooldowns.retry_after(1) == 0
    assert cooldowns.retry_after(1) == pytest.approx(10)
    assert cooldowns.retry_after(2) == 0  # another user is not affected
    clock.now += 4
    assert cooldowns.retry_after(1) == pytest.approx(6)
    clock.now += 6
    assert cooldowns.retry_after(1) == 0
    assert Cooldowns(rate=1, per=0).retry_after(1) == 0 and Cooldowns(rate=1, per=0).retry_after(1) == 0


async def test_mention_cooldown_tells_the_user_once_then_answers_again(make_bot):
    clock = FakeClock()
    bot = await make_bot(cooldown_questions=2, cooldown_seconds=60, clock=clock)
    for _ in range(2):
        await dpytest.message(f"{mention(bot)} IVIG for CIDP?")
    assert len(sent_messages()) == 2
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?")
    (notice,) = sent_messages()
    assert notice.content.startswith("One moment, please: you can ask again in 60 seconds")
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?")
    assert sent_messages() == []  # told once, not spammed
    clock.now += 61
    await dpytest.message(f"{mention(bot)} IVIG for CIDP?")
    assert sent_messages()[0].embeds


async def test_slash_cooldown_is_a_polite_ephemeral_reply(make_bot, discord_http):
    bot = await make_bot(cooldown_questions=1, cooldown_seconds=30, clock=FakeClock())
    await slash(bot, "ivig", question="MG")
    await slash(bot, "ivig", question="MG")
    notice = discord_http.replies[-1].data
    assert "you can ask again in 30 seconds" in notice["content"]
    assert notice["flags"] & 64
    assert_no_pings(notice.get("allowed_mentions"))


# --- errors: logged with context, an apology, and the bot keeps serving ------------------------------------


async def test_a_failing_mention_handler_apologises_and_the_next_question_is_answered(dpy_bot, core, caplog):
    dpy_bot.responder.core = FailingOnce(core)
    with caplog.at_level(logging.ERROR, logger="bot.discord"):
        await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    (apology,) = sent_messages()
    assert apology.content == APOLOGY
    (record,) = [r for r in caplog.records if r.name == "bot.discord"]
    assert "answering a message failed" in record.getMessage() and "user=" in record.getMessage()
    assert record.exc_info and "boom" in str(record.exc_info[1])
    await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    assert sent_messages()[0].embeds[0].title.startswith("Chronic inflammatory")


async def test_a_failing_slash_command_goes_to_tree_on_error_and_the_next_is_answered(dpy_bot, core, discord_http,
                                                                                      caplog):
    dpy_bot.responder.core = FailingOnce(core)
    with caplog.at_level(logging.ERROR, logger="bot.discord"):
        await slash(dpy_bot, "ivig", question="IVIG for CIDP?")
    apology = discord_http.replies[-1].data
    assert apology["content"] == APOLOGY and apology["flags"] & 64
    assert any("/ivig failed" in r.getMessage() for r in caplog.records)
    await slash(dpy_bot, "ivig", question="IVIG for CIDP?")
    assert discord_http.replies[-1].data["embeds"][0]["title"].startswith("Chronic inflammatory")


async def test_a_failing_button_apologises_and_the_next_click_works(dpy_bot, core, discord_http):
    dpy_bot.responder.core = FailingOnce(core)
    components = [{"type": 1, "components": [
        {"type": 2, "style": 1, "label": "Atopic dermatitis", "custom_id": "ivig:pick:atopic-dermatitis"}]}]
    await click(dpy_bot, "ivig:pick:atopic-dermatitis", components)
    assert discord_http.replies[-1].data["content"] == APOLOGY
    await click(dpy_bot, "ivig:pick:atopic-dermatitis", components)
    assert discord_http.replies[-1].data["embeds"][0]["title"] == "Atopic dermatitis"


async def test_without_read_message_history_the_answer_is_sent_without_the_reply_link(dpy_bot, monkeypatch):
    real_send = discord.TextChannel.send

    async def send(self, *args, reference=None, **kwargs):
        if reference is not None:  # what Discord answers when the bot may not read the history it replies to
            raise discord.Forbidden(type("Response", (), {"status": 403, "reason": "Forbidden"})(),
                                    "Missing Permissions")
        return await real_send(self, *args, **kwargs)

    monkeypatch.setattr(discord.TextChannel, "send", send)
    await dpytest.message(f"{mention(dpy_bot)} IVIG for CIDP?")
    assert sent_messages()[0].embeds[0].title.startswith("Chronic inflammatory")
