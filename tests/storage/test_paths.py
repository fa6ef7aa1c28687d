"""Where records live: the data folder, the log switch, the database URL, and deleting every file.

The data folder comes from the option, the environment or the platform default; deleting includes a salt file a
killed process left half-made."""

import sys
from pathlib import Path

import pytest

from bot.storage import (
    DB_NAME,
    SALT_NAME,
    Store,
    data_files,
    default_data_dir,
    delete_data,
    redact_url,
    resolve_data_dir,
    resolve_database_url,
    unanswered_log_enabled,
)


def test_data_dir_option_beats_environment_beats_platform_default(monkeypatch, tmp_path):
    monkeypatch.setenv("IVIG_DATA_DIR", str(tmp_path / "from-env"))
    assert resolve_data_dir(tmp_path / "from-option") == tmp_path / "from-option"
    assert resolve_data_dir(None) == tmp_path / "from-env"
    monkeypatch.delenv("IVIG_DATA_DIR")
    assert resolve_data_dir(None) == default_data_dir()


def test_platform_defaults(monkeypatch, tmp_path):
    monkeypatch.setattr(Path, "home", staticmethod(lambda: tmp_path))
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert default_data_dir() == tmp_path / ".local" / "share" / "ivig-chat"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "ivig-chat"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")  # the XDG spec: relative paths are invalid
    assert default_data_dir() == tmp_path / ".local" / "share" / "ivig-chat"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert default_data_dir() == tmp_path / "Library" / "Application Support" / "ivig-chat"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert default_data_dir() == tmp_path / "Roaming" / "ivig-chat"


@pytest.mark.parametrize("value, enabled", [(None, True), ("1", True), ("0", False), ("false", False),
                                            ("OFF", False), ("no", False), ("yes", True)])
def test_unanswered_log_switch(monkeypatch, value, enabled):
    if value is None:
        monkeypatch.delenv("IVIG_LOG_UNANSWERED", raising=False)
    else:
        monkeypatch.setenv("IVIG_LOG_UNANSWERED", value)
    assert unanswered_log_enabled() is enabled
    assert unanswered_log_enabled(no_log_flag=True) is False


def test_database_url_given_or_from_the_environment(monkeypatch):
    monkeypatch.delenv("IVIG_DATABASE_URL", raising=False)
    assert resolve_database_url() is None
    monkeypatch.setenv("IVIG_DATABASE_URL", " postgresql://ivig@db/ivig ")
    assert resolve_database_url() == "postgresql://ivig@db/ivig"
    assert resolve_database_url("") is None  # given empty: SQLite, whatever the environment says


def test_a_url_is_shown_without_its_password():
    assert redact_url("postgresql://ivig:s3cret@db.example:5433/ivig?sslmode=require") == \
        "postgresql://ivig:***@db.example:5433/ivig?sslmode=require"
    assert redact_url("postgresql://ivig@db/ivig") == "postgresql://ivig@db/ivig"


def test_delete_removes_every_file_including_salt_leftovers(tmp_path):
    data = tmp_path / "data"
    with Store(data) as store:
        store.pseudonym("ann")  # creates the salt
    leftover = data / f".{SALT_NAME}.12345.678.tmp"  # a process killed while creating the salt
    leftover.write_bytes(b"half")
    assert leftover in data_files(data) and data / DB_NAME in data_files(data)
    removed = delete_data(data)
    assert leftover in removed and (data / SALT_NAME) in removed
    assert not data.exists()


def test_delete_leaves_other_files_and_the_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / f".{SALT_NAME}.1.2.tmp").write_bytes(b"x")
    assert [p.name for p in delete_data(tmp_path)] == [f".{SALT_NAME}.1.2.tmp"]
    assert (tmp_path / "notes.txt").exists()
