"""Intents as data: the shipped file validates; broken files are refused with file and field."""

import shutil

import pytest

from bot.intents import EVIDENCE, load_intents
from bot.knowledge import DataError
from bot.paths import intents_dir
from bot.text import canonical_phrase


def words(text):
    return canonical_phrase(text)


def test_shipped_intents_validate_and_cover_the_required_intents():
    intents = load_intents()
    names = {d.name for d in intents.definitions}
    assert {"help", "about", "list_conditions", "sources", "out_of_scope", "greeting", EVIDENCE} <= names


@pytest.mark.parametrize(
    "text, named, expected",
    [
        ("help", False, "help"),
        ("does ivig help", False, EVIDENCE),  # "help" alone asks for help, inside a question it does not
        ("hello", False, "greeting"),
        ("hello does ivig help mg", True, EVIDENCE),
        ("list conditions", False, "list_conditions"),
        ("what dose should i give", False, "out_of_scope"),
        ("what dose should i give", True, "out_of_scope"),
        ("who are you", False, "about"),
        ("about", False, "about"),
        ("tell me about yourself", False, "about"),
        # "about" inside a clinical question is a preposition, not a question about the bot
        ("parents asking about ivig for their autistic son", False, EVIDENCE),
        ("what are your sources", False, "sources"),
        ("any studies?", False, "sources"),
        # a case described at length mentions studies or a list in passing: it asks about the patient (max_words)
        ("59F, primary Sjogren's, severe sensory ataxia with pseudoathetosis, absent SNAPs, normal motor studies. "
         "IVIG for the neuronopathy?", False, EVIDENCE),
        ("on the kidney transplant list for two years, highly sensitised, three failed crossmatches - ivig?", False,
         EVIDENCE),
    ],
)
def test_detection(text, named, expected):
    assert load_intents().detect(words(text), condition_named=named) == expected


def test_direction_prefers_the_longer_phrase():
    intents = load_intents()
    assert intents.direction(words("where is ivig not effective")).value == "not_effective"
    assert intents.direction(words("where is ivig effective")).value == "effective"


@pytest.fixture
def intents_copy(tmp_path):
    target = tmp_path / "intents"
    shutil.copytree(intents_dir(), target)
    return target


