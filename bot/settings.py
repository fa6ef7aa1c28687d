"""Settings of the Discord bot, read from the environment and a `.env` file (see `.env.example`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "DISCORD_"


class Settings(BaseSettings):
    """Every field is read from DISCORD_<FIELD NAME> (any case); the environment wins over `.env`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,  # `DISCORD_SHARD_COUNT=` in a copied .env.example means "not set", not an error
        extra="ignore",  # a shared .env may hold other programs' variables
    )

    token: SecretStr | None = Field(default=None, description="the bot token from the Developer Portal")
    # Comma-separated, e.g. "123,456". A plain string rather than a list: pydantic-settings (before 2.7) reads
    # list fields from the environment as JSON only, and "123,456" is what people type.
    guild_ids: str = Field(default="", description="servers to sync slash commands to instantly (development)")
    cooldown_questions: int = Field(default=3, ge=1, description="questions a user may ask per cooldown window")
    cooldown_seconds: float = Field(default=30.0, ge=0, description="length of the cooldown window; 0 turns it off")
    # A second limit per server channel, across everyone in it: many accounts flooding one channel cannot make the
    # bot flood it too, and the other channels are served as usual.
    channel_cooldown_questions: int = Field(default=20, ge=1,
                                            description="questions answered per server channel per window")
    channel_cooldown_seconds: float = Field(default=60.0, ge=0,
                                            description="length of the channel window; 0 turns it off")
    context_idle_seconds: float = Field(default=900.0, ge=0,
                                        description="follow-ups refer to the last answer for this long; 0: never")
    shard_count: int | None = Field(default=None, ge=0,
                                    description="unset: one connection; 0: Discord decides; N: N shards")
    message_content_intent: bool = Field(default=False, description="enables the prefix command; privileged intent")
    command_prefix: str = Field(default="!", min_length=1, max_length=5)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("guild_ids")
    @classmethod
    def _guild_ids_are_numbers(cls, value: str) -> str:
        parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        bad = [part for part in parts if not part.isdigit()]
        if bad:
            raise ValueError(f"guild ids are numbers separated by commas; not a number: {', '.join(bad)}")
        return ",".join(parts)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def sync_guild_ids(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.guild_ids.split(",") if part)

    @property
    def has_token(self) -> bool:
        return self.token is not None and bool(self.token.get_secret_value().strip())

    @classmethod
    def defaults(cls) -> "Settings":
        """The default settings, without reading the environment or `.env` (for the bot factory and tests)."""
        return cls.model_construct()

    @staticmethod
    def env_name(field_name: str) -> str:
        return ENV_PREFIX + field_name.upper()
