"""Shared fixtures: the real shipped knowledge base, loaded once per test session."""

import pytest

from bot.core import AnswerCore
from bot.models import Question


@pytest.fixture(scope="session")
def core() -> AnswerCore:
    return AnswerCore.load()


@pytest.fixture(scope="session")
def ask(core):
    def _ask(text: str, **fields):
        return core.answer(Question(text=text, **fields))

    return _ask
