"""Test doubles for the Discord adapter: real interactions from payloads, a fake Discord HTTP side, helpers.

dpytest drives messages (mentions, DMs, the prefix command) but has no slash commands, so interactions are real
`discord.Interaction` objects built from gateway payloads and dispatched through the bot's connection state (its
command tree, its dynamic items and views); the HTTP calls their responses make are answered by a fake webhook
adapter that records each payload.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any, ClassVar

import discord
import discord.ext.test as dpytest
from discord.ext.test import backend, factories

from bot.adapters.discord.bot import bot_intents
from bot.settings import Settings

EPHEMERAL = 64  # the message flag Discord uses for "only you can see this"
_ids = itertools.count(1_300_000_000_000_000_000)


def new_id() -> int:
    return next(_ids)


def make_settings(**overrides: Any) -> Settings:
    """Settings as a deployment would have them, without reading this machine's environment or .env."""
    return Settings.defaults(**overrides)


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
            await asyncio.sleep(0)  # let work handed to the bot's threads come back
            if not [t for t in asyncio.all_tasks() if busy(t)]:
                return
            continue
        await asyncio.gather(*tasks, return_exceptions=True)
    raise AssertionError("the bot kept starting new tasks")


@dataclass
class Sent:
    """One message the bot sent through a channel (dpytest): the call's arguments and the wire payload."""

    kwargs: dict
    payload: dict

    @property
    def components(self) -> list[dict]:
        return self.payload.get("components") or []


@dataclass
class InteractionCall:
    """One request to Discord's interaction or webhook endpoints; `message_id` of the message it made or edited."""

    method: str
    path: str
    payload: dict
    message_id: int | None = None
    token: str | None = None  # the interaction's token (webhook token) the request was made with

    @property
    def kind(self) -> int | None:
        """The callback type: 4 message, 5 "thinking…", 6 silent ack, 7 edit, 8 choices, 9 form; None otherwise."""
        return self.payload.get("type") if self.path.endswith("/callback") else None

    @property
    def data(self) -> dict:
        """The message part: `data` of an interaction callback, the whole payload of a followup or an edit."""
        return self.payload.get("data") or {} if self.path.endswith("/callback") else self.payload

    @property
    def ephemeral(self) -> bool:
        return bool((self.data.get("flags") or 0) & EPHEMERAL)

    @property
    def components(self) -> list[dict]:
        return self.data.get("components") or []

    @property
    def embeds(self) -> list[dict]:
        return self.data.get("embeds") or []


@dataclass
class FakeDiscordHTTP:
    """Stands in for Discord's interaction and webhook endpoints; records every request sent there.

    `failures` are raised, in order, by the next requests (each is recorded first), as Discord's errors would be.
    An interaction's first message (its "original response") can be fetched, edited and deleted, as on Discord.
    """

    current: ClassVar["FakeDiscordHTTP | None"] = None  # the one in use (set by the fixture), for `click`

    bot: discord.Client | None = None
    calls: list[InteractionCall] = field(default_factory=list)
    failures: list[BaseException] = field(default_factory=list)
    originals: dict[str, dict] = field(default_factory=dict)  # interaction token -> its message

    async def request(self, route, session=None, *, payload=None, multipart=None, **_ignored):
        if payload is None and multipart:  # a message with files would come as multipart: its JSON part
            payload = next((p.get("value") for p in multipart if p.get("name") == "payload_json"), None)
        token = getattr(route, "webhook_token", None)
        call = InteractionCall(route.method, route.path, payload or {}, token=token)
        self.calls.append(call)
        if self.failures:
            raise self.failures.pop(0)
        if route.path.endswith("/callback"):
            kind = call.payload.get("type")
            if kind in (4, 5):  # a message, or "thinking…" that a followup then fills: the original from now on
                message = self._message(call.data)
                self.originals[str(token)] = message
                call.message_id = int(message["id"])
            elif kind == 7 and str(token) in self.originals:  # the pressed message, edited
                original = self.originals[str(token)]
                original.update({k: v for k, v in call.data.items() if k in ("content", "embeds", "components")})
                call.message_id = int(original["id"])
            return {"interaction": {"id": str(route.webhook_id), "type": kind,
                                    **({"response_message_id": str(call.message_id)} if call.message_id else {})}}
        if route.path.endswith("/messages/@original"):
            original = self.originals.get(str(token))
            if original is None:
                raise http_error(404, "Unknown Message", 10008)
            call.message_id = int(original["id"])
            if route.method == "DELETE":
                del self.originals[str(token)]
                return None
            if route.method == "PATCH":
                original.update({k: v for k, v in call.payload.items() if k in ("content", "embeds", "components")})
            return original
        if route.path.startswith("/webhooks/") and route.method in ("POST", "PATCH"):
            message = self._message(call.payload)
            if route.method == "POST" and str(token) not in self.originals:
                self.originals[str(token)] = message  # a followup after a bare defer takes the original's place
            call.message_id = int(message["id"])
            return message
        if route.path.startswith("/webhooks/") and route.method == "DELETE":
            return None
        raise AssertionError(f"unexpected Discord call {route.method} {route.path}")

    def _message(self, payload: dict) -> dict:
        config = dpytest.get_config()
        data = factories.make_message_dict(config.channels[0], self.bot.user, content=payload.get("content") or "")
        data["embeds"] = payload.get("embeds") or []
        data["components"] = payload.get("components") or []
        data["flags"] = payload.get("flags") or 0
        return data

    @property
    def replies(self) -> list[InteractionCall]:
        """Calls that carry a message the user sees (not autocomplete, a defer, a form or a fetch)."""
        return [c for c in self.calls if c.method != "GET" and c.method != "DELETE"
                and c.kind not in (5, 6, 8, 9) and (c.data.get("content") or c.data.get("embeds"))]

    @property
    def new_messages(self) -> list[InteractionCall]:
        """Calls that post a new message (an interaction's reply or a followup), not edits of one."""
        return [c for c in self.replies if c.kind == 4 or (c.kind is None and c.method == "POST")]

    def embeds(self) -> list[dict]:
        return [e for c in self.replies for e in c.embeds]

    def modals(self) -> list[dict]:
        """The forms the bot opened (interaction callbacks of type 9), as their `data`."""
        return [c.data for c in self.calls if c.kind == 9]

    def clear(self) -> None:
        self.calls.clear()


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


