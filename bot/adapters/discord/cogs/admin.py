"""Owner-only admin commands: sync the slash commands, reload the knowledge base without a restart, stats."""

from __future__ import annotations

import logging
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.bot import NO_MENTIONS, DiscordApp, sync_commands
from bot.adapters.discord.errors import where
from bot.app import load_core

log = logging.getLogger("bot.discord")


class _LogLines:
    """Collects the problems load_core writes about an invalid base (its indented lines; not its "cannot start"
    heading, which is about a start, not a reload), for the owner's reply and the log."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.extend(line.strip() for line in text.splitlines() if line[:1].isspace() and line.strip())


class Admin(commands.Cog):
    admin = app_commands.Group(name="ivig-admin", description="Owner-only: sync commands, reload data, stats.",
                               default_permissions=discord.Permissions(administrator=True))

    def __init__(self, bot: commands.Bot):
        self.bot = bot
        self.app: DiscordApp = bot.app

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the bot's owners (DISCORD_OWNER_IDS, else the application's owner or team)."""
        if await self.bot.is_owner(interaction.user):
            return True
        await interaction.response.send_message("Only the bot's owner can use this.", ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)
        return False

    async def cog_app_command_error(self, interaction: discord.Interaction, error: Exception) -> None:
        """A refusal was answered in interaction_check; anything else is logged and apologised for privately (the
        tree's default handler would log a refusal as an error and leave a "thinking…" unanswered)."""
        if isinstance(error, app_commands.CheckFailure):
            return
        name = interaction.command.qualified_name if interaction.command else "ivig-admin"
        log.error("/%s failed (%s)", name, where(interaction), exc_info=getattr(error, "original", error))
        text = self.app.service.say("apology")
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as again:
            log.warning("could not send the apology either (%s: %s)", type(again).__name__, where(interaction))

    @admin.command(name="sync", description="Publish the slash commands (to DISCORD_GUILD_IDS, else globally).")
    async def sync(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        done = await sync_commands(self.bot)
        await interaction.followup.send(f"Synced: {', '.join(done) or 'nothing'}.", ephemeral=True)

    @admin.command(name="reload", description="Reload the knowledge base from disk without a restart.")
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        problems = _LogLines()
        core = await self.app.run(self.app.answer_pool, load_core, self.app.settings, problems)
        if core is None:
            log.warning("reload refused: the knowledge base is invalid (%d problem(s))", len(problems.lines))
            shown = "\n".join(problems.lines[:10])
            await interaction.followup.send(f"Not reloaded; the data on disk is invalid:\n{shown[:1800]}",
                                            ephemeral=True)
            return
        await self.app.run(self.app.answer_pool, self.app.service.reload, core)
        log.info("knowledge base reloaded: %d conditions, version %s", len(core.kb.conditions), core.kb.version)
        await interaction.followup.send(f"Reloaded: {len(core.kb.conditions)} conditions, version "
                                        f"{core.kb.version}.", ephemeral=True)

    @admin.command(name="stats", description="Uptime, servers, answers and the knowledge base version.")
    async def stats(self, interaction: discord.Interaction) -> None:
        kb = self.app.service.core.kb
        uptime = int(time.monotonic() - self.app.started)
        shards = sorted(getattr(self.bot, "shards", {}) or []) or ["-"]
        text = (f"Up {uptime // 3600} h {uptime % 3600 // 60} min; {len(self.bot.guilds)} server(s); shards "
                f"{', '.join(map(str, shards))}; {self.app.answered} answer(s) since start, {self.app.in_flight} "
                f"in flight; {len(self.app.service.conversations)} conversation(s) kept; knowledge base "
                f"{len(kb.conditions)} conditions, version {kb.version}, reviewed {kb.last_reviewed.isoformat()}.")
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Admin(bot))
