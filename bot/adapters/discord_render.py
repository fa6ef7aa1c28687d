"""Render an Answer for Discord: embeds or plain text, split between findings and citations within Discord's limits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import discord

from bot.models import Answer, AnswerKind, ConditionAnswer, MatchMethod
from bot.render import citation_line, disagreement_line, finding_line

# Discord's limits (developer docs: "Create Message", "Embed Limits", "Message Components" and "Modal").
MESSAGE_CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_TOTAL = 6000  # title, description, fields, footer and author, summed over all the embeds of one message
EMBEDS_PER_MESSAGE = 10
ACTION_ROWS = 5
BUTTONS_PER_ROW = 5
BUTTONS_PER_MESSAGE = ACTION_ROWS * BUTTONS_PER_ROW
CUSTOM_ID = 100  # a component's custom id
BUTTON_LABEL = 80
MODAL_TITLE = 45
INPUT_LABEL = 45
INPUT_PLACEHOLDER = 100
CHOICE_TEXT = 100  # an autocomplete choice's name and its value

CONTINUED = " (continued)"
NOTHING_TO_SAY = "I have nothing to say to that. Ask about IVIG in a condition, or try /ivig-list."
ELLIPSIS = "…"

_COLOURS = {
    AnswerKind.clarify: discord.Colour(0xD69E2E),
    AnswerKind.not_found: discord.Colour(0x718096),
    AnswerKind.out_of_scope: discord.Colour(0x718096),
}
_DEFAULT_COLOUR = discord.Colour(0x2B6CB0)

_TITLES = {
    AnswerKind.help: "How to ask",
    AnswerKind.about: "About ivig-chat",
    AnswerKind.sources: "Sources",
}

# The REPL's command names, as the core words them, and what a Discord user types instead.
_REPL_LIST_COMMAND = re.compile(r"(?<![\w/-])/list\b")


ZERO_WIDTH_SPACE = "\u200b"
# <@123>, <@!123>, <@&123>, <#123>, whatever the number's length (escape_mentions only handles 17-20 digit ids).
_MENTION_TOKEN = re.compile(r"<(@[!&]?|#)(?=\d)")


def escape(text: str) -> str:
    """Neutralise Discord markdown and mentions in text we did not write for Discord (links stay clickable).

    Sends also carry "no mentions allowed", so nothing pings anyway; escaping keeps a user's `@everyone`, `<@123>`,
    `**bold**` or `||spoiler||` echoed back (a "did you mean" reason, a note quoting the question) as plain text.
    """
    text = discord.utils.escape_mentions(discord.utils.escape_markdown(text))
    return _MENTION_TOKEN.sub(lambda m: "<" + m.group(1) + ZERO_WIDTH_SPACE, text)


def discord_wording(text: str) -> str:
    """The core's messages name the REPL's commands; on Discord the list command is /ivig-list."""
    return _REPL_LIST_COMMAND.sub("/ivig-list", text)


def shorten(text: str, limit: int) -> str:
    """Fit a title, label or field name into `limit` characters, cutting between words. Never used for findings
    or citations, which are split across embeds or messages instead."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - len(ELLIPSIS) + 1)
    if cut <= 0:
        cut = limit - len(ELLIPSIS)
    return text[:cut].rstrip() + ELLIPSIS


def _pieces(item: str, limit: int) -> list[str]:
    """An item that fits, whole; a longer one (no real finding or citation is) broken between words."""
    pieces = []
    rest = item
    while len(rest) > limit:
        cut = max(rest.rfind(" ", 0, limit + 1), rest.rfind("\n", 0, limit + 1))
        if cut <= 0:  # a single word longer than the limit: cutting it is the only way to send it at all
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def pack(items: Sequence[str], limit: int, separator: str = "\n") -> list[str]:
    """Join whole items into as few chunks of at most `limit` characters as they fit in, keeping their order.

    An item is never split across chunks unless it is longer than `limit` by itself; then it is broken between
    words, and nothing is lost.
    """
    chunks: list[str] = []
    current = ""
    for item in items:
        if not item:
            continue
        for piece in _pieces(item, limit):
            candidate = current + separator + piece if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return chunks


@dataclass
class Block:
    """One part of an answer (a condition, the references, a list): whole lines and fields, split only between them."""

    title: str | None = None
    lines: list[str] = field(default_factory=list)
    fields: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, items); items become one value


# --- from an Answer to blocks ------------------------------------------------------------------------------


def condition_block(c: ConditionAnswer) -> Block:
    """The same content as the REPL's condition block: summary, how it was read, disagreement, findings."""
    lines = [escape(c.evidence_summary.strip())]
    if c.method is MatchMethod.fuzzy:
        lines.append(f"*(I read “{escape(c.matched_text)}” as {escape(c.name)}; match score {c.score:.2f}.)*")
    differences = disagreement_line(c)
    if differences:
        lines.append(differences)
    lines.append("**Findings, strongest design first:**")
    lines.extend(f"{i}. {escape(finding_line(f))}" for i, f in enumerate(c.findings, 1))
    return Block(title=escape(c.name), lines=lines)


def references_block(answer: Answer) -> Block:
    return Block(title="References", lines=[f"**[{c.number}]** {escape(citation_line(c))}" for c in answer.citations])


