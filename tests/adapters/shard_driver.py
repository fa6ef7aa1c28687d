"""One bot process of a sharded deployment, behind a fake gateway the test drives over stdin and stdout.

Run as a script (`python tests/adapters/shard_driver.py`) with the deployment's environment (DISCORD_SHARD_COUNT,
DISCORD_SHARD_IDS, IVIG_DATABASE_URL or IVIG_DATA_DIR). It builds the bot exactly as `ivig-chat --discord` does
(load_settings, load_core, make_recorder, create_bot, setup_hook), without logging in: what READY would give the
connection state (the bot user, the application id) is set by hand, and gateway events are real INTERACTION_CREATE
payloads parsed by the sharded bot's own connection state (`parse_interaction_create`), as discord_fakes does for
the plain bot under dpytest. The HTTP side of the responses is discord_fakes.FakeDiscordHTTP.

Protocol: one JSON object per line. The driver first writes {"ready": ...} (the bot class, its shards, the texts
the test expects, any warning logged while starting). Then, per line read, {"op": "slash"|"click"|"submit"|"quit",
...}, it writes one line: the Discord calls the bot made ("calls"), the feedback record ids committed meanwhile
("saved") and any warning the bot or its storage logged ("problems").
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE)]  # this checkout's `bot`, and discord_fakes

import discord  # noqa: E402
import discord.webhook.async_ as webhook_async  # noqa: E402

from bot.adapters.discord.bot import create_bot  # noqa: E402
from bot.app import load_core, make_recorder  # noqa: E402
from bot.settings import load_settings  # noqa: E402
import discord_fakes  # noqa: E402
from discord_fakes import FakeDiscordHTTP, command_data, new_id, settle  # noqa: E402

# Ids this process makes (messages, interactions) differ from the other process's, as Discord's snowflakes would.
discord_fakes._ids = itertools.count(1_300_000_000_000_000_000 + os.getpid() * 1_000_000)

GUILD_ID = 1_200_000_000_000_000_001
CHANNEL_ID = 1_200_000_000_000_000_002
APPLICATION_ID = 1_200_000_000_000_000_003
BOT_USER = {"id": str(APPLICATION_ID), "username": "ivig", "discriminator": "0", "global_name": None,
            "avatar": None, "bot": True}
TEXTS = ("feedback_saved_short", "feedback_already", "feedback_too_old", "feedback_not_saved")


def user_dict(user_id: int) -> dict:
    return {"id": str(user_id), "username": f"clinician{user_id % 1000}", "discriminator": "0",
            "global_name": None, "avatar": None}


def message_dict(components: list[dict], message_id: int | None = None, content: str = "",
                 embeds: list[dict] | None = None, flags: int = 0) -> dict:
    """A message of the bot in the test channel, as Discord sends it inside an interaction or returns it."""
    return {"id": str(message_id or new_id()), "channel_id": str(CHANNEL_ID), "guild_id": str(GUILD_ID),
            "author": BOT_USER, "content": content, "embeds": embeds or [], "components": components,
            "flags": flags, "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [], "pinned": False,
            "type": 0}


class GatewayHTTP(FakeDiscordHTTP):
    """FakeDiscordHTTP with messages made here instead of from dpytest's configuration."""

    def _message(self, payload: dict) -> dict:
        return message_dict(payload.get("components") or [], content=payload.get("content") or "",
                            embeds=payload.get("embeds"), flags=payload.get("flags") or 0)


