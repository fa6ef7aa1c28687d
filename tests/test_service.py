"""The chat service every adapter shares: follow-ups, picks, pages, list filters, limits, feedback, completion."""

import pytest

from bot.adapters.collecting import COMMANDS, CollectingAdapter
from bot.app import make_service
from bot.models import Question
from bot.settings import Settings


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def service(core, clock):
    return make_service(core, Settings.defaults(ivig_context_idle_seconds=600), adapter="collecting",
                        commands=COMMANDS, clock=clock)


def ask(service, key, text):
    return service.ask(key, text).answer


@pytest.mark.parametrize(
    "follow_up, focus",
    [
        ("what about the study size?", "patients"),
        ("how many patients?", "patients"),
        ("sources?", "sources"),
        ("is that an RCT?", "design"),
        ("tell me more", "more"),
    ],
)
def test_follow_up_answers_about_the_last_condition(service, follow_up, focus):
    ask(service, "u1", "does IVIG help myasthenia gravis?")
    answer = ask(service, "u1", follow_up)
    assert [c.id for c in answer.conditions] == ["myasthenia-gravis"]
    assert answer.intent == "follow_up" and answer.focus == focus


def test_naming_another_condition_moves_the_topic(service):
    ask(service, "u1", "myasthenia gravis")
    answer = ask(service, "u1", "and in CIDP?")
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]
    assert [c.id for c in ask(service, "u1", "how many patients?").conditions] == [
        "chronic-inflammatory-demyelinating-polyneuropathy"]


def test_a_question_asked_back_leaves_the_last_answer_behind(service):
    """After "did you mean rheumatoid arthritis?", "how many pts in those" is about RA, never Crohn's answered
    before; after a question asked back between several conditions, about none of them."""
    ask(service, "u1", "crohns refractory to biologics, anyone tried ivig?")
    assert ask(service, "u1", "fine, RA then").kind.value == "clarify"
    answer = ask(service, "u1", "how many pts in those")
    assert [c.id for c in answer.conditions] == ["rheumatoid-arthritis"] and answer.focus == "patients"
    ask(service, "u2", "myasthenia gravis")
    assert len(ask(service, "u2", "ITP ivig?").suggestions) == 2
    assert "myasthenia-gravis" not in [c.id for c in ask(service, "u2", "how many patients?").conditions]


def test_compare_keeps_the_previous_condition(service):
    ask(service, "u1", "myasthenia gravis")
    answer = ask(service, "u1", "compare with Guillain-Barré")
    assert [c.id for c in answer.conditions] == ["myasthenia-gravis", "guillain-barre-syndrome"]
    assert answer.conditions[0].method.value == "context"


@pytest.mark.parametrize("polite", ["thanks", "thank you!", "ok", "hello"])
def test_thanks_or_a_greeting_in_between_keeps_the_topic_and_never_re_answers(service, polite):
    ask(service, "u1", "myasthenia gravis")
    answer = ask(service, "u1", polite)
    assert answer.kind.value == "greeting" and answer.conditions == []
    assert [c.id for c in ask(service, "u1", "sources?").conditions] == ["myasthenia-gravis"]


def test_context_expires_after_the_idle_time(service, clock):
    ask(service, "u1", "myasthenia gravis")
    clock.now += 601
    assert ask(service, "u1", "how many patients?").conditions == []


def test_context_is_kept_within_the_idle_time(service, clock):
    ask(service, "u1", "myasthenia gravis")
    clock.now += 599
    assert ask(service, "u1", "how many patients?").conditions


def test_two_users_never_share_context(service):
    ask(service, ("discord", 1, "alice"), "myasthenia gravis")
    ask(service, ("discord", 1, "bob"), "kawasaki disease")
    assert [c.id for c in ask(service, ("discord", 1, "alice"), "sources?").conditions] == ["myasthenia-gravis"]
    assert [c.id for c in ask(service, ("discord", 1, "bob"), "sources?").conditions] == ["kawasaki-disease"]
    assert ask(service, ("discord", 2, "alice"), "sources?").conditions == []  # another channel


def test_least_recently_active_conversations_are_forgotten(core, clock):
    service = make_service(core, Settings.defaults(), adapter="t", commands=COMMANDS, clock=clock)
    service.conversations._max = 2
    for user in ("a", "b", "c"):
        ask(service, user, "myasthenia gravis")
    assert service.last("a").condition_ids == () and service.last("c").condition_ids == ("myasthenia-gravis",)


def test_idle_zero_makes_every_question_stand_alone(core):
    service = make_service(core, Settings.defaults(ivig_context_idle_seconds=0), adapter="t", commands=COMMANDS)
    ask(service, "u", "myasthenia gravis")
    assert ask(service, "u", "how many patients?").conditions == []