@pytest.mark.parametrize(
    "before, after, problem",
    [
        ("- name: greeting", "- name: salutation", "the 'greeting' intent is missing"),
        ("  mixed: [", "  wonderful: [", "intents.yaml: directions.wonderful"),
        ("  continues: [and, also, plus, or]", "  continues: [and, \"as well\"]", "conversation.continues"),
        ("  topic_after: [in, for, with, about]\n", "", "conversation.topic_after"),
    ],
)
def test_broken_intents_are_refused_with_file_and_field(intents_copy, before, after, problem):
    path = intents_copy / "intents.yaml"
    path.write_text(path.read_text().replace(before, after), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_intents(intents_copy)
    assert any(problem in p for p in caught.value.problems)


def test_missing_intents_file(tmp_path):
    with pytest.raises(DataError) as caught:
        load_intents(tmp_path)
    assert any("intents.yaml: file not found" in p for p in caught.value.problems)


def test_an_intent_without_handler_or_text_is_refused_when_loading(intents_copy):
    """An intent added only in the data used to load and then raise on the first question."""
    path = intents_copy / "intents.yaml"
    path.write_text(path.read_text().replace("  - name: evidence\n", "  - name: dosing_tables\n    description: x\n"
                                             "    phrases: [dose table]\n\n  - name: evidence\n"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_intents(intents_copy)
    assert any("intents.yaml: intents[" in p and "'dosing_tables' has no handler" in p for p in caught.value.problems)


def test_an_intent_with_a_response_text_needs_no_code(intents_copy, tmp_path):
    from bot.core import AnswerCore
    from bot.models import Question

    path = intents_copy / "intents.yaml"
    path.write_text(path.read_text().replace("  - name: evidence\n", "  - name: weather\n    description: small talk\n"
                                             "    needs_no_condition: true\n    response: weather\n"
                                             "    whole_message: [weather]\n\n  - name: evidence\n"), encoding="utf-8")
    responses = intents_copy / "responses.yaml"
    responses.write_text(responses.read_text().replace("messages:\n", "messages:\n  weather: \"No forecasts here.\"\n", 1),
                         encoding="utf-8")
    core = AnswerCore.load(intents=intents_copy)
    answer = core.answer(Question(text="weather"))
    assert answer.intent == "weather" and answer.message_ref.key == "weather"


@pytest.mark.parametrize("before, after, problem", [
    ('  apology: "', '  apologies: "', "responses.yaml: messages.apology: missing"),
    ("{count} in my knowledge base", "{total} in my knowledge base", "messages.list: unknown placeholder {total}"),
    ('  disclaimer: "', '  small_print: "', "responses.yaml: labels.disclaimer: missing"),
])
def test_broken_response_texts_are_refused_with_file_and_field(intents_copy, before, after, problem):
    from bot.texts import load_texts

    path = intents_copy / "responses.yaml"
    text = path.read_text()
    assert before in text
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_texts(intents_copy)
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_the_core_writes_no_command_names(core):
    """Prose is data: the core never names a REPL or Discord command (adapters fill them in)."""
    import inspect

    import bot.core
    import bot.listing

    for module in (bot.core, bot.listing):
        source = inspect.getsource(module)
        for command in ("/help", "/list", "/more", "/ivig"):
            assert command not in source, (module.__name__, command)


def test_the_words_that_shape_a_follow_up_are_data(intents_copy):
    """Without "and" among the words that continue a conversation, "and copd?" after an answer is no longer read as
    naming a disease after the previous one; with the shipped data it is named as not found."""
    from bot.core import AnswerCore
    from bot.models import Question

    def after_an_answer(core):
        return core.answer(Question(text="and copd?", previous_condition_ids=("kawasaki-disease",)))

    shipped = after_an_answer(AnswerCore.load())
    assert shipped.kind.value == "not_found" and shipped.not_found == ["copd"]
    path = intents_copy / "intents.yaml"
    path.write_text(path.read_text().replace("  continues: [and, also, plus, or]", "  continues: [plus]"),
                    encoding="utf-8")
    changed = after_an_answer(AnswerCore.load(intents=intents_copy))
    assert changed.not_found != ["copd"]


@pytest.mark.parametrize(("text", "expected"), [
    ("brilliant cheers", "thanks"), ("ok great thanks", "thanks"), ("ok bye", "goodbye"), ("hi thanks", "thanks"),
    ("thanks", "thanks"), ("ok cheers, any trial in copd", None), ("hello kawasaki", None),
])
def test_a_message_of_whole_message_phrases_in_a_row_takes_the_last_ones_intent(text, expected):
    assert load_intents().whole_message(words(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("cheers, that's really helpful", "thanks"), ("that is so helpful", "thanks"),
    ("ta, that's all for now", "goodbye"),  # "that all" is goodbye; "all" alone would list the conditions
    ("that is all", "goodbye"), ("really", None), ("is it helpful in adults", None),
])
def test_softeners_between_thanks_phrases_are_passed_over(text, expected):
    """"cheers, that's really helpful" re-answered the last condition: "that" and "really" are no phrases."""
    assert load_intents().whole_message(words(text)) == expected


@pytest.mark.parametrize(("text", "focus"), [
    ("how many patients in the trial", "patients"), ("tell me more about that trial", "more"),
    ("is that an rct", "design"), ("sources?", "sources"), ("what is the weather", None),
    ("how big was the effect on pain", "more"), ("how big was the trial", "patients"),  # the effect, not the size
])
def test_the_longest_follow_up_phrase_sets_the_focus(text, focus):
    assert load_intents().follow_up(words(text)) == focus