def interaction(kind: int, data: dict, user_id: int, message: dict | None = None) -> dict:
    """A gateway INTERACTION_CREATE payload from a member in the test server's channel."""
    payload = {
        "id": str(new_id()), "application_id": str(APPLICATION_ID), "type": kind,
        "token": f"interaction-token-{new_id()}", "version": 1, "data": data, "locale": "en-US",
        "app_permissions": str(discord.Permissions.all().value), "attachment_size_limit": 8 * 1024 * 1024,
        "entitlements": [], "authorizing_integration_owners": {}, "context": 0,
        "guild_id": str(GUILD_ID), "guild_locale": "en-US", "channel_id": str(CHANNEL_ID),
        "channel": {"id": str(CHANNEL_ID), "type": 0, "name": "ask-ivig", "guild_id": str(GUILD_ID), "position": 0,
                    "parent_id": None, "topic": None, "nsfw": False, "rate_limit_per_user": 0, "flags": 0,
                    "last_message_id": None, "permissions": str(discord.Permissions.all().value)},
        "member": {"user": user_dict(user_id), "roles": [], "joined_at": None, "deaf": False, "mute": False,
                   "flags": 0, "permissions": str(discord.Permissions.all().value)},
    }
    if message is not None:
        payload["message"] = message
    return payload


def form_submission(form: dict, text: str, user_id: int) -> dict:
    """The submission of a form (the `data` of a type-9 callback), its one text field filled in."""
    (row,) = form["components"]
    (field,) = row["components"] if row["type"] == 1 else [row["component"]]
    components = [{"type": 1, "components": [{"type": 4, "custom_id": field["custom_id"], "value": text}]}]
    return interaction(5, {"custom_id": form["custom_id"], "components": components}, user_id)


class Problems(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(f"{record.name}: {record.getMessage()}")


async def serve(protocol) -> int:
    settings = load_settings()  # the environment, as a deployment sets it
    core = load_core(settings, sys.stderr)
    if core is None:
        return 2
    problems = Problems()
    logging.getLogger().addHandler(problems)
    recorder = make_recorder(settings, problems.seen.append)
    saved: list[int] = []
    record_feedback = recorder.record_feedback

    def spy(*args, **kwargs) -> int:  # the ids committed in this process, for the test to compare
        record_id = record_feedback(*args, **kwargs)
        saved.append(record_id)
        return record_id

    recorder.record_feedback = spy
    bot = create_bot(core, settings, recorder=recorder)
    http = GatewayHTTP(bot=bot)
    webhook_async.AsyncWebhookAdapter.request = lambda self, route, session=None, **kw: http.request(route, session,
                                                                                                     **kw)
    await bot._async_setup_hook()
    state = bot._connection  # the sharded bot's own AutoShardedConnectionState, not a test double
    state.user = discord.ClientUser(state=state, data=BOT_USER)  # what READY would say
    state.application_id = APPLICATION_ID
    await bot.setup_hook()

    def say(line: dict) -> None:
        protocol.write(json.dumps(line) + "\n")
        protocol.flush()

    say({"ready": {"bot": type(bot).__name__, "shard_count": bot.shard_count, "shard_ids": bot.shard_ids,
                   "state": type(state).__name__, "texts": {key: bot.app.service.say(key) for key in TEXTS},
                   "problems": list(problems.seen)}})
    loop = asyncio.get_running_loop()
    try:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                return 1
            command = json.loads(line)
            op = command["op"]
            if op == "quit":
                return 0
            http.clear()
            saved.clear()
            problems.seen.clear()
            if op == "slash":
                payload = interaction(2, command_data(command["command"], **command["options"]), command["user"])
            elif op == "click":
                message = message_dict(command["components"], command["message_id"])
                payload = interaction(3, {"custom_id": command["custom_id"], "component_type": 2}, command["user"],
                                      message)
                http.originals[payload["token"]] = message  # a component interaction's original is its message
            elif op == "submit":
                payload = form_submission(command["form"], command["text"], command["user"])
            else:
                raise ValueError(f"unknown op {op!r}")
            state.parse_interaction_create(payload)
            await settle()
            say({"calls": [{"kind": c.kind, "method": c.method, "ephemeral": c.ephemeral, "data": c.data,
                            "message_id": c.message_id} for c in http.calls],
                 "saved": list(saved), "problems": list(problems.seen)})
    finally:
        bot.app.close()
        recorder.close()


def main() -> int:
    protocol = sys.stdout
    sys.stdout = sys.stderr  # anything else printed must not break the protocol
    return asyncio.run(serve(protocol))


if __name__ == "__main__":
    sys.exit(main())