def buttons(components: list[dict]) -> dict[str, str]:
    """Label (or emoji) -> custom id of every button in a message's components."""
    return {(b.get("label") or b.get("emoji", {}).get("name", "")): b["custom_id"]
            for row in components for b in row["components"]}


def member_payload(member: discord.Member) -> dict:
    return {"user": factories.dict_from_user(member._user), "roles": [], "joined_at": None, "deaf": False,
            "mute": False, "flags": 0, "permissions": str(discord.Permissions.all().value)}


def interaction_payload(kind: int, data: dict, member: discord.abc.User | None = None,
                        message: dict | None = None, channel: discord.abc.Messageable | None = None,
                        app_permissions: discord.Permissions | None = None) -> dict:
    """A gateway INTERACTION_CREATE payload in a text channel of the configured guild (the first by default), or
    in a DM channel (then from the user, without a guild)."""
    config = dpytest.get_config()
    channel = channel or config.channels[0]
    member = member or config.members[0]
    permissions = str((app_permissions or discord.Permissions.all()).value)
    payload = {
        "id": str(new_id()),
        "application_id": str(config.client.application_id),
        "type": kind,
        "token": f"interaction-token-{new_id()}",
        "version": 1,
        "data": data,
        "locale": "en-US",
        "app_permissions": permissions,
        "attachment_size_limit": 8 * 1024 * 1024,
        "entitlements": [],
        "authorizing_integration_owners": {},
        "channel_id": str(channel.id),
    }
    if isinstance(channel, discord.DMChannel):
        payload["channel"] = {"id": str(channel.id), "type": 1, "recipients": [factories.dict_from_user(member)]}
        payload["user"] = factories.dict_from_user(getattr(member, "_user", member))
        payload["context"] = 1
    else:
        payload.update({
            "guild_id": str(channel.guild.id), "guild_locale": "en-US", "member": member_payload(member), "context": 0,
            "channel": {"id": str(channel.id), "type": 0, "name": channel.name, "guild_id": str(channel.guild.id)},
        })
    if message is not None:
        payload["message"] = message
    return payload


def command_data(name: str, focused: str | None = None, subcommand: str | None = None, **options: str) -> dict:
    given = [{"type": 3, "name": key, "value": value, **({"focused": True} if key == focused else {})}
             for key, value in options.items()]
    if subcommand is not None:
        given = [{"type": 1, "name": subcommand, "options": given}]
    return {"id": str(new_id()), "name": name, "type": 1, "options": given}


def dispatch(bot, payload: dict) -> None:
    bot._connection.parse_interaction_create(payload)


async def slash(bot, name: str, member: discord.abc.User | None = None, channel=None, *,
                subcommand: str | None = None, app_permissions: discord.Permissions | None = None,
                **options: str) -> None:
    """Run a slash command as Discord delivers it, and wait for the bot to finish."""
    dispatch(bot, interaction_payload(2, command_data(name, subcommand=subcommand, **options), member,
                                      channel=channel, app_permissions=app_permissions))
    await settle()


async def autocomplete(bot, name: str, focused: str, **options: str) -> None:
    dispatch(bot, interaction_payload(4, command_data(name, focused, **options)))
    await settle()


def message_dict(bot, components: list[dict], message_id: int | None = None, flags: int = 0,
                 channel=None) -> dict:
    config = dpytest.get_config()
    message = factories.make_message_dict(channel or config.channels[0], bot.user, message_id or -1, content="")
    message["components"] = components
    message["flags"] = flags
    return message


