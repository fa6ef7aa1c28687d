"""Starting and stopping the bot: settings, the token's clear errors, command sync, signals. No network."""

import asyncio
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import discord
import pytest

from bot import cli
from bot.adapters import discord_bot
from bot.adapters.discord_bot import create_bot, run, sync_commands
from bot.settings import Settings
from bot.storage import Recorder
from discord_fakes import make_settings

FAKE_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake-token.ZZZZZZZZZZZZZZZZZZZZZZZZZZZ"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No DISCORD_* variables and no .env: each test sets exactly what it needs."""
    for name in list(os.environ):
        if name.upper().startswith("DISCORD_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def start(core, **kwargs) -> tuple[int, str]:
    err = io.StringIO()
    status = run(core=core, err=err, **kwargs)
    return status, err.getvalue()


# --- settings ---------------------------------------------------------------------------------------------


def test_settings_from_the_environment_and_dotenv(clean_env, monkeypatch):
    (clean_env / ".env").write_text(
        "DISCORD_TOKEN=from-dotenv\nDISCORD_GUILD_IDS=123, 456\nDISCORD_COOLDOWN_SECONDS=5\n"
        "DISCORD_SHARD_COUNT=\nSOMETHING_ELSE=ignored\n", encoding="utf-8")
    monkeypatch.setenv("DISCORD_COOLDOWN_SECONDS", "7")  # the environment wins over .env
    settings = Settings()
    assert settings.token.get_secret_value() == "from-dotenv"
    assert "from-dotenv" not in repr(settings) and "from-dotenv" not in str(settings)
    assert settings.sync_guild_ids == (123, 456)
    assert settings.cooldown_seconds == 7
    assert settings.shard_count is None
    assert settings.message_content_intent is False


def test_defaults_read_nothing(clean_env, monkeypatch):
    monkeypatch.setenv("DISCORD_COOLDOWN_SECONDS", "not a number")
    defaults = Settings.defaults()
    assert defaults.token is None and defaults.cooldown_seconds == 30 and defaults.sync_guild_ids == ()


def test_env_example_documents_every_setting():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    lines = example.splitlines()
    for name in Settings.model_fields:
        variable = Settings.env_name(name)
        (index,) = [i for i, line in enumerate(lines) if line.lstrip("# ").startswith(variable + "=")]
        assert lines[index - 1].startswith("#"), f"{variable} has no comment above it"


# --- clear errors, exit status 2, the token never shown ---------------------------------------------------


def test_missing_token_is_one_clear_line_and_status_2(clean_env, core):
    status, err = start(core)
    assert status == 2
    assert err.count("\n") == 1 and "DISCORD_TOKEN is not set" in err and "Traceback" not in err


def test_rejected_token_is_one_clear_line_status_2_and_never_printed(clean_env, core, monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE_TOKEN)
    seen = []

    async def rejecting_login(self, token):
        seen.append(token)
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setattr(discord.Client, "login", rejecting_login)
    status, err = start(core)
    assert seen == [FAKE_TOKEN]
    assert status == 2
    assert err.count("\n") == 1 and "Discord rejected DISCORD_TOKEN" in err
    assert FAKE_TOKEN not in err and "fake-token" not in err and "Traceback" not in err


def test_invalid_setting_names_the_variable_without_echoing_values(clean_env, core, monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE_TOKEN)
    monkeypatch.setenv("DISCORD_COOLDOWN_SECONDS", "soon")
    status, err = start(core)
    assert status == 2 and err.count("\n") == 1
    assert err.startswith("ivig-chat: DISCORD_COOLDOWN_SECONDS: ") and "soon" not in err and FAKE_TOKEN not in err


def test_ivig_chat_discord_without_a_token(clean_env):
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(["--discord"], stdin=io.StringIO(), stdout=out, stderr=err)
    assert status == 2 and "DISCORD_TOKEN is not set" in err.getvalue() and out.getvalue() == ""


def test_ivig_discord_console_script_without_a_token(clean_env, capsys):
    assert discord_bot.main([]) == 2
    assert "DISCORD_TOKEN is not set" in capsys.readouterr().err


def test_cannot_reach_discord_is_one_line_status_1(clean_env, core, monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE_TOKEN)

    async def offline_login(self, token):
        raise OSError("Network is unreachable")

    monkeypatch.setattr(discord.Client, "login", offline_login)
    status, err = start(core)
    assert status == 1 and err.count("\n") == 1 and "cannot reach Discord" in err


# --- commands are synced on request, after login, never in on_ready ---------------------------------------


class SyncRecorder:
    def __init__(self):
        self.calls = []

    async def __call__(self, *, guild=None):
        self.calls.append(guild.id if guild else None)
        return []


async def test_sync_to_development_guilds_or_globally(core, monkeypatch):
    bot = create_bot(core, make_settings(guild_ids="11,22"))
    recorder = SyncRecorder()
    monkeypatch.setattr(bot.tree, "sync", recorder)
    await sync_commands(bot)
    assert recorder.calls == [11, 22]
    assert [c.name for c in bot.tree.get_commands(guild=discord.Object(11))] == ["ivig", "ivig-list"]
    bot = create_bot(core, make_settings())
    monkeypatch.setattr(bot.tree, "sync", recorder)
    await sync_commands(bot)
    assert recorder.calls[-1] is None


async def test_no_sync_unless_asked_and_never_on_ready(core, monkeypatch):
    bot = create_bot(core, make_settings())
    recorder = SyncRecorder()
    monkeypatch.setattr(bot.tree, "sync", recorder)
    await bot.setup_hook()
    monkeypatch.setattr(type(bot), "user", property(lambda self: discord.Object(1)))
    await bot.on_ready()
    assert recorder.calls == []
    bot.sync_commands_on_start = True
    await bot.setup_hook()
    assert recorder.calls == [None]


def _fake_gateway(monkeypatch, on_connect=None):
    """login runs setup_hook as the real one does; connect stays "connected" until the bot is closed."""

    async def login(self, token):
        await self.setup_hook()

    async def connect(self, *, reconnect=True):
        if on_connect:
            on_connect()
        for _ in range(2000):
            if self.is_closed():
                return
            await asyncio.sleep(0.005)
        raise AssertionError("the bot was never closed")

    monkeypatch.setattr(discord.Client, "login", login)
    monkeypatch.setattr(discord.Client, "connect", connect)


def test_sync_commands_flag_syncs_after_login(clean_env, core, monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE_TOKEN)
    recorder = SyncRecorder()
    monkeypatch.setattr(discord.app_commands.CommandTree, "sync", lambda self, guild=None: recorder(guild=guild))
    _fake_gateway(monkeypatch, on_connect=lambda: os.kill(os.getpid(), signal.SIGTERM))
    status, _err = start(core, sync_commands=True)
    assert status == 0 and recorder.calls == [None]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_shut_down_cleanly(clean_env, core, monkeypatch, sig):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE_TOKEN)
    closed = []
    real_close = discord_bot.IvigBot.close

    async def recording_close(self):
        closed.append(True)
        await real_close(self)

    monkeypatch.setattr(discord_bot.IvigBot, "close", recording_close)
    _fake_gateway(monkeypatch, on_connect=lambda: os.kill(os.getpid(), sig))
    status, err = start(core)
    assert status == 0 and closed
    assert "Traceback" not in err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers are put back


