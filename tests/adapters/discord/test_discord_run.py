"""Starting and stopping the bot (run.py): settings, clear one-line errors with exit status 2 (a bad token,
gateway closes no reconnect can fix), command sync, signals, the recorder closed on the way out. No network."""

import asyncio
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import discord
import discord.gateway
import pytest
from pydantic import SecretStr

from bot import cli
from bot.adapters.discord import run as run_module
from bot.adapters.discord.bot import IvigBot
from bot.adapters.discord.errors import FATAL_CLOSES
from bot.models import Question
from bot.settings import Settings
from bot.storage import Recorder
from discord_fakes import make_settings

FAKE_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake-token.ZZZZZZZZZZZZZZZZZZZZZZZZZZZ"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No DISCORD_* variables and no .env: each test sets exactly what it needs."""
    for name in list(os.environ):
        if name.upper().startswith("DISCORD_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def start(core, settings: Settings | None = None, **kwargs) -> tuple[int, str]:
    err = io.StringIO()
    settings = settings or make_settings(discord_token=SecretStr(FAKE_TOKEN))
    status = run_module.run(settings, core=core, err=err, **kwargs)
    return status, err.getvalue()


def fake_login(monkeypatch, failure: BaseException | None = None) -> list[str]:
    """login runs setup_hook as the real one does (or fails as Discord would); the tokens it was given."""
    seen: list[str] = []

    async def login(self, token):
        seen.append(token)
        if failure is not None:
            raise failure
        await self.setup_hook()

    monkeypatch.setattr(discord.Client, "login", login)
    return seen


def fake_gateway(monkeypatch, on_connect=None) -> None:
    """connect stays "connected" until the bot is closed."""

    async def connect(self, *, reconnect=True):
        if on_connect:
            on_connect()
        for _ in range(2000):
            if self.is_closed():
                return
            await asyncio.sleep(0.005)
        raise AssertionError("the bot was never closed")

    monkeypatch.setattr(discord.Client, "connect", connect)


def gateway_closes_with(monkeypatch, code: int) -> None:
    """The gateway closes the connection with `code`, handled by discord.py's own connect loop."""

    async def from_client(cls, client, **kwargs):
        raise discord.ConnectionClosed(None, shard_id=None, code=code)

    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "from_client", classmethod(from_client))


def assert_one_line(err: str) -> None:
    assert err.count("\n") == 1 and err.startswith("ivig-chat: ") and "Traceback" not in err, err


# --- clear errors, exit status 2, the token never shown ---------------------------------------------------


def test_missing_token_is_one_clear_line_and_status_2(clean_env, core):
    status, err = start(core, make_settings())
    assert status == 2
    assert_one_line(err)
    assert "DISCORD_TOKEN is not set" in err


def test_rejected_token_is_one_clear_line_status_2_and_never_printed(clean_env, core, monkeypatch):
    seen = fake_login(monkeypatch, discord.LoginFailure("Improper token has been passed."))
    status, err = start(core)
    assert seen == [FAKE_TOKEN] and status == 2
    assert_one_line(err)
    assert "Discord rejected DISCORD_TOKEN" in err and FAKE_TOKEN not in err and "fake-token" not in err


@pytest.mark.parametrize("code", [4004, 4010, 4011, 4012, 4013, 4014])
def test_a_gateway_close_no_reconnect_can_fix_is_one_line_and_status_2(clean_env, core, monkeypatch, code):
    fake_login(monkeypatch)
    gateway_closes_with(monkeypatch, code)
    status, err = start(core)
    assert status == 2
    assert_one_line(err)
    assert err == f"ivig-chat: {FATAL_CLOSES[code]}.\n"


@pytest.mark.parametrize("code", [4004, 4011])
def test_the_sharded_bot_ends_the_same_way(clean_env, core, monkeypatch, code):
    fake_login(monkeypatch)

    async def connect(self, *, reconnect=True):
        raise discord.ConnectionClosed(None, shard_id=1, code=code)

    monkeypatch.setattr(discord.AutoShardedClient, "connect", connect)
    status, err = start(core, make_settings(discord_token=SecretStr(FAKE_TOKEN), discord_shard_count=2,
                                            discord_shard_ids="0-1"))
    assert status == 2 and err == f"ivig-chat: {FATAL_CLOSES[code]}.\n"


def test_another_close_is_one_line_and_status_1(clean_env, core, monkeypatch):
    fake_login(monkeypatch)
    gateway_closes_with(monkeypatch, 4999)
    status, err = start(core)
    assert status == 1
    assert_one_line(err)
    assert "code 4999" in err


def test_cannot_reach_discord_is_one_line_and_status_1(clean_env, core, monkeypatch):
    fake_login(monkeypatch, OSError("Network is unreachable"))
    status, err = start(core)
    assert status == 1
    assert_one_line(err)
    assert "cannot reach Discord" in err


def test_an_invalid_setting_names_the_variable_without_echoing_values(clean_env, monkeypatch, capsys):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE_TOKEN)
    monkeypatch.setenv("DISCORD_COOLDOWN_SECONDS", "soon")
    assert run_module.main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ivig-chat: DISCORD_COOLDOWN_SECONDS: ")
    assert "soon" not in err and FAKE_TOKEN not in err


