"""One settings object for every adapter: IVIG_* and DISCORD_* values from the environment and a `.env` file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_IDLE_SECONDS = 15 * 60
DEFAULT_MAX_CONVERSATIONS = 10_000  # conversations kept at once; the least recently active are forgotten first


class SettingsError(Exception):
    """Invalid settings; `problems` holds one line per problem, naming the variable, never echoing a secret."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _ids(value: str, what: str) -> str:
    parts = [part.strip() for part in str(value).replace(";", ",").split(",") if part.strip()]
    if any(not (part.isascii() and part.isdigit()) for part in parts):
        # The value is not echoed: a misplaced token or password in the wrong variable must not reach a log.
        raise ValueError(f"{what} are numbers separated by commas")
    return ",".join(parts)


class Settings(BaseSettings):
    """Each field is read from the environment variable of the same name in capitals (IVIG_DATA_DIR for
    `ivig_data_dir`); the environment wins over `.env`, and values given to the constructor (command-line flags)
    win over both."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,  # `DISCORD_SHARD_COUNT=` in a copied .env.example means "not set"
        extra="ignore",  # a shared .env may hold other programs' variables
        case_sensitive=False,
    )

    # --- every adapter ------------------------------------------------------------------------------------
    ivig_data_dir: Path | None = Field(default=None, description="feedback and the unanswered log (SQLite)")
    ivig_database_url: SecretStr | None = Field(
        default=None, description="postgresql://... to keep records in PostgreSQL instead of SQLite")
    ivig_log_unanswered: bool = Field(default=True, description="log questions the bot could not answer")
    ivig_knowledge_dir: Path | None = Field(default=None, description="a knowledge folder instead of the shipped one")
    ivig_intents_dir: Path | None = Field(default=None, description="an intents folder instead of the shipped one")
    ivig_cache_dir: str | None = Field(default=None, description='built knowledge base between runs; "off": none')
    ivig_context_idle_seconds: float = Field(
        default=DEFAULT_IDLE_SECONDS, ge=0,
        validation_alias=AliasChoices("ivig_context_idle_seconds", "discord_context_idle_seconds"),
        description="follow-ups refer to the last answer for this long; 0: every question stands alone")
    ivig_max_conversations: int = Field(
        default=DEFAULT_MAX_CONVERSATIONS, ge=1, le=10_000_000,
        description="conversations kept in memory at once (each holds its last answer); the least recently active "
                    "are forgotten first")

    # --- Discord ------------------------------------------------------------------------------------------
    discord_token: SecretStr | None = Field(default=None, description="the bot token from the Developer Portal")
    discord_guild_ids: str = Field(default="", description="servers to sync slash commands to at once")
    discord_owner_ids: str = Field(default="", description="users allowed the admin commands (else the app owner)")
    discord_cooldown_questions: int = Field(default=3, ge=1, le=1000)
    discord_cooldown_seconds: float = Field(default=30.0, ge=0)
    discord_channel_cooldown_questions: int = Field(default=20, ge=1, le=10_000)
    discord_channel_cooldown_seconds: float = Field(default=60.0, ge=0)
    discord_shard_count: int | None = Field(default=None, ge=0, le=100_000)
    discord_shard_ids: str = Field(default="", description="shards this process runs, e.g. 0-3 or 0,2")
    discord_message_content_intent: bool = False
    discord_command_prefix: str = Field(default="!", min_length=1, max_length=5)
    discord_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    discord_shutdown_grace_seconds: float = Field(default=10.0, ge=0, le=600)

    @field_validator("discord_guild_ids")
    @classmethod
    def _guild_ids(cls, value: str) -> str:
        return _ids(value, "server (guild) ids")

    @field_validator("discord_owner_ids")
    @classmethod
    def _owner_ids(cls, value: str) -> str:
        return _ids(value, "owner ids")

    @field_validator("discord_shard_ids")
    @classmethod
    def _shard_ids(cls, value: str) -> str:
        parse_shard_ids(value)
        return value.strip()

    @field_validator("discord_token")
    @classmethod
    def _token_is_one_line(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and any(ch.isspace() for ch in value.get_secret_value().strip()):
            raise ValueError("the token contains spaces or line breaks; copy it again from the Developer Portal")
        return SecretStr(value.get_secret_value().strip()) if value is not None else None

    @field_validator("discord_log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    # --- derived --------------------------------------------------------------------------------------------

    @property
    def sync_guild_ids(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.discord_guild_ids.split(",") if part)

    @property
    def owner_ids(self) -> frozenset[int]:
        return frozenset(int(part) for part in self.discord_owner_ids.split(",") if part)

    @property
    def shard_ids(self) -> tuple[int, ...] | None:
        return parse_shard_ids(self.discord_shard_ids)

    @property
    def has_token(self) -> bool:
        return self.discord_token is not None and bool(self.discord_token.get_secret_value())

    @property
    def database_url(self) -> str | None:
        return self.ivig_database_url.get_secret_value() if self.ivig_database_url else None

    @classmethod
    def defaults(cls, **overrides) -> "Settings":
        """The defaults (plus `overrides`), without reading the environment or `.env`: for tests and factories."""
        return cls.model_construct(**overrides)

    @staticmethod
    def env_name(field_name: str) -> str:
        return field_name.upper()


def parse_shard_ids(text: str) -> tuple[int, ...] | None:
    """"0-3" -> (0, 1, 2, 3); "0,2,5" -> (0, 2, 5); "" -> None (all shards). Raises ValueError on anything else."""
    text = (text or "").strip()
    if not text:
        return None
    ids: list[int] = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        low, dash, high = part.partition("-")
        if not low.strip().isdigit() or (dash and not high.strip().isdigit()):
            raise ValueError("shard ids are numbers or ranges separated by commas, e.g. 0-3 or 0,2")
        first, last = int(low), int(high) if dash else int(low)
        if last < first or last - first > 100_000:
            raise ValueError("a shard range runs from low to high, e.g. 0-3")
        ids.extend(range(first, last + 1))
    return tuple(sorted(set(ids)))


def load_settings(**overrides) -> Settings:
    """Settings from the environment and `.env`, with `overrides` (flags given on the command line) winning.

    Raises SettingsError with one line per problem; values are never echoed (they may be secrets).
    """
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        settings = Settings(**given)
    except ValidationError as exc:
        raise SettingsError([f"{_variable(problem)}: {problem['msg']}" for problem in exc.errors()]) from None
    if settings.shard_ids is not None and not settings.discord_shard_count:
        raise SettingsError(["DISCORD_SHARD_IDS: needs DISCORD_SHARD_COUNT, the total number of shards"])
    if settings.shard_ids and max(settings.shard_ids) >= settings.discord_shard_count:
        raise SettingsError(["DISCORD_SHARD_IDS: a shard id is not below DISCORD_SHARD_COUNT"])
    return settings


def _variable(problem: dict) -> str:
    location = problem.get("loc") or ()
    return Settings.env_name(str(location[0])) if location else "settings"