# --- the recorder: closed on the way out, from the data folder asked for ----------------------------------


class ClosingSpy(Recorder):
    closed: list[bool] = []

    def close(self, timeout: float = 5.0) -> None:
        ClosingSpy.closed.append(True)
        super().close(timeout)


@pytest.fixture
def closing_spy(monkeypatch):
    ClosingSpy.closed = []
    monkeypatch.setattr(discord_bot, "default_recorder", ClosingSpy)
    return ClosingSpy


def test_run_closes_the_recorder_on_shutdown(clean_env, core, monkeypatch, closing_spy):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE_TOKEN)
    used = []
    real_create_bot = discord_bot.create_bot

    def create_bot_spy(*args, **kwargs):
        used.append(kwargs["recorder"])
        return real_create_bot(*args, **kwargs)

    monkeypatch.setattr(discord_bot, "create_bot", create_bot_spy)
    _fake_gateway(monkeypatch, on_connect=lambda: os.kill(os.getpid(), signal.SIGTERM))
    status, _err = start(core)
    assert status == 0 and closing_spy.closed and isinstance(used[0], ClosingSpy)


def test_run_closes_the_recorder_it_was_given_even_on_a_config_error(clean_env, core):
    recorder = ClosingSpy()
    ClosingSpy.closed = []
    status, _err = start(core, recorder=recorder)
    assert status == 2 and ClosingSpy.closed


