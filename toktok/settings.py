"""One place for every knob of the service, read from the environment or `.env`.

Built once by the composition root and passed down, so tests can build their own without
touching the process environment or a real database.
"""

import base64
import binascii
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_URL = f"sqlite:///{Path('var') / 'toktok.db'}"
DEVELOPMENT_KEY_FILE = Path("var") / "data.key"
TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"


class Settings(BaseSettings):
    """Service settings; every field is documented in `.env.example`."""

    # Validation errors name the setting and the rule, never the value: values may be secrets.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    environment: Literal["development", "production"] = "development"
    database_url: str = DEFAULT_SQLITE_URL
    telegram_bot_token: SecretStr = SecretStr("")
    telegram_api_base_url: str = TELEGRAM_API_BASE_URL
    telegram_max_rate: float = Field(default=25.0, ge=0)
    webhook_url: str = ""
    webhook_secret: SecretStr = SecretStr("")
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    forwarded_allow_ips: str = "127.0.0.1"
    timezone: str = "Asia/Seoul"
    default_language: Literal["ko", "en"] = "ko"
    resume_offer_after_minutes: int = Field(default=30, ge=1)
    outbox_retry_seconds: int = Field(default=30, ge=1)
    # How often the sender looks for what staff have just told citizens.
    news_seconds: float = Field(default=1.0, gt=0, le=60)
    proposal_answer_threshold: int = Field(default=50, ge=1)
    proposal_answer_days: int = Field(default=30, ge=1)
    report_hide_after: int = Field(default=3, ge=1)
    data_keys: SecretStr = SecretStr("")
    # Keys the hash that knows a resident at the counter again by phone number; empty: the
    # first data key's (then set it before rotating data keys, or returning residents are
    # not recognised).
    person_key: SecretStr = SecretStr("")
    care_retention_days: int = Field(default=365, ge=1)
    care_help_phone: str = Field(default="", max_length=20)
    notice_weekly_budget: int = Field(default=3, ge=1)
    # An urgent notice, or one reaching more citizens than this, needs a second person's
    # approval before it is sent.
    notice_approval_threshold: int = Field(default=10_000, ge=0)
    # The dashboard's figures are counted at most this often (0: on every view).
    dashboard_refresh_seconds: int = Field(default=300, ge=0, le=3600)
    quiet_hours_start: int = Field(default=21, ge=0, le=23)
    quiet_hours_end: int = Field(default=8, ge=0, le=23)
    telegram_paid_broadcast: bool = False
    telegram_paid_max_rate: float = Field(default=1000.0, gt=0)
    broadcast_workers: int = Field(default=8, ge=1, le=64)
    broadcast_lease_seconds: int = Field(default=120, ge=1)
    turn_workers: int = Field(default=1, ge=0, le=16)
    api_docs: bool | None = None
    console_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # A counter session (an official taking part for a resident) ends after this many idle
    # minutes, so no one carries on in a resident's name at a desk left alone.
    counter_idle_minutes: int = Field(default=20, ge=1, le=240)
    # However busy, a console session ends this many hours after its sign-in.
    console_session_hours: float = Field(default=12, gt=0, le=24)
    citizen_burst: int = Field(default=20, ge=1, le=1000)
    citizen_messages_per_minute: float = Field(default=60.0, gt=0)
    log_format: Literal["plain", "json"] | None = None
    scheduler_sweep_seconds: float = Field(default=10.0, ge=0.5, le=300)
    kakao_skill_secret: SecretStr = SecretStr("")
    kakao_answer_seconds: float = Field(default=3.5, gt=0, le=4.5)
    public_base_url: str = Field(default="", pattern=r"^(https://[^\s/]+.*)?$")
    kakao_event_api_key: SecretStr = SecretStr("")
    kakao_bot_id: str = Field(default="", max_length=64, pattern=r"^[A-Za-z0-9_-]*$")
    kakao_event_api_url: str = "https://bot-api.kakao.com"
    kakao_event_name: str = Field(default="toktok_news", max_length=64)
    kakao_event_rate: float = Field(default=5.0, gt=0, le=100)
    kakao_event_won: int = Field(default=15, ge=0)

    @property
    def kakao_events_enabled(self) -> bool:
        return bool(self.kakao_event_api_key.get_secret_value() and self.kakao_bot_id)

    @property
    def kakao_enabled(self) -> bool:
        return bool(self.kakao_skill_secret.get_secret_value())

    @property
    def json_logs(self) -> bool:
        """JSON lines in production, plain lines in development, unless LOG_FORMAT says."""
        if self.log_format is not None:
            return self.log_format == "json"
        return self.environment == "production"

    @property
    def sending_rate(self) -> float:
        """The bot's one budget: Telegram's paid-broadcast limit when that is switched on."""
        return (
            self.telegram_paid_max_rate if self.telegram_paid_broadcast else self.telegram_max_rate
        )

    care_access_log_days: int = Field(default=730, ge=730)

    @property
    def data_key_list(self) -> list[str]:
        keys = self.data_keys.get_secret_value().split(",")
        return [key.strip() for key in keys if key.strip()]

    @property
    def docs_enabled(self) -> bool:
        """The API's docs and schema: on in development, off in production unless asked for."""
        return self.api_docs if self.api_docs is not None else self.environment != "production"

    @property
    def bot_enabled(self) -> bool:
        return bool(self.telegram_bot_token.get_secret_value())

    @property
    def webhook_enabled(self) -> bool:
        return bool(self.webhook_url)

    @model_validator(mode="after")
    def _refuse_unsafe_webhook(self) -> "Settings":
        """A webhook without a secret would let anyone on the internet play any citizen."""
        secret = self.webhook_secret.get_secret_value()
        if self.webhook_url and len(secret) < 16:
            raise ValueError("WEBHOOK_SECRET must be set (16+ characters) when WEBHOOK_URL is set")
        if secret and not all(c.isalnum() or c in "_-" for c in secret):
            raise ValueError("WEBHOOK_SECRET may contain only A-Z, a-z, 0-9, _ and -")
        kakao = self.kakao_skill_secret.get_secret_value()
        if kakao and (len(kakao) < 16 or not all(c.isalnum() or c in "_-" for c in kakao)):
            raise ValueError("KAKAO_SKILL_SECRET: 16+ characters of A-Z, a-z, 0-9, _ and -")
        if self.environment == "production" and not self.data_key_list:
            raise ValueError("DATA_KEYS must be set in production (toktok keys new makes one)")
        keys = self.data_key_list
        for number, key in enumerate(keys, start=1):
            if not _is_data_key(key):
                raise ValueError(
                    f"DATA_KEYS: key {number} of {len(keys)} is not a key as `toktok keys new`"
                    " makes them (32 bytes in url-safe base64; keys are separated by commas)"
                )
        return self


def _is_data_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        return False


def refused(error: ValidationError) -> str:
    """Each refused setting by its name and the rule it broke, never with its value."""
    lines = []
    for problem in error.errors(include_input=False, include_url=False):
        name = "_".join(str(part) for part in problem["loc"]).upper()
        message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(
            f"toktok: setting {name} refused: {message}" if name else f"toktok: {message}"
        )
    return "\n".join(lines)
