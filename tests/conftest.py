"""Shared fixtures: the real shipped knowledge base, loaded once per test session, and a private data dir."""

import pytest

from bot.core import AnswerCore
from bot.models import Question


@pytest.fixture(scope="session", autouse=True)
def _private_cache_dir(tmp_path_factory):
    """The built-core cache of the CLI (bot.startup) goes to one folder of this test session, never the user's."""
    import os

    os.environ["IVIG_CACHE_DIR"] = str(tmp_path_factory.mktemp("ivig-cache"))


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """No test writes feedback or logs into the real user data directory."""
    monkeypatch.setenv("IVIG_DATA_DIR", str(tmp_path_factory.mktemp("ivig-data")))


@pytest.fixture(scope="session")
def core() -> AnswerCore:
    return AnswerCore.load()


@pytest.fixture(scope="session")
def ask(core):
    def _ask(text: str, **fields):
        return core.answer(Question(text=text, **fields))

    return _ask