def test_a_storage_problem_at_shutdown_reaches_the_log(clean_env, core, monkeypatch):
    """What the unanswered log still holds is written on the way out; a failure there is reported, once."""
    monkeypatch.setenv("DISCORD_TOKEN", FAKE_TOKEN)
    blocker = clean_env / "a-file"
    blocker.write_text("not a folder")
    recorder = Recorder(blocker / "data", on_error=discord_bot.log.warning)

    def ask_then_stop():
        recorder.record_unanswered(core.answer(discord_bot.Question(text="IVIG for pyoderma vulgaris?")),
                                   adapter="discord", user_id=1)
        os.kill(os.getpid(), signal.SIGTERM)

    _fake_gateway(monkeypatch, on_connect=ask_then_stop)
    status, err = start(core, recorder=recorder)
    assert status == 0 and err.count("cannot log unanswered questions") == 1


def test_ivig_discord_data_dir_and_no_log(clean_env, core, monkeypatch):
    seen = {}

    def fake_run(core=None, sync_commands=False, err=None, recorder=None):
        seen["recorder"] = recorder
        return 0

    monkeypatch.setattr(discord_bot, "run", fake_run)
    assert discord_bot.main(["--data-dir", str(clean_env / "data"), "--no-log"]) == 0
    assert seen["recorder"].data_dir == clean_env / "data" and seen["recorder"].log_unanswered is False
    assert discord_bot.main([]) == 0
    assert seen["recorder"].log_unanswered is True


def test_ivig_chat_discord_data_dir_and_no_log_reach_the_default_recorder(clean_env, monkeypatch):
    for name in ("IVIG_DATA_DIR", "IVIG_LOG_UNANSWERED"):  # the cli sets them; monkeypatch puts them back
        monkeypatch.setenv(name, "unset-by-the-test")
    seen = {}

    def fake_run(core=None, sync_commands=False, err=None, recorder=None):
        seen["recorder"] = recorder or discord_bot.default_recorder()
        return 0

    monkeypatch.setattr(discord_bot, "run", fake_run)
    status = cli.main(["--discord", "--data-dir", str(clean_env / "d"), "--no-log"], stdin=io.StringIO(),
                      stdout=io.StringIO(), stderr=io.StringIO())
    assert status == 0
    assert seen["recorder"].data_dir == clean_env / "d" and seen["recorder"].log_unanswered is False


# --- imports stay light -----------------------------------------------------------------------------------


def test_cli_and_settings_do_not_import_discord_and_nothing_is_read_at_import():
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("DISCORD_")}
    env["DISCORD_COOLDOWN_SECONDS"] = "invalid: would fail if settings were built at import"
    code = ("import sys, bot.cli, bot.settings; print('discord' in sys.modules); "
            "import bot.adapters.discord_bot; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.split() == ["False", "ok"], result.stderr
