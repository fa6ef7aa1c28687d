"""Presentation pages as Discord embeds or plain messages, within Discord's limits; user text never formats."""

from __future__ import annotations

import re

import discord

from bot.present import Page, Style

# Discord's limits (developer docs: "Create Message", "Embed Limits", "Message Components").
MESSAGE_CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FOOTER = 2048
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
BUTTON_LABEL = 80
CHOICE_TEXT = 100  # an autocomplete choice's name and its value
ELLIPSIS = "…"
ZERO_WIDTH_SPACE = "\u200b"
NOTHING_TO_SAY = "…"

COLOURS = {
    "clarify": discord.Colour(0xD69E2E),
    "not_found": discord.Colour(0x718096),
    "out_of_scope": discord.Colour(0x718096),
}
DEFAULT_COLOUR = discord.Colour(0x2B6CB0)
# <@123>, <@!123>, <@&123>, <#123>, whatever the number's length (escape_mentions only handles 17-20 digit ids).
_MENTION_TOKEN = re.compile(r"<(@[!&]?|#)(?=\d)")


def escape(text: str) -> str:
    """Neutralise Discord markdown and mentions in text (links stay clickable). Sends also allow no mentions,
    so nothing pings anyway; escaping keeps an echoed `@everyone`, `<@123>`, `**bold**` or `||spoiler||` as typed."""
    text = discord.utils.escape_mentions(discord.utils.escape_markdown(text))
    return _MENTION_TOKEN.sub(lambda m: "<" + m.group(1) + ZERO_WIDTH_SPACE, text)


def shorten(text: str, limit: int) -> str:
    """Fit a title, label or choice into `limit` characters, cutting between words."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - len(ELLIPSIS) + 1)
    if cut <= 0:
        cut = limit - len(ELLIPSIS)
    return text[:cut].rstrip() + ELLIPSIS


def _line(line) -> str:
    text = escape(line.text)
    if line.style is Style.item:
        return f"• {text}"
    if line.style is Style.numbered:
        return f"**{line.number}.** {text}"
    if line.style is Style.note:
        return f"*{text}*"
    if line.style is Style.heading:
        return f"__{text}__"
    return text


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def page_embeds(page: Page, kind: str, marker: str | None = None) -> list[discord.Embed]:
    """One page as embeds: a section each (title, then its lines), the footer on the last; within 6,000 chars."""
    colour = COLOURS.get(kind, DEFAULT_COLOUR)
    embeds: list[discord.Embed] = []
    for section in page.sections:
        title = shorten(escape(section.title), EMBED_TITLE) if section.title else None
        description = _fit("\n".join(_line(line) for line in section.lines), EMBED_DESCRIPTION)
        if embeds and title is None and embeds[-1].description is not None:
            merged = embeds[-1].description + "\n\n" + description
            if len(merged) <= EMBED_DESCRIPTION:  # untitled parts (notes, a message) join the embed before
                embeds[-1].description = merged
                continue
        if len(embeds) == EMBEDS_PER_MESSAGE:  # a page of many small sections: the rest join the last embed
            extra = (f"**{title}**\n" if title else "") + description
            embeds[-1].description = _fit(f"{embeds[-1].description or ''}\n\n{extra}".strip(), EMBED_DESCRIPTION)
            continue
        embeds.append(discord.Embed(title=title, description=description or None, colour=colour))
    if not embeds:
        embeds.append(discord.Embed(description=NOTHING_TO_SAY, colour=colour))
    footer = " · ".join(part for part in (marker, page.footer) if part)
    if footer:
        embeds[-1].set_footer(text=_fit(footer, EMBED_FOOTER))
    while sum(len(e) for e in embeds) > EMBED_TOTAL and len(embeds) > 1:  # never in practice: pages are small
        embeds.pop(len(embeds) - 2)
    return embeds


def page_content(page: Page, marker: str | None = None) -> str:
    """One page as a plain message, for channels where the bot may not embed links."""
    parts = []
    for section in page.sections:
        if section.title:
            parts.append(f"**{escape(section.title)}**")
        parts.extend(_line(line) for line in section.lines)
    for extra in (page.footer, marker):
        if extra:
            parts.append(f"-# {escape(extra)}")
    return _fit("\n".join(parts), MESSAGE_CONTENT) or NOTHING_TO_SAY


def message_embed(text: str, kind: str = "message") -> discord.Embed:
    return discord.Embed(description=_fit(escape(text), EMBED_DESCRIPTION), colour=COLOURS.get(kind, DEFAULT_COLOUR))
