"""Buttons and forms under answers: picks, Details, 👍/👎 with a comment form, and the pages of long answers.

Buttons that must work after a restart are dynamic items: their custom id carries what they need (a condition
id, a rating token), and the cog behind them is looked up when pressed. Page buttons live with their message and
expire with a clear word.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

import discord

from bot.adapters.discord.render import BUTTON_LABEL, page_content, page_embeds, shorten
from bot.present import Presentation

COG = "Ask"  # the cog that answers presses (bot.adapters.discord.cogs.ask)
PAGE_TIMEOUT = 14 * 60.0  # seconds a paginator keeps its buttons, then they are removed: within the 15 minutes an
# interaction token lasts, so that the message it answered can still be edited
MAX_PICKS = 10  # number buttons on one page (two rows of five)
RATING_BUTTONS = {"good": ("👍", "Helpful"), "bad": ("👎", "Not helpful")}
FORM_TIMEOUT = 15 * 60.0  # seconds a comment form object waits; a form submitted later is saved all the same
COMMENT_ID = "ivig:comment:{token}:{form}"  # one id per form opened: discord.py keeps one form object per id
COMMENT_PATTERN = r"ivig:comment:(?P<token>[0-9a-f]{1,32})(?::(?P<form>[0-9a-f]{1,32}))?"


def _cog(interaction: discord.Interaction):
    return interaction.client.get_cog(COG)


class PickCondition(discord.ui.DynamicItem[discord.ui.Button], template=r"ivig:pick:(?P<condition_id>[a-z0-9-]+)"):
    """A "did you mean" or comparison choice; the condition id in its custom id survives a restart."""

    def __init__(self, condition_id: str, label: str, row: int | None = None):
        super().__init__(discord.ui.Button(label=shorten(label, BUTTON_LABEL), style=discord.ButtonStyle.primary,
                                           custom_id=f"ivig:pick:{condition_id}"), row=row)
        self.condition_id = condition_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match, /):
        return cls(match["condition_id"], item.label or match["condition_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await _cog(interaction).on_pick(interaction, self.condition_id)


class RateAnswer(discord.ui.DynamicItem[discord.ui.Button],
                 template=r"ivig:rate:(?P<rating>good|bad):(?P<token>[0-9a-f]{1,32})"):
    """👍 or 👎 under an evidence answer; the token names the answer in the rating state."""

    def __init__(self, rating: str, token: str, row: int | None = None):
        emoji, label = RATING_BUTTONS[rating]
        super().__init__(discord.ui.Button(emoji=emoji, label=label, style=discord.ButtonStyle.secondary,
                                           custom_id=f"ivig:rate:{rating}:{token}"), row=row)
        self.rating = rating
        self.token = token

    @classmethod
    async def from_custom_id(cls, interaction, item, match, /):
        return cls(match["rating"], match["token"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await _cog(interaction).on_rate(interaction, self.token, self.rating)


class ShowDetails(discord.ui.DynamicItem[discord.ui.Button], template=r"ivig:more:(?P<asker>\d+)"):
    """"Details": the full findings and references of the answer above, paginated, for the asker."""

    def __init__(self, asker: int, row: int | None = None):
        super().__init__(discord.ui.Button(label="Details", emoji="📄", style=discord.ButtonStyle.secondary,
                                           custom_id=f"ivig:more:{asker}"), row=row)
        self.asker = asker

    @classmethod
    async def from_custom_id(cls, interaction, item, match, /):
        return cls(int(match["asker"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _cog(interaction).on_details(interaction, self.asker)


class ExpiredPages(discord.ui.DynamicItem[discord.ui.Button], template=r"ivig:page:(?P<rest>.*)"):
    """A page button whose paginator is gone (timed out, or the bot restarted): says so instead of failing."""

    def __init__(self, rest: str = "x"):
        super().__init__(discord.ui.Button(label="…", custom_id=f"ivig:page:{rest}"))

    @classmethod
    async def from_custom_id(cls, interaction, item, match, /):
        return cls(match["rest"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await _cog(interaction).on_expired_pages(interaction)


DYNAMIC_ITEMS = (PickCondition, RateAnswer, ShowDetails, ExpiredPages)


def answer_items(picks: list[tuple[str, str]], *, asker: int | None, details: bool,
                 rating_token: str | None) -> list[discord.ui.Item]:
    """The buttons under an answer: its picks, then Details and 👍/👎 on the last row."""
    items: list[discord.ui.Item] = [PickCondition(cid, label, row=i // 5) for i, (cid, label) in
                                    enumerate(picks[:MAX_PICKS])]
    last_row = min(4, (len(picks[:MAX_PICKS]) + 4) // 5)
    if details and asker is not None:
        items.append(ShowDetails(asker, row=last_row))
    if rating_token:
        items.extend(RateAnswer(rating, rating_token, row=last_row) for rating in RATING_BUTTONS)
    return items


class CommentForm(discord.ui.Modal):
    """What 👎 opens: an optional comment. Its custom id carries the token, so a form whose object is gone (timed
    out, or sent before a restart) is still handled when submitted (the cog handles forms with this id that no
    object waits for). Each opening has its own id: two people (or two devices) may have the form open at once."""

    def __init__(self, token: str, on_submit: Callable[[discord.Interaction, str], Awaitable[None]], max_length: int):
        super().__init__(title="What was wrong with this answer?", timeout=FORM_TIMEOUT,
                         custom_id=COMMENT_ID.format(token=token, form=secrets.token_hex(4)))
        self._submit = on_submit
        self.comment = discord.ui.TextInput(
            label="Comment (optional)", style=discord.TextStyle.paragraph, required=False, max_length=max_length,
            placeholder="e.g. a finding is missing or outdated, a citation is wrong, it misread my question",
            custom_id="comment")
        self.add_item(self.comment)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._submit(interaction, self.comment.value)


class Paginator(discord.ui.View):
    """Previous / Next through a presentation's pages, with each page's own buttons (`items_for`); only the asker
    may turn the pages, and the page buttons are removed when the view times out. A single page has no page
    buttons and so no timeout: its buttons are dynamic items, which need no live view."""

    def __init__(self, presentation: Presentation, pages_of: str, asker: int, embeds: bool,
                 refuse: Callable[[discord.Interaction], Awaitable[None]],
                 items_for: Callable[[int], list[discord.ui.Item]] | None = None, timeout: float | None = None,
                 client: discord.Client | None = None):
        pages = presentation.pages if pages_of == "short" else presentation.details
        super().__init__(timeout=(timeout or PAGE_TIMEOUT) if len(pages) > 1 else None)
        self.pages = pages
        self.kind = presentation.kind
        self.asker = asker
        self.embeds = embeds
        self.index = 0
        self.message: discord.Message | None = None
        self.client = client
        self._last_turn: discord.Interaction | None = None  # its token edits the message for 15 minutes
        self._refuse = refuse
        self._items_for = items_for or (lambda index: [])
        # self.id is random: a page button of an earlier process, or of a paginator gone, never names a live one
        self.previous = discord.ui.Button(label="Previous", emoji="◀", custom_id=f"ivig:page:prev:{self.id}", row=4)
        self.next = discord.ui.Button(label="Next", emoji="▶", custom_id=f"ivig:page:next:{self.id}", row=4)
        self.previous.callback = self._turn(-1)
        self.next.callback = self._turn(1)
        self._build()

    def page_ids(self) -> set[str]:
        return {self.previous.custom_id, self.next.custom_id} if len(self.pages) > 1 else set()

    def _build(self) -> None:
        self.clear_items()
        for item in self._items_for(self.index):
            self.add_item(item)
        if len(self.pages) > 1 and not self.is_finished():
            self.previous.disabled = self.index == 0
            self.next.disabled = self.index >= len(self.pages) - 1
            self.add_item(self.previous)
            self.add_item(self.next)

    def marker(self) -> str | None:
        return f"page {self.index + 1} of {len(self.pages)}" if len(self.pages) > 1 else None

    def content(self) -> dict:
        page = self.pages[self.index]
        if self.embeds:
            return {"embeds": page_embeds(page, self.kind, self.marker())}
        return {"content": page_content(page, self.marker())}

    def _turn(self, delta: int):
        async def turn(interaction: discord.Interaction) -> None:
            self.index = min(max(self.index + delta, 0), len(self.pages) - 1)
            self._build()
            await interaction.response.edit_message(**self.content(), view=self)
            self._last_turn = interaction
            keep_dynamic_items(interaction.client)  # a page without, say, picks made discord.py forget them

        return turn

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if custom_id in self.page_ids() and interaction.user.id != self.asker:
            await self._refuse(interaction)
            return False
        return True

    async def on_timeout(self) -> None:
        keep_dynamic_items(self.client)  # discord.py forgot them bot-wide with this view
        if self.message is None or len(self.pages) < 2:
            return
        self.remove_item(self.previous)
        self.remove_item(self.next)
        view = self if self.children else None
        # The last page turn's token is the freshest (the view times out PAGE_TIMEOUT after it, within its 15
        # minutes); a message the bot sent in a channel needs no token; else the original interaction's.
        edits = [self._last_turn.edit_original_response] if self._last_turn is not None else []
        edits.append(self.message.edit)
        for edit in edits:
            try:
                await edit(view=view)
                return
            except discord.HTTPException:
                continue  # the token expired, the message is gone or the bot lost access: nothing else to tidy


def keep_dynamic_items(client: discord.Client | None) -> None:
    """Register the dynamic items again. discord.py's view store forgets a dynamic item class, for the whole bot,
    when a view holding one times out or shows a page without it (ViewStore.remove_view and add_view's snapshot
    diff); these buttons are the bot's, not one view's, so every 👍, Details and pick would stop working."""
    if client is not None:
        client.add_dynamic_items(*DYNAMIC_ITEMS)
