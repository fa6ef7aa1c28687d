"""Test doubles for the Discord adapter: real interactions from payloads, a fake Discord HTTP side, helpers.

dpytest drives messages (mentions, DMs, the prefix command) but has no slash commands, so interactions are real
`discord.Interaction` objects built from gateway payloads and dispatched through the bot's connection state;
the HTTP calls their responses make are answered by a fake webhook adapter that records each payload.
"""

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

import discord
import discord.ext.test as dpytest
from discord.ext.test import factories

from bot.adapters.discord_bot import bot_intents
from bot.settings import Settings

_ids = itertools.count(1_300_000_000_000_000_000)


def new_id() -> int:
    return next(_ids)


def make_settings(**overrides: Any) -> Settings:
    """Settings as a deployment would have them, without reading this machine's environment or .env."""
    return Settings.defaults().model_copy(update=overrides)


def intents_for_tests(settings: Settings) -> discord.Intents:
    """What the bot asks Discord for, plus the members intent: dpytest caches its fake members only with it."""
    intents = bot_intents(settings)
    intents.members = True
    return intents


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def settle() -> None:
    """Wait until every task the bot started for an event, command, interaction or button has finished."""
    current = asyncio.current_task()

    def busy(task: asyncio.Task) -> bool:
        name = task.get_name()
        coro = getattr(task.get_coro(), "__name__", "")
        return (task is not current and not task.done()
                and (name == "CommandTree-invoker" or name.startswith("discord-ui-") or coro == "_run_event"))

    for _ in range(100):
        tasks = [t for t in asyncio.all_tasks() if busy(t)]
        if not tasks:
            return
        await asyncio.gather(*tasks, return_exceptions=True)
    raise AssertionError("the bot kept starting new tasks")


@dataclass
class Sent:
    """One message the bot sent through a channel (dpytest): the call's arguments and the wire payload."""

    kwargs: dict
    payload: dict


@dataclass
class InteractionCall:
    method: str
    path: str
    payload: dict

    @property
    def data(self) -> dict:
        """The message part: `data` of an interaction callback, the whole payload of a followup."""
        return self.payload.get("data", {}) if self.path.endswith("/callback") else self.payload


@dataclass
class FakeDiscordHTTP:
    """Stands in for Discord's interaction and webhook endpoints; records every payload sent there.

    `failures` are raised, in order, by the next requests (each is recorded first), as Discord's errors would be.
    """

    bot: discord.Client | None = None
    calls: list[InteractionCall] = field(default_factory=list)
    failures: list[BaseException] = field(default_factory=list)

    async def request(self, route, session=None, *, payload=None, **_ignored):
        self.calls.append(InteractionCall(route.method, route.path, payload or {}))
        if self.failures:
            raise self.failures.pop(0)
        if route.path.endswith("/callback"):
            return {"interaction": {"id": str(route.webhook_id), "type": (payload or {}).get("type", 4)}}
        if route.method in ("POST", "PATCH") and route.path.startswith("/webhooks/"):
            return self._message(payload or {})
        raise AssertionError(f"unexpected Discord call {route.method} {route.path}")

    def _message(self, payload: dict) -> dict:
        config = dpytest.get_config()
        data = factories.make_message_dict(config.channels[0], self.bot.user, content=payload.get("content"))
        data["embeds"] = payload.get("embeds", [])
        data["components"] = payload.get("components", [])
        return data

    @property
    def replies(self) -> list[InteractionCall]:
        """Calls that carry a message (not autocomplete results, not a bare defer)."""
        return [c for c in self.calls if c.payload.get("type") not in (5, 8)]

    def embeds(self) -> list[dict]:
        return [e for c in self.replies for e in c.data.get("embeds", [])]

    def modals(self) -> list[dict]:
        """The forms the bot opened (interaction callbacks of type 9), as their `data`."""
        return [c.data for c in self.calls if c.path.endswith("/callback") and c.payload.get("type") == 9]


def http_error(status: int, message: str = "", code: int = 0) -> discord.HTTPException:
    """The exception discord.py raises for a Discord error response with this status (403, 404, 429, 5xx)."""
    response = type("Response", (), {"status": status, "reason": message})()
    data = {"message": message, "code": code}
    kind = {403: discord.Forbidden, 404: discord.NotFound}.get(status)
    if kind is None:
        kind = discord.DiscordServerError if status >= 500 else discord.HTTPException
    return kind(response, data)


# Discord's limits, checked on the wire payloads (and so independent of the renderer's own constants).
LIMITS = {"content": 2000, "embeds": 10, "embed_total": 6000, "title": 256, "description": 4096, "fields": 25,
          "field_name": 256, "field_value": 1024, "footer": 2048, "rows": 5, "buttons_per_row": 5, "label": 80,
          "custom_id": 100}


