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
        ("what are your sources", False, "sources"),
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
