"""The Ask cog: /ivig and /ivig-list, mentions and DMs, and every press under an answer."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from typing import Optional

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.base import conversation_key
from bot.adapters.discord.bot import NAME, NO_MENTIONS, DiscordApp
from bot.adapters.discord.errors import apology_may_reach, discord_failure, where
from bot.adapters.discord.render import CHOICE_TEXT, message_embed
from bot.adapters.discord.views import COMMENT_PATTERN, CommentForm, Paginator, answer_items
from bot.evidence import SHORT_WORDS
from bot.feedback import Status
from bot.models import AnswerKind, Question
from bot.schema import Direction
from bot.service import Reply

log = logging.getLogger("bot.discord")
MAX_CHOICES = 25  # autocomplete choices Discord shows
KEPT_ANSWERS = 1_000  # answers whose Details button still works (by message id); the oldest go first
DEFER_AFTER = 1.5  # Discord drops an interaction not answered within 3 s; past this we say "thinking"
_MENTION = re.compile(r" *<(?:@[!&]?|#)\d+> *")


def without_mentions(text: str) -> str:
    """The text without user, role and channel mention tokens (they hold Discord ids, and mean nothing here)."""
    return _MENTION.sub(" ", text).strip() if "<" in text else text


class Ask(commands.Cog):
    def __init__(self, bot: commands.Bot):
        self.bot = bot
        self.app: DiscordApp = bot.app
        self.service = self.app.service
        self._kept: OrderedDict[int, tuple] = OrderedDict()  # message id -> (presentation, asker, embeds)
        self.live_pages: OrderedDict[str, Paginator] = OrderedDict()  # page button -> its paginator (bounded)
        self.open_forms: OrderedDict[str, CommentForm] = OrderedDict()  # 👎 forms opened here, by id (bounded)
        self._silent_channels: set[int] = set()  # channels we may not write in: logged once each

    def say(self, key: str, **params) -> str:
        return self.service.say(key, **params)

    # --- slash commands ---------------------------------------------------------------------------------

    @app_commands.command(name="ivig", description="What is the evidence that IVIG works in a condition? Cited.")
    @app_commands.describe(question="Your question or a condition, e.g. “does IVIG help myasthenia gravis?”")
    async def ivig(self, interaction: discord.Interaction, question: str) -> None:
        await self.answer_interaction(interaction, without_mentions(question))

    @ivig.autocomplete("question")
    async def complete_question(self, interaction: discord.Interaction, current: str):
        try:
            texts = await self.app.run(self.app.complete_pool, self.question_choices, current)
        except Exception:  # noqa: BLE001 - a failed completion must not leave typing stuck
            log.exception("autocomplete failed (%s)", where(interaction))
            return []
        return [app_commands.Choice(name=text, value=text) for text in texts]

    def question_choices(self, current: str) -> list[str]:
        """What was typed, then completions of its last words by names and synonyms (a prefix index)."""
        typed = " ".join(current.split())
        if len(typed) > CHOICE_TEXT:
            return []  # a choice cannot hold it; Discord then sends what was typed
        found = self.service.complete(typed, MAX_CHOICES)
        choices = ([typed] if typed else []) + [f"{typed[:len(typed) - c.replace]}{c.text}".strip() for c in found]
        return [c for c in dict.fromkeys(choices) if 0 < len(c) <= CHOICE_TEXT][:MAX_CHOICES]

    @app_commands.command(name="ivig-list", description="The conditions I cover, by specialty or by what the "
                                                        "evidence says.")
    @app_commands.describe(specialty="only this specialty", direction="only where a finding says this")
    @app_commands.choices(direction=[app_commands.Choice(name=SHORT_WORDS[d], value=d.value) for d in Direction])
    async def ivig_list(self, interaction: discord.Interaction, specialty: Optional[str] = None,
                        direction: Optional[str] = None) -> None:
        words = " ".join(part for part in (specialty, direction) if part)
        await self.answer_interaction(interaction, self.service.list_question(words, f"/ivig-list {words}".strip()))

    @ivig_list.autocomplete("specialty")
    async def complete_specialty(self, interaction: discord.Interaction, current: str):
        typed = current.strip().lower()
        return [app_commands.Choice(name=s.capitalize(), value=s)
                for s in self.service.core.kb.specialties if typed in s][:MAX_CHOICES]

    async def cog_app_command_error(self, interaction: discord.Interaction, error: Exception) -> None:
        name = interaction.command.qualified_name if interaction.command else "?"
        await self.report_error(interaction, error, f"/{name}")

    # --- messages: mentions and DMs -----------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return  # other bots, and this bot itself: never answer, never loop
        if not self.addressed(message):
            return
        if self.app.settings.discord_message_content_intent:
            context = await self.bot.get_context(message)
            if context.valid:
                return  # "!ivig ..." is the prefix cog's
        await self.answer_message(message, without_mentions(message.content))

    def addressed(self, message: discord.Message) -> bool:
        """A DM, or a message that mentions this bot by name or by its own role; @everyone and @here do not count
        (`user.mentioned_in` would say they do)."""
        if message.guild is None:
            return True
        me = self.bot.user
        if any(user.id == me.id for user in message.mentions):
            return True
        return any(role.is_bot_managed() and role.tags and role.tags.bot_id == me.id for role in message.role_mentions)

    def may_write(self, channel) -> tuple[bool, bool]:
        """(may send, may embed) in `channel`, from the permissions Discord gave the bot, before any request."""
        guild = getattr(channel, "guild", None)
        if guild is None or guild.me is None:
            return True, True  # DMs
        permissions = channel.permissions_for(guild.me)
        in_thread = isinstance(channel, discord.Thread)
        send = permissions.send_messages_in_threads if in_thread else permissions.send_messages
        return bool(send and permissions.view_channel), bool(permissions.embed_links)

    @staticmethod
    def may_reply(channel) -> bool:
        """Whether an answer may be a reply to its question: Discord refuses replies without Read Message History."""
        guild = getattr(channel, "guild", None)
        return guild is None or guild.me is None or channel.permissions_for(guild.me).read_message_history

    async def answer_message(self, message: discord.Message, question: Question | str) -> None:
        """Answer in the message's channel; a failure is logged in one line and the bot goes on serving."""
        if self.app.closing:
            return
        may_send, embeds = self.may_write(message.channel)
        if not may_send:
            if message.channel.id not in self._silent_channels:
                self._silent_channels.add(message.channel.id)
                log.warning("may not send messages in channel %s; questions there are ignored", message.channel.id)
            return
        key = conversation_key(NAME, message.channel.id, message.author.id)
        channel = message.channel.id if message.guild is not None else None
        try:
            async with self.app.answering():
                reply = await self.app.run(self.app.answer_pool, self.service.ask, key, question,
                                           user=str(message.author.id), channel=channel)
                if reply.refusal is not None:
                    await self.refuse_privately(message.author, reply)
                    return
                await self.send_reply(message, reply, message.author.id, embeds)
        except Exception as exc:  # noqa: BLE001 - logged; the asker gets an apology when it can reach them
            failure = discord_failure(exc)
            if failure is not None:
                log.warning("could not answer a message: %s (%s)", failure, where(message))
                return
            log.exception("answering a message failed (%s)", where(message))
            try:
                await message.channel.send(self.say("apology"), allowed_mentions=NO_MENTIONS)
            except Exception as again:  # noqa: BLE001
                log.warning("could not send the apology either (%s: %s)", type(again).__name__, where(message))

    async def refuse_privately(self, user: discord.abc.User, reply: Reply) -> None:
        """A refused question gets one private notice per window (a DM); later ones are dropped quietly."""
        if not reply.refusal.tell:
            return
        try:
            await user.send(reply.message, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            pass  # DMs closed: nothing else is private for a message-based question

    async def send_reply(self, message: discord.Message, reply: Reply, asker: int, embeds: bool) -> None:
        content, view = self.compose(reply, asker, embeds, await self.rating_token(reply))
        reference = message.to_reference(fail_if_not_exists=False) if self.may_reply(message.channel) else None
        try:
            sent = await message.channel.send(reference=reference, allowed_mentions=NO_MENTIONS, view=view, **content)
        except discord.Forbidden:  # a reply refused all the same (permissions changed meanwhile): answer plainly
            if reference is None or message.guild is None:  # in a DM, a refusal means no DMs: do not ask twice
                raise
            sent = await message.channel.send(allowed_mentions=NO_MENTIONS, view=view, **content)
        self.keep(sent, reply, asker, embeds, view)

    # --- building what is sent ------------------------------------------------------------------------------

    async def rating_token(self, reply: Reply) -> str | None:
        """For an evidence answer, the token its 👍/👎 carry, kept in the store (in a worker thread: it writes)."""
        answer = reply.answer
        if answer is None or answer.kind is not AnswerKind.answer or not answer.conditions:
            return None
        return await self.app.run(self.app.answer_pool, self.service.feedback.keep, answer_snapshot(answer))

    def compose(self, reply: Reply, asker: int, embeds: bool,
                token: str | None = None) -> tuple[dict, discord.ui.View | None]:
        """The first page of a reply, with its buttons: picks, Details, 👍/👎, and page buttons when it has more."""
        if reply.presentation is None:
            text = reply.message or ""
            return ({"embeds": [message_embed(text)]} if embeds else {"content": text}), None
        answer, presentation = reply.answer, reply.presentation
        details = presentation.has_details and not (answer and answer.focus == "more")
        pages = presentation.pages

        def items_for(index: int) -> list[discord.ui.Item]:
            picks = [(line.pick, line.text.split(":")[0]) for line in pages[index].picks()]
            return answer_items(picks, asker=asker, details=details, rating_token=token)

        view = Paginator(presentation, "short", asker, embeds, self.refuse_pages, items_for=items_for,
                         client=self.bot)
        content = view.content()
        if not view.children:
            return content, None
        self.remember_pages(view)
        return content, view

    def remember_pages(self, view: Paginator) -> None:
        for custom_id in view.page_ids():
            self.live_pages[custom_id] = view
        while len(self.live_pages) > 2 * KEPT_ANSWERS:
            self.live_pages.popitem(last=False)

    def keep(self, sent: discord.Message | None, reply: Reply, asker: int, embeds: bool, view) -> None:
        if view is not None and sent is not None:
            view.message = sent
        if sent is not None and reply.presentation is not None and reply.presentation.has_details:
            self._kept[sent.id] = (reply.presentation, asker, embeds)
            while len(self._kept) > KEPT_ANSWERS:
                self._kept.popitem(last=False)

    # --- interactions ---------------------------------------------------------------------------------------

    async def answer_interaction(self, interaction: discord.Interaction, question: Question | str) -> None:
        if self.app.closing:
            await self.say_privately(interaction, self.say("apology"))
            return
        key = conversation_key(NAME, interaction.channel_id, interaction.user.id)
        channel = interaction.channel_id if interaction.guild_id is not None else None
        async with self.app.answering():
            work = self.app.run(self.app.answer_pool, self.service.ask, key, question,
                                user=str(interaction.user.id), channel=channel)
            reply = await self.within_deadline(interaction, work)
            if reply.refusal is not None:
                await self.say_privately(interaction, reply.message)
                return
            await self.send_interaction_reply(interaction, reply)

    async def send_interaction_reply(self, interaction: discord.Interaction, reply: Reply) -> None:
        embeds = interaction.app_permissions.embed_links if interaction.guild_id is not None else True
        content, view = self.compose(reply, interaction.user.id, embeds, await self.rating_token(reply))
        extra = {"view": view} if view is not None else {}
        if not interaction.response.is_done():
            await interaction.response.send_message(allowed_mentions=NO_MENTIONS, **content, **extra)
            sent = await interaction.original_response() if view is not None or reply.presentation else None
        else:
            sent = await interaction.followup.send(allowed_mentions=NO_MENTIONS, wait=True, **content, **extra)
        self.keep(sent, reply, interaction.user.id, embeds, view)

    async def within_deadline(self, interaction: discord.Interaction, work):
        """Await `work`; when it takes longer than DEFER_AFTER, first tell Discord we are on it ("thinking…")."""
        task = asyncio.ensure_future(work)
        done, _pending = await asyncio.wait({task}, timeout=DEFER_AFTER)
        if not done:
            await interaction.response.defer(thinking=True)
        return await task

    async def say_privately(self, interaction: discord.Interaction, text: str) -> None:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def report_error(self, interaction: discord.Interaction, error: BaseException, what: str) -> None:
        """Log a failure (Discord's refusals in one line); apologise privately when that can reach the user."""
        original = getattr(error, "original", error)
        failure = discord_failure(original)
        if failure is not None:
            log.warning("%s: could not answer: %s (%s)", what, failure, where(interaction))
            if not apology_may_reach(original):
                return
        else:
            log.error("%s failed (%s)", what, where(interaction), exc_info=original)
        if interaction.type is discord.InteractionType.autocomplete:
            return
        try:
            if interaction.response.is_done():
                # A "thinking…" placeholder would show the apology to the whole channel: remove it, then whisper.
                try:
                    await interaction.delete_original_response()
                except discord.HTTPException:
                    pass
            await self.say_privately(interaction, self.say("apology"))
        except Exception as again:  # noqa: BLE001
            log.warning("could not send the apology either (%s: %s)", type(again).__name__, where(interaction))

    # --- presses ------------------------------------------------------------------------------------------

    async def on_pick(self, interaction: discord.Interaction, condition_id: str) -> None:
        try:
            if condition_id not in self.service.core.kb.conditions:
                await self.say_privately(interaction, self.say("gone_condition"))
                return
            name = self.service.core.kb.conditions[condition_id].name
            await self.answer_interaction(interaction, Question(text=name, condition_ids=(condition_id,)))
        except Exception as exc:  # noqa: BLE001
            await self.report_error(interaction, exc, f"pick {condition_id}")

    async def on_details(self, interaction: discord.Interaction, asker: int) -> None:
        try:
            kept = self._kept.get(interaction.message.id) if interaction.message else None
            if kept is None:
                await self.say_privately(interaction, self.say("pages_expired"))
                return
            presentation, asker, embeds = kept
            if own := interaction.user.id == asker:  # the asker's details go public once; later presses privately
                self._kept[interaction.message.id] = (presentation, None, embeds)
            view = Paginator(presentation, "details", interaction.user.id, embeds, self.refuse_pages,
                             client=self.bot)
            self.remember_pages(view)
            await interaction.response.send_message(allowed_mentions=NO_MENTIONS, ephemeral=not own,
                                                    view=view, **view.content())
            view.message = await interaction.original_response()
        except Exception as exc:  # noqa: BLE001
            await self.report_error(interaction, exc, "details")

    async def refuse_pages(self, interaction: discord.Interaction) -> None:
        await self.say_privately(interaction, self.say("not_your_pages"))

    async def on_expired_pages(self, interaction: discord.Interaction) -> None:
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        view = self.live_pages.get(custom_id)
        if view is not None and not view.is_finished():
            return  # its paginator is alive and answers the press itself
        await self.say_privately(interaction, self.say("pages_expired"))

    async def on_rate(self, interaction: discord.Interaction, token: str, rating: str) -> None:
        try:
            user = str(interaction.user.id)
            status = await self.app.run(self.app.answer_pool, self.service.feedback.check, token, user)
            if status is Status.not_saved:
                await self.say_privately(interaction, self.say("feedback_not_saved"))
            elif status is Status.too_old:
                await self.say_privately(interaction, self.say("feedback_too_old"))
            elif status is Status.already:
                await self.say_privately(interaction, self.say("feedback_already"))
            elif rating == "bad":
                await self.app.run(self.app.answer_pool, self.service.feedback.open_form, token, user)
                form = CommentForm(token, self._comment_submitted(token), 2000)
                self.open_forms[form.custom_id] = form
                while len(self.open_forms) > KEPT_ANSWERS:
                    self.open_forms.popitem(last=False)
                await interaction.response.send_modal(form)
            else:
                await self.save_rating(interaction, token, rating, None)
        except Exception as exc:  # noqa: BLE001
            await self.report_error(interaction, exc, f"rating {rating}")

    def _comment_submitted(self, token: str):
        async def submitted(interaction: discord.Interaction, comment: str) -> None:
            await self.save_rating(interaction, token, "bad", comment, form=True)

        return submitted

    async def save_rating(self, interaction: discord.Interaction, token: str, rating: str,
                          comment: str | None, form: bool = False) -> None:
        """Save, then say thanks privately, only once the record is committed."""
        work = self.app.run(self.app.answer_pool, self.service.feedback.rate_token, token, rating,
                            (comment or "").strip() or None, str(interaction.user.id), form)
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)
        result = await work
        await interaction.followup.send(result.text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A 👎 form no form object waits for (it timed out, or was opened before a restart): save it here."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        match = re.fullmatch(COMMENT_PATTERN, custom_id)
        form = self.open_forms.get(custom_id)
        if match is None or (form is not None and not form.is_finished()):
            return  # not ours, or its form object answers it
        comment = next((c.get("value") for row in interaction.data.get("components", [])
                        for c in row.get("components", []) if c.get("custom_id") == "comment"), None)
        try:
            await self.save_rating(interaction, match["token"], "bad", comment, form=True)
        except Exception as exc:  # noqa: BLE001
            await self.report_error(interaction, exc, "feedback form")


def answer_snapshot(answer):
    from bot.storage import AnswerSnapshot

    return AnswerSnapshot.of(answer)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Ask(bot))
