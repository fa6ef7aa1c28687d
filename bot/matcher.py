"""The matcher's public names, where the core and the tests have always found them (the code is in bot/match/)."""

from bot.match.matcher import Hit, Matcher, MatchResult

__all__ = ["Hit", "MatchResult", "Matcher"]
