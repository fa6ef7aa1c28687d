"""One settings object for every adapter: every variable documented, values checked, secrets never echoed."""

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings, parse_shard_ids

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_lists_every_setting_and_nothing_else():
    documented = {line.split("=", 1)[0].strip() for line in (ROOT / ".env.example").read_text().splitlines()
                  if line.strip() and not line.lstrip().startswith("#")}
    assert documented == {Settings.env_name(name) for name in Settings.model_fields}


@pytest.mark.parametrize("text, ids", [("", None), ("0-3", (0, 1, 2, 3)), ("0,2", (0, 2)), (" 4 ; 1-2 ", (1, 2, 4))])
def test_shard_ranges(text, ids):
    assert parse_shard_ids(text) == ids


@pytest.mark.parametrize("env, problem", [
    ({"DISCORD_SHARD_IDS": "0-1"}, "DISCORD_SHARD_IDS: needs DISCORD_SHARD_COUNT"),
    ({"DISCORD_SHARD_IDS": "0-3", "DISCORD_SHARD_COUNT": "2"}, "not below DISCORD_SHARD_COUNT"),
    ({"DISCORD_SHARD_IDS": "a-b", "DISCORD_SHARD_COUNT": "2"}, "DISCORD_SHARD_IDS"),
    ({"DISCORD_COOLDOWN_SECONDS": "-1"}, "DISCORD_COOLDOWN_SECONDS"),
])
def test_bad_values_are_one_line_each(monkeypatch, tmp_path, env, problem):
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert any(problem in p for p in caught.value.problems)


@pytest.mark.parametrize("name, value", [("DISCORD_GUILD_IDS", "hunter2-secret"), ("DISCORD_TOKEN", "abc\ndef")])
def test_a_bad_value_is_never_echoed(monkeypatch, tmp_path, name, value):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert all(value not in p and value.split()[0] not in p for p in caught.value.problems)


def test_flags_win_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IVIG_DATA_DIR", str(tmp_path / "env"))
    assert load_settings(ivig_data_dir=tmp_path / "flag").ivig_data_dir == tmp_path / "flag"
    assert load_settings().ivig_data_dir == tmp_path / "env"


def test_the_discord_context_variable_is_still_read(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_CONTEXT_IDLE_SECONDS", "120")
    assert load_settings().ivig_context_idle_seconds == 120
