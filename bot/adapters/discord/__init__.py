"""The Discord adapter: a bot whose cogs translate slash commands, mentions, DMs and presses for the chat service."""