def assert_payload_within_limits(payload: dict) -> None:
    """A message payload (content, embeds, components) that Discord accepts."""
    assert len(payload.get("content") or "") <= LIMITS["content"]
    embeds = payload.get("embeds") or []
    assert len(embeds) <= LIMITS["embeds"]
    total = 0
    for e in embeds:
        title, description = e.get("title") or "", e.get("description") or ""
        footer = (e.get("footer") or {}).get("text") or ""
        fields = e.get("fields") or []
        assert len(title) <= LIMITS["title"] and len(description) <= LIMITS["description"]
        assert len(footer) <= LIMITS["footer"] and len(fields) <= LIMITS["fields"]
        for f in fields:
            assert 0 < len(f["name"]) <= LIMITS["field_name"] and 0 < len(f["value"]) <= LIMITS["field_value"]
        total += len(title) + len(description) + len(footer) + sum(len(f["name"]) + len(f["value"]) for f in fields)
    assert total <= LIMITS["embed_total"]
    assert payload.get("content") or embeds, "Discord rejects an empty message"
    rows = payload.get("components") or []
    assert len(rows) <= LIMITS["rows"]
    for row in rows:
        assert 1 <= len(row["components"]) <= LIMITS["buttons_per_row"]
        for button in row["components"]:
            assert len(button.get("label") or "") <= LIMITS["label"]
            assert len(button["custom_id"]) <= LIMITS["custom_id"]


def member_payload(member: discord.Member) -> dict:
    return {"user": factories.dict_from_user(member._user), "roles": [], "joined_at": None, "deaf": False,
            "mute": False, "flags": 0, "permissions": str(discord.Permissions.all().value)}


def interaction_payload(kind: int, data: dict, member: discord.Member | None = None,
                        message: dict | None = None, channel: discord.TextChannel | None = None) -> dict:
    """A gateway INTERACTION_CREATE payload in a text channel of the configured guild (the first by default)."""
    config = dpytest.get_config()
    channel = channel or config.channels[0]
    member = member or config.members[0]
    payload = {
        "id": str(new_id()),
        "application_id": str(config.client.application_id),
        "type": kind,
        "token": f"interaction-token-{new_id()}",
        "version": 1,
        "guild_id": str(channel.guild.id),
        "channel_id": str(channel.id),
        "channel": {"id": str(channel.id), "type": 0, "name": channel.name, "guild_id": str(channel.guild.id)},
        "member": member_payload(member),
        "data": data,
        "locale": "en-US",
        "guild_locale": "en-US",
        "app_permissions": str(discord.Permissions.all().value),
        "attachment_size_limit": 8 * 1024 * 1024,
        "entitlements": [],
        "authorizing_integration_owners": {},
    }
    if message is not None:
        payload["message"] = message
    return payload


def command_data(name: str, focused: str | None = None, **options: str) -> dict:
    return {
        "id": str(new_id()), "name": name, "type": 1,
        "options": [{"type": 3, "name": key, "value": value, **({"focused": True} if key == focused else {})}
                    for key, value in options.items()],
    }


async def slash(bot, name: str, member: discord.Member | None = None, channel: discord.TextChannel | None = None,
                **options: str) -> None:
    """Run a slash command as Discord delivers it, and wait for the bot to finish."""
    bot._connection.parse_interaction_create(interaction_payload(2, command_data(name, **options), member,
                                                                 channel=channel))
    await settle()


async def autocomplete(bot, name: str, focused: str, **options: str) -> None:
    bot._connection.parse_interaction_create(interaction_payload(4, command_data(name, focused, **options)))
    await settle()


async def click(bot, custom_id: str, components: list[dict], member: discord.Member | None = None) -> None:
    """Press a button of a message that carried `components`, as Discord sends it."""
    config = dpytest.get_config()
    message = factories.make_message_dict(config.channels[0], bot.user, content="")
    message["components"] = components
    payload = interaction_payload(3, {"custom_id": custom_id, "component_type": 2}, member, message)
    bot._connection.parse_interaction_create(payload)
    await settle()


async def submit_form(bot, form: dict, text: str, member: discord.Member | None = None) -> None:
    """Fill the one text field of a form the bot opened (`FakeDiscordHTTP.modals()`) and submit it."""
    (row,) = form["components"]
    (field_,) = row["components"] if row["type"] == 1 else [row["component"]]  # an action row, or a label
    components = [{"type": 1, "components": [{"type": 4, "custom_id": field_["custom_id"], "value": text}]}]
    payload = interaction_payload(5, {"custom_id": form["custom_id"], "components": components}, member)
    bot._connection.parse_interaction_create(payload)
    await settle()


def mention(bot) -> str:
    """The text of a mention of the bot, as Discord writes it in a message."""
    return f"<@{bot.user.id}>"


def sent_messages() -> list[discord.Message]:
    """The messages dpytest saw the bot send since the last call (the queue is emptied)."""
    out = []
    while not dpytest.sent_queue.empty():
        out.append(dpytest.get_message())
    return out
