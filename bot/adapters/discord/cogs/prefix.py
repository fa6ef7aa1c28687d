"""Prefix commands (`!ivig <question>`, `!ivig-list [filter]`), loaded only with the message content intent."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.adapters.discord.errors import discord_failure, where

log = logging.getLogger("bot.discord")


class Prefix(commands.Cog):
    def __init__(self, bot: commands.Bot):
        self.bot = bot

    @property
    def ask(self):
        return self.bot.get_cog("Ask")

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not message.author.bot:
            await self.bot.process_commands(message)

    @commands.command(name="ivig")
    async def ivig(self, ctx: commands.Context, *, question: str = "") -> None:
        await self.ask.answer_message(ctx.message, question)

    @commands.command(name="ivig-list")
    async def ivig_list(self, ctx: commands.Context, *, filters: str = "") -> None:
        words = " ".join(filters.split())
        await self.ask.answer_message(ctx.message, self.ask.service.list_question(words, f"/ivig-list {words}".strip()))

    @commands.Cog.listener()
    async def on_command_error(self, ctx: commands.Context, error: commands.CommandError) -> None:
        if isinstance(error, commands.CommandNotFound):
            return  # "!something" meant for another bot
        original = getattr(error, "original", error)
        failure = discord_failure(original)
        if failure is not None:
            log.warning("prefix command could not answer: %s (%s)", failure, where(ctx.message))
            return
        log.error("prefix command failed (%s)", where(ctx.message), exc_info=original)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Prefix(bot))
