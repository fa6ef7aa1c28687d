"""The bot's extensions: Ask (questions and presses), Admin (owner-only), Prefix (with the content intent)."""
