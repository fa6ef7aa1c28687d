"""Failures on Discord's side: refusals and dropped connections (logged in one line), and fatal gateway closes."""

from __future__ import annotations

import aiohttp
import discord

CONNECTION_ERRORS = (discord.ConnectionClosed, aiohttp.ClientConnectionError, ConnectionError)

# Gateway close codes that no reconnect can fix: the operator must change something first (exit status 2).
FATAL_CLOSES = {
    4004: "Discord rejected DISCORD_TOKEN; copy a fresh token from the Developer Portal (your application, Bot "
          "page, Reset Token)",
    4010: "Discord refused the shard settings; check DISCORD_SHARD_IDS and DISCORD_SHARD_COUNT",
    4011: "Discord requires sharding for this many servers; set DISCORD_SHARD_COUNT (0 lets Discord choose)",
    4012: "Discord refused this gateway version; upgrade discord.py and ivig-chat",
    4013: "Discord refused the requested intents; this is a bug, please report it",
    4014: "Discord refused the message content intent; enable it on the Developer Portal's Bot page, or set "
          "DISCORD_MESSAGE_CONTENT_INTENT=false",
}


def fatal_close(exc: BaseException) -> str | None:
    """The operator's fix for a close that will not go away by reconnecting; None for anything else."""
    if isinstance(exc, discord.LoginFailure):
        return FATAL_CLOSES[4004]
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return FATAL_CLOSES[4014]
    if isinstance(exc, discord.ConnectionClosed):
        return FATAL_CLOSES.get(exc.code)
    return None


def discord_failure(exc: BaseException) -> str | None:
    """What went wrong, when Discord refused or could not be reached (not a bug here); None otherwise."""
    if isinstance(exc, discord.Forbidden):
        return f"missing permissions (403 Forbidden: {exc.text or 'no detail'})"
    if isinstance(exc, discord.NotFound):
        return f"the channel, message or interaction is gone (404 Not Found: {exc.text or 'no detail'})"
    if isinstance(exc, discord.RateLimited) or (isinstance(exc, discord.HTTPException) and exc.status == 429):
        return "rate limited by Discord (429 Too Many Requests)"
    if isinstance(exc, discord.DiscordServerError):
        return f"Discord had a server error ({exc.status})"
    if isinstance(exc, CONNECTION_ERRORS):
        return f"the connection to Discord dropped ({type(exc).__name__})"
    return None


def apology_may_reach(exc: BaseException) -> bool:
    """False when an apology on the same interaction would only fail the same way (or add to a rate limit)."""
    return not (isinstance(exc, (discord.NotFound, discord.RateLimited, *CONNECTION_ERRORS))
                or (isinstance(exc, discord.HTTPException) and exc.status == 429))


def where(event) -> str:
    """User, server and channel ids of a message or interaction, for one log line."""
    guild = getattr(event, "guild", None)
    channel = getattr(event, "channel", None)
    user = getattr(event, "user", None) or getattr(event, "author", None)
    return (f"user={getattr(user, 'id', None)} guild={getattr(guild, 'id', None)} "
            f"channel={getattr(channel, 'id', None)}")