def answer_blocks(answer: Answer, help_text: str | None = None) -> list[Block]:
    """The parts of an answer in reading order; `help_text` replaces the core's REPL-worded help."""
    notes = [f"*{escape(discord_wording(note))}*" for note in answer.notes]
    message = help_text if answer.kind is AnswerKind.help and help_text else answer.message
    message_lines = [escape(discord_wording(message))] if message else []
    blocks: list[Block] = []

    if answer.kind is AnswerKind.clarify:
        choices = [f"{i}. {escape(s.name)} ({escape(s.reason)})" for i, s in enumerate(answer.suggestions, 1)]
        blocks.append(Block(title="Did you mean…?", lines=notes + message_lines + choices))
    elif answer.kind is AnswerKind.list:
        groups: dict[str, list[str]] = {}
        for entry in answer.listing:
            groups.setdefault(entry.specialty, []).append(escape(entry.name))
        fields = [(f"{specialty.capitalize()} ({len(names)})", names) for specialty, names in groups.items()]
        blocks.append(Block(title="Conditions I cover", lines=notes + message_lines, fields=fields))
    elif answer.conditions:
        blocks.extend(condition_block(c) for c in answer.conditions)
        blocks[0].lines[:0] = notes + message_lines
    else:
        blocks.append(Block(title=_TITLES.get(answer.kind), lines=notes + message_lines))

    if answer.suggestions and answer.kind is not AnswerKind.clarify:
        blocks.append(Block(title="Not answered: did you mean…?",
                            lines=[f"• {escape(s.name)} ({escape(s.reason)})" for s in answer.suggestions]))
    if answer.citations:
        blocks.append(references_block(answer))
    blocks = [b for b in blocks if b.title or b.lines or b.fields]
    return blocks or [Block(lines=[NOTHING_TO_SAY])]  # Discord rejects an empty message; the user gets a hint


def answer_footer(answer: Answer) -> str | None:
    """The disclaimer and review date, on the kinds of answer the REPL prints them for."""
    if answer.kind not in (AnswerKind.answer, AnswerKind.sources, AnswerKind.list):
        return None
    reviewed = f" Knowledge base reviewed {answer.last_reviewed.isoformat()}." if answer.last_reviewed else ""
    return answer.disclaimer + reviewed


def suggestion_choices(answer: Answer, limit: int = BUTTONS_PER_MESSAGE) -> list[tuple[str, str]]:
    """(condition id, button label) for each "did you mean" suggestion that fits on one message (`limit` buttons)."""
    return [(s.id, shorten(s.name, BUTTON_LABEL)) for s in answer.suggestions][:limit]


# --- from blocks to embeds and messages --------------------------------------------------------------------


def _embed(title: str | None, description: str | None, colour: discord.Colour) -> discord.Embed:
    return discord.Embed(title=title, description=description or None, colour=colour)


def block_embeds(block: Block, footer_room: int = 0, colour: discord.Colour = _DEFAULT_COLOUR) -> list[discord.Embed]:
    """One or more embeds for a block; each leaves `footer_room` characters free for a footer."""
    first_title = shorten(block.title, EMBED_TITLE) if block.title else None
    next_title = shorten(block.title + CONTINUED, EMBED_TITLE) if block.title else None
    room = EMBED_TOTAL - footer_room - max(len(first_title or ""), len(next_title or ""))
    chunks = pack(block.lines, min(EMBED_DESCRIPTION, room))
    embeds = [_embed(first_title if i == 0 else next_title, chunk, colour) for i, chunk in enumerate(chunks)]
    for name, items in block.fields:
        for j, value in enumerate(pack(items, FIELD_VALUE)):
            field_name = shorten(name if j == 0 else name + CONTINUED, FIELD_NAME)
            full = (
                not embeds
                or len(embeds[-1].fields) >= EMBED_FIELDS
                or len(embeds[-1]) + len(field_name) + len(value) > EMBED_TOTAL - footer_room
            )
            if full:
                embeds.append(_embed(next_title if embeds else first_title, None, colour))
            embeds[-1].add_field(name=field_name, value=value, inline=True)
    if not embeds and first_title:
        embeds.append(_embed(first_title, None, colour))
    return embeds


def group_into_messages(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Consecutive embeds share a message while it stays within 10 embeds and 6,000 characters."""
    messages: list[list[discord.Embed]] = []
    for embed in embeds:
        if (messages and len(messages[-1]) < EMBEDS_PER_MESSAGE
                and sum(len(e) for e in messages[-1]) + len(embed) <= EMBED_TOTAL):
            messages[-1].append(embed)
        else:
            messages.append([embed])
    return messages


def embeds_from_blocks(blocks: Sequence[Block], footer: str | None = None,
                       colour: discord.Colour = _DEFAULT_COLOUR) -> list[list[discord.Embed]]:
    """Blocks as messages of embeds; the footer goes on the very last embed."""
    footer = shorten(footer, EMBED_FOOTER) if footer else None
    embeds = [e for block in blocks for e in block_embeds(block, len(footer or ""), colour)]
    if footer and embeds:
        embeds[-1].set_footer(text=footer)
    return group_into_messages(embeds)


def plain_from_blocks(blocks: Sequence[Block], footer: str | None = None) -> list[str]:
    """Blocks as plain messages of at most 2,000 characters, for channels where the bot may not embed."""
    items: list[str] = []
    for block in blocks:
        if block.title:
            items.append(f"**{block.title}**")
        items.extend(block.lines)
        for name, values in block.fields:
            items.append(f"__{name}__")
            items.extend(values)
    if footer:
        items.append(escape(footer))
    return pack(items, MESSAGE_CONTENT)


def embed_messages(answer: Answer, help_text: str | None = None) -> list[list[discord.Embed]]:
    colour = _COLOURS.get(answer.kind, _DEFAULT_COLOUR)
    return embeds_from_blocks(answer_blocks(answer, help_text), answer_footer(answer), colour)


def plain_messages(answer: Answer, help_text: str | None = None) -> list[str]:
    return plain_from_blocks(answer_blocks(answer, help_text), answer_footer(answer))
