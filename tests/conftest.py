"""Shared fixtures: the real shipped knowledge base, a private data dir, and a PostgreSQL server for storage tests."""

import os
import subprocess

import pytest
from pg_server import ThrowawayServer, find_binaries

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


@pytest.fixture(scope="session")
def not_found_naming(core):
    """Whether a question is answered as a disease not found, nothing answered, with `named` among what it names."""
    def _check(question: str, named: str) -> bool:
        answer = core.answer(Question(text=question))
        return (answer.kind.value == "not_found" and not answer.conditions
                and named in core.matcher.find(question).not_found)

    return _check


TEST_URL_ENV = "IVIG_TEST_DATABASE_URL"


@pytest.fixture(scope="session")
def pg_url():
    """A PostgreSQL URL for the session (a database the tests may create schemas in)."""
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests need psycopg and psycopg_pool: pip install '.[test]'")
    given = os.environ.get(TEST_URL_ENV, "").strip()
    if given:
        yield given  # a server someone started for us: it must work, so no skip from here on
        return
    bin_dir, why = find_binaries()
    if bin_dir is None:
        pytest.skip(f"PostgreSQL tests skipped: {TEST_URL_ENV} is not set and {why}")
    server = ThrowawayServer(bin_dir)
    try:
        url = server.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        server.stop()
        pytest.skip(f"PostgreSQL tests skipped: {TEST_URL_ENV} is not set and a throwaway server did not start: {exc}")
    try:
        yield url
    finally:
        server.stop()