async def click(bot, custom_id: str, components: list[dict], member: discord.abc.User | None = None, *,
                message_id: int | None = None, flags: int = 0, channel=None) -> None:
    """Press a button of a message (`message_id`, else a new one) that carried `components`, as Discord sends it."""
    message = message_dict(bot, components, message_id, flags, channel)
    payload = interaction_payload(3, {"custom_id": custom_id, "component_type": 2}, member, message, channel)
    if FakeDiscordHTTP.current is not None:  # a component interaction's "original response" is its message
        FakeDiscordHTTP.current.originals[payload["token"]] = message
    dispatch(bot, payload)
    await settle()


def form_payload(form: dict, text: str, member: discord.abc.User | None = None) -> dict:
    """The submission of a form the bot opened (`FakeDiscordHTTP.modals()`), its one text field filled in."""
    (row,) = form["components"]
    (field_,) = row["components"] if row["type"] == 1 else [row["component"]]  # an action row, or a label
    components = [{"type": 1, "components": [{"type": 4, "custom_id": field_["custom_id"], "value": text}]}]
    return interaction_payload(5, {"custom_id": form["custom_id"], "components": components}, member)


async def submit_form(bot, form: dict, text: str, member: discord.abc.User | None = None) -> None:
    dispatch(bot, form_payload(form, text, member))
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


async def post(content: str, *, author=None, mention_everyone: bool = False, channel=None,
               role_mentions: list[int] | None = None) -> None:
    """A message as the gateway delivers it, for cases dpytest.message cannot express (@everyone, bots)."""
    config = dpytest.get_config()
    channel = channel or config.channels[0]
    author = author or config.members[0]
    data = factories.make_message_dict(channel, author, content=content, mention_everyone=mention_everyone,
                                       mentions=backend.find_user_mentions(content, channel.guild),
                                       mention_roles=[str(r) for r in role_mentions or []])
    backend.get_state().parse_message_create(data)
    await dpytest.run_all_events()
    await settle()


def embed_text(embeds) -> str:
    """Titles, descriptions, field values and footers of embeds (objects or payload dicts), one per line."""
    parts = []
    for e in embeds:
        e = e.to_dict() if isinstance(e, discord.Embed) else e
        parts += [e.get("title") or "", e.get("description") or ""]
        parts += [f["value"] for f in e.get("fields", [])]
        parts.append((e.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


def payload_text(payload: dict) -> str:
    """Every piece of text in a message payload: content, embed titles, descriptions, fields, footers."""
    return "\n".join([payload.get("content") or "", embed_text(payload.get("embeds") or [])])


def assert_no_pings(allowed_mentions: dict | None) -> None:
    assert allowed_mentions is not None, "every send must carry allowed_mentions"
    assert allowed_mentions.get("parse") == []
    assert not allowed_mentions.get("users") and not allowed_mentions.get("roles")
    assert not allowed_mentions.get("replied_user")


# --- what the bot should show: derived from the presenter and the data, never pinned ----------------------


def expected(core, question, settings: Settings | None = None):
    """The presentation the chat service makes of `question` (text or Question) for Discord, alone in a
    conversation: what the bot's first message must show."""
    from bot.adapters.discord.bot import commands_for
    from bot.models import Question
    from bot.present import present

    question = Question(text=question) if isinstance(question, str) else question
    return present(core.answer(question), core.texts, commands_for(settings or make_settings()))


def pick_question(core, condition_id: str):
    from bot.models import Question

    return Question(text=core.kb.conditions[condition_id].name, condition_ids=(condition_id,))


def page_embed_dicts(page, kind: str, marker: str | None) -> list[dict]:
    from bot.adapters.discord.render import page_embeds

    return [e.to_dict() for e in page_embeds(page, kind, marker)]


def same_embeds(sent: list[dict], wanted: list[dict]) -> bool:
    """Embeds as sent (payload dicts) against embeds built by the renderer (to_dict), ignoring the wire's extras."""
    def norm(e: dict) -> dict:
        return {k: e.get(k) for k in ("title", "description", "color")} | {
            "footer": (e.get("footer") or {}).get("text")}

    return [norm(e) for e in sent] == [norm(e) for e in wanted]


def condition_with(core, *, short_pages: int = 1, detail_pages: int = 2) -> str:
    """The id of a condition whose answer has at least `short_pages` short pages and `detail_pages` detail pages
    (chosen from the data, so the tests follow the knowledge base as it grows)."""
    import pytest

    for cid in sorted(core.kb.conditions):
        shown = expected(core, pick_question(core, cid))
        if len(shown.pages) >= short_pages and len(shown.details) >= detail_pages:
            return cid
    pytest.skip(f"no condition has {short_pages}+ short and {detail_pages}+ detail pages")


def cog_globals(bot, cog: str = "Ask") -> dict:
    """The globals of the module a cog was loaded from: load_extension executes a fresh copy of the module for
    each bot, so patch its constants here (monkeypatch.setitem), not on an imported module."""
    return type(bot.get_cog(cog)).__init__.__globals__
