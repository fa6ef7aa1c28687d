"""Running the Discord bot: settings checked first, signals for a graceful stop, one line and a status on failure."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import TextIO

import aiohttp
import discord

from bot import __version__
from bot.adapters.discord.bot import create_bot
from bot.adapters.discord.errors import fatal_close
from bot.app import EXIT_DATA, EXIT_OK, load_core, make_recorder
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("bot.discord")
EXIT_NO_CONNECTION = 1


async def serve(bot, token: str) -> None:
    """Run until closed; SIGTERM and SIGINT stop taking questions, let answers in flight finish, then close."""
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task] = set()  # keeps the close task alive until it is done

    def shut_down() -> None:
        if closing:
            return
        log.info("shutting down: finishing the answers in flight")
        task = loop.create_task(bot.close_gracefully(bot.app.settings.discord_shutdown_grace_seconds))
        closing.add(task)

    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, shut_down)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or Windows: Ctrl-C still ends the run through KeyboardInterrupt
    try:
        async with bot:
            await bot.start(token)
        for task in closing:
            await task
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def _log_to(stream: TextIO, level: str) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(level)
    # discord.py's own INFO lines are noise for operators; its warnings and errors still show.
    logging.getLogger("discord").setLevel(level if level == "DEBUG" else "WARNING")
    return handler


def run(settings: Settings, *, sync_commands: bool = False, err: TextIO | None = None, core=None,
        recorder=None) -> int:
    """Run the bot until it is stopped. Exit status: 0 after a clean stop; 2 for bad settings, data or token, or
    a gateway close no reconnect can fix (each with one line saying what to fix); 1 when Discord is unreachable."""
    err = err or sys.stderr
    if not settings.has_token:
        err.write("ivig-chat: DISCORD_TOKEN is not set; put the bot token in the environment or in a .env file "
                  "(see .env.example).\n")
        return EXIT_DATA
    core = core or load_core(settings, err)
    if core is None:
        return EXIT_DATA
    handler = _log_to(err, settings.discord_log_level)
    recorder = recorder or make_recorder(settings, log.warning)
    bot = create_bot(core, settings, recorder=recorder, sync_commands=sync_commands)
    try:
        asyncio.run(serve(bot, settings.discord_token.get_secret_value()))
    except (discord.LoginFailure, discord.PrivilegedIntentsRequired, discord.ConnectionClosed) as exc:
        fix = fatal_close(exc)
        if fix is None:
            err.write(f"ivig-chat: the connection to Discord closed (code {getattr(exc, 'code', '?')}); "
                      "try again later.\n")
            return EXIT_NO_CONNECTION
        err.write(f"ivig-chat: {fix}.\n")
        return EXIT_DATA
    except (aiohttp.ClientError, OSError, discord.GatewayNotFound, discord.HTTPException) as exc:
        err.write(f"ivig-chat: cannot reach Discord ({type(exc).__name__}); check the network and try again.\n")
        return EXIT_NO_CONNECTION
    except KeyboardInterrupt:
        pass  # Ctrl-C where no signal handler could be installed
    finally:
        bot.app.close()
        recorder.close()  # while the log handler is still there, so a last storage problem is seen
        logging.getLogger().removeHandler(handler)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """The `ivig-discord` command."""
    parser = argparse.ArgumentParser(prog="ivig-discord", description="Run the ivig-chat Discord bot.")
    parser.add_argument("--sync-commands", action="store_true", help="publish the slash commands, then run")
    parser.add_argument("--knowledge", type=Path, help="knowledge folder to use instead")
    parser.add_argument("--intents", type=Path, help="intents folder to use instead")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="where feedback and the unanswered-question log are kept (default: $IVIG_DATA_DIR, "
                             "else the platform's user data folder, e.g. ~/.local/share/ivig-chat)")
    parser.add_argument("--no-log", action="store_true",
                        help="do not log unanswered questions (also: IVIG_LOG_UNANSWERED=0); feedback is still saved")
    parser.add_argument("--version", action="version", version=f"ivig-discord {__version__}")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(ivig_data_dir=args.data_dir, ivig_knowledge_dir=args.knowledge,
                                 ivig_intents_dir=args.intents, ivig_log_unanswered=False if args.no_log else None)
    except SettingsError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"ivig-chat: {problem}\n")
        return EXIT_DATA
    return run(settings, sync_commands=args.sync_commands)


if __name__ == "__main__":
    sys.exit(main())
