"""Follow-ups resolve against the conversation's last condition(s); context expires and never leaks."""

import pytest

from bot.conversation import Conversations
from bot.models import Question


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def chat(core, clock):
    return Conversations(core, idle_seconds=600, clock=clock)


def ask(chat, key, text):
    return chat.answer(key, Question(text=text))


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
def test_follow_up_answers_about_the_last_condition(chat, follow_up, focus):
    ask(chat, "u1", "does IVIG help myasthenia gravis?")
    answer = ask(chat, "u1", follow_up)
    assert [c.id for c in answer.conditions] == ["myasthenia-gravis"]
    assert answer.intent == "follow_up" and answer.focus == focus


def test_patient_follow_up_gives_the_counts(chat):
    ask(chat, "u1", "myasthenia gravis")
    answer = ask(chat, "u1", "how many patients?")
    assert any("51" in note for note in answer.notes)


def test_naming_another_condition_moves_the_topic(chat):
    ask(chat, "u1", "myasthenia gravis")
    answer = ask(chat, "u1", "and in CIDP?")
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]
    assert [c.id for c in ask(chat, "u1", "how many patients?").conditions] == [
        "chronic-inflammatory-demyelinating-polyneuropathy"]


def test_compare_keeps_the_previous_condition(chat):
    ask(chat, "u1", "myasthenia gravis")
    answer = ask(chat, "u1", "compare with Guillain-Barré")
    assert [c.id for c in answer.conditions] == ["myasthenia-gravis", "guillain-barre-syndrome"]
    assert answer.conditions[0].method.value == "context"


def test_a_greeting_in_between_keeps_the_topic(chat):
    ask(chat, "u1", "myasthenia gravis")
    assert ask(chat, "u1", "thanks").kind.value == "greeting"
    assert [c.id for c in ask(chat, "u1", "sources?").conditions] == ["myasthenia-gravis"]


def test_context_expires_after_the_idle_time(chat, clock):
    ask(chat, "u1", "myasthenia gravis")
    clock.now += 601
    answer = ask(chat, "u1", "how many patients?")
    assert answer.conditions == []


def test_context_is_kept_within_the_idle_time(chat, clock):
    ask(chat, "u1", "myasthenia gravis")
    clock.now += 599
    assert ask(chat, "u1", "how many patients?").conditions


def test_two_users_never_share_context(chat):
    ask(chat, ("discord", 1, "alice"), "myasthenia gravis")
    ask(chat, ("discord", 1, "bob"), "kawasaki disease")
    assert [c.id for c in ask(chat, ("discord", 1, "alice"), "sources?").conditions] == ["myasthenia-gravis"]
    assert [c.id for c in ask(chat, ("discord", 1, "bob"), "sources?").conditions] == ["kawasaki-disease"]
    assert ask(chat, ("discord", 2, "alice"), "sources?").conditions == []  # another channel


def test_without_context_a_follow_up_is_not_an_answer(chat):
    assert ask(chat, "new", "how many patients?").conditions == []


def test_least_recently_active_conversations_are_forgotten(core, clock):
    chat = Conversations(core, idle_seconds=600, clock=clock, max_conversations=2)
    for user in ("a", "b", "c"):
        ask(chat, user, "myasthenia gravis")
    assert chat.previous("a") == () and chat.previous("c") == ("myasthenia-gravis",)