def test_shard_ids_without_a_count_is_a_settings_error(clean_env, monkeypatch, capsys):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE_TOKEN)
    monkeypatch.setenv("DISCORD_SHARD_IDS", "0-1")
    assert run_module.main([]) == 2
    assert "DISCORD_SHARD_COUNT" in capsys.readouterr().err


def test_ivig_discord_without_a_token(clean_env, capsys):
    assert run_module.main([]) == 2
    assert "DISCORD_TOKEN is not set" in capsys.readouterr().err


def test_ivig_chat_discord_without_a_token(clean_env):
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(["--discord"], stdin=io.StringIO(), stdout=out, stderr=err)
    assert status == 2 and "DISCORD_TOKEN is not set" in err.getvalue() and out.getvalue() == ""


# --- running and stopping ---------------------------------------------------------------------------------


def test_sync_commands_flag_syncs_after_login(clean_env, core, monkeypatch):
    synced = []

    async def sync(self, *, guild=None):
        synced.append(guild)
        return []

    monkeypatch.setattr(discord.app_commands.CommandTree, "sync", sync)
    fake_login(monkeypatch)
    fake_gateway(monkeypatch, on_connect=lambda: os.kill(os.getpid(), signal.SIGTERM))
    status, _err = start(core, sync_commands=True)
    assert status == 0 and synced == [None]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_shut_down_gracefully(clean_env, core, monkeypatch, sig):
    graces = []
    real = IvigBot.close_gracefully

    async def close_gracefully(self, grace):
        graces.append(grace)
        await real(self, grace)

    monkeypatch.setattr(IvigBot, "close_gracefully", close_gracefully)
    fake_login(monkeypatch)
    fake_gateway(monkeypatch, on_connect=lambda: os.kill(os.getpid(), sig))
    status, err = start(core, make_settings(discord_token=SecretStr(FAKE_TOKEN), discord_shutdown_grace_seconds=7))
    assert status == 0 and graces == [7]
    assert "Traceback" not in err and "finishing the answers in flight" in err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers are put back


# --- the recorder: closed on the way out, from the data folder asked for ----------------------------------


class ClosingSpy(Recorder):
    closed: list[bool] = []

    def close(self, timeout: float = 5.0) -> None:
        ClosingSpy.closed.append(True)
        super().close(timeout)


def test_run_closes_the_recorder_on_shutdown(clean_env, core, monkeypatch):
    ClosingSpy.closed = []
    made = []
    monkeypatch.setattr(run_module, "make_recorder", lambda settings, on_error: made.append(settings)
                        or ClosingSpy(settings.ivig_data_dir))
    fake_login(monkeypatch)
    fake_gateway(monkeypatch, on_connect=lambda: os.kill(os.getpid(), signal.SIGTERM))
    status, _err = start(core)
    assert status == 0 and made and ClosingSpy.closed == [True]


def test_run_closes_the_recorder_after_a_fatal_close(clean_env, core, monkeypatch):
    ClosingSpy.closed = []
    fake_login(monkeypatch)
    gateway_closes_with(monkeypatch, 4004)
    status, _err = start(core, recorder=ClosingSpy())
    assert status == 2 and ClosingSpy.closed == [True]


def test_a_storage_problem_at_shutdown_reaches_the_log_once(clean_env, core, monkeypatch):
    """What the unanswered log still holds is written on the way out; a failure there is reported, once."""
    blocker = clean_env / "a-file"
    blocker.write_text("not a folder")
    recorder = Recorder(blocker / "data", on_error=run_module.log.warning)

    def ask_then_stop():
        recorder.record_unanswered(core.answer(Question(text="IVIG for lichen planus?")), adapter="discord",
                                   user_id=1)
        os.kill(os.getpid(), signal.SIGTERM)

    fake_login(monkeypatch)
    fake_gateway(monkeypatch, on_connect=ask_then_stop)
    status, err = start(core, recorder=recorder)
    assert status == 0 and err.count("cannot log unanswered questions") == 1


def test_ivig_discord_flags_reach_the_settings(clean_env, monkeypatch):
    seen = {}

    def fake_run(settings, sync_commands=False, **kwargs):
        seen["settings"], seen["sync"] = settings, sync_commands
        return 0

    monkeypatch.setattr(run_module, "run", fake_run)
    assert run_module.main(["--data-dir", str(clean_env / "data"), "--no-log", "--sync-commands"]) == 0
    settings = seen["settings"]
    assert settings.ivig_data_dir == clean_env / "data" and settings.ivig_log_unanswered is False and seen["sync"]
    assert run_module.main([]) == 0
    assert seen["settings"].ivig_log_unanswered is True and seen["sync"] is False


# --- imports stay light -----------------------------------------------------------------------------------


def test_cli_and_settings_do_not_import_discord_and_nothing_is_read_at_import():
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("DISCORD_")}
    env["DISCORD_COOLDOWN_SECONDS"] = "invalid: would fail if settings were built at import"
    code = ("import sys, bot.cli, bot.settings; print('discord' in sys.modules); "
            "import bot.adapters.discord.run, bot.adapters.discord.bot; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.split() == ["False", "ok"], result.stderr