# --- commands, shared by the terminal and the JSON lines -----------------------------------------------------


def test_a_number_picks_the_offered_candidate(service):
    adapter = CollectingAdapter(service)
    adapter.say("AD")
    offered = service.last(("collecting", "tester")).offered_ids
    assert set(offered) == {"alzheimer-disease", "atopic-dermatitis"}
    reply = service.handle_line(("collecting", "tester"), "2", user="tester")
    assert [c.id for c in reply.answer.conditions] == [offered[1]]
    assert reply.answer.conditions[0].method.value == "chosen"
    assert adapter.say("how many patients?").startswith("Patient numbers for " + reply.answer.conditions[0].name)


def test_a_number_out_of_range_is_a_question(service):
    reply = service.handle_line("k", "7")
    assert reply.answer is not None and reply.answer.conditions == []


@pytest.mark.parametrize("argument, specialty, direction", [
    ("mixed results", None, "mixed"),
    ("mixed", None, "mixed"),
    ("not_effective", None, "not_effective"),
    ("not effective", None, "not_effective"),
    ("neurology", "neurology", None),
    ("neurology not recommended", "neurology", "not_recommended"),
    ("astrology", "astrology", None),
])
def test_list_filters_are_read_one_way_for_every_adapter(service, argument, specialty, direction):
    question = service.list_question(argument)
    assert question.specialty == specialty and (question.direction and question.direction.value) == direction


def test_unknown_command_names_the_commands(service):
    reply = service.handle_line("k", "/frobnicate")
    assert "Unknown command /frobnicate" in reply.message and COMMANDS.commands in reply.message


def test_more_without_an_answer_says_so(service):
    reply = service.handle_line("k", "/more")
    assert reply.answer.message_ref.key == "follow_up_without_answer"


def test_pages_turn_forward_and_back(service, core):
    names = ", ".join(c.name for c in core.kb.conditions.values())
    first = service.handle_line("k", names)
    assert first.pages > 1
    assert service.handle_line("k", "/next").page == 1
    assert service.handle_line("k", "/prev").page == 0
    assert service.handle_line("k", "/prev").page == 0


def test_feedback_before_any_answer(service):
    reply = service.handle_line("k", "/good")
    assert reply.feedback is not None and not reply.feedback.saved and "no answer to rate" in reply.message


# --- limits: questions count, follow-ups and picks do not -----------------------------------------------------


def test_follow_ups_and_picks_do_not_count_against_the_limit(core, clock):
    settings = Settings.defaults(discord_cooldown_questions=2, discord_cooldown_seconds=30)
    service = make_service(core, settings, adapter="t", commands=COMMANDS, with_limits=True, clock=clock)
    assert service.ask("k", "myasthenia gravis", user="u").refusal is None
    for follow_up in ("how many patients?", "sources?", "is that an RCT?", "tell me more"):
        assert service.ask("k", follow_up, user="u").refusal is None
    assert service.ask("k", "AD", user="u").refusal is None
    assert service.ask("k", Question(text="2", condition_ids=("atopic-dermatitis",)), user="u").refusal is None
    refused = service.ask("k", "kawasaki disease", user="u")
    assert refused.refusal is not None and refused.refusal.tell and "ask again in" in refused.message
    assert service.ask("k", "CIDP", user="u").refusal.tell is False  # told once per window
    clock.now += 31
    assert service.ask("k", "kawasaki disease", user="u").refusal is None


def test_a_refused_user_of_a_busy_channel_is_told_once_each(core, clock):
    settings = Settings.defaults(discord_channel_cooldown_questions=1, discord_channel_cooldown_seconds=60)
    service = make_service(core, settings, adapter="t", commands=COMMANDS, with_limits=True, clock=clock)
    assert service.ask("a", "myasthenia gravis", user="a", channel=1).refusal is None
    for user in ("b", "c"):
        first = service.ask(user, "kawasaki disease", user=user, channel=1)
        again = service.ask(user, "kawasaki disease", user=user, channel=1)
        assert first.refusal.key == "channel_busy" and first.refusal.tell and not again.refusal.tell


# --- completion ---------------------------------------------------------------------------------------------------


def test_completion_completes_the_typed_tail(service):
    found = service.complete("ivig for myasthenia gr")
    assert found and found[0].text.lower().startswith("myasthenia gr")
    assert "ivig for myasthenia gr"[: -found[0].replace] == "ivig for "


def test_completion_of_nothing_lists_names(service, core):
    assert len(service.complete("", limit=5)) == 5
