"""One typed settings object, read once at start-up from the environment (or a dict in tests)."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.kb import default_kb_path

log = logging.getLogger(__name__)

DEFAULT_DB = "sqlite+aiosqlite:///./tanyakota.db"


class SettingsError(ValueError):
    """A setting has a value the bot cannot run with."""


def _int(env: Mapping[str, str], key: str, default: int, low: int = 0, high: int = 10**9) -> int:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{key} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{key} must be between {low} and {high}, got {value}")
    return value


def _dates(env: Mapping[str, str], key: str) -> frozenset[dt.date]:
    raw = env.get(key, "")
    out = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.add(dt.date.fromisoformat(part))
        except ValueError:
            raise SettingsError(f"{key} must be a comma-separated list of dates YYYY-MM-DD, got {part!r}") from None
    return frozenset(out)


def _template_name(raw: str) -> str | None:
    """Return a WhatsApp template name (empty: no template), as Meta allows them: a-z, 0-9, _."""
    name = raw.strip()
    if name and not re.fullmatch(r"[a-z0-9_]{1,512}", name):
        raise SettingsError(f"WHATSAPP_TEMPLATE_STATUS must use only a-z, 0-9 and _, got {name!r}")
    return name or None


def _template_lang(raw: str) -> str:
    if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", raw.strip()):
        raise SettingsError(f"WHATSAPP_TEMPLATE_LANG must be a language code such as id or en_US, got {raw!r}")
    return raw.strip()


def sqlite_path(database_url: str) -> Path | None:
    """Return the file of a SQLite URL, or None for other databases and in-memory SQLite."""
    if not database_url.startswith("sqlite"):
        return None
    _, _, rest = database_url.partition(":///")
    if not rest or rest.startswith(":memory:") or "mode=memory" in rest:
        return None
    return Path(rest.split("?")[0])


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DB
    host: str = "127.0.0.1"
    port: int = 8080
    kb_path: Path = field(default_factory=default_kb_path)
    secret_key: str = ""
    data_dir: Path = Path(".")
    media_dir: Path = Path("media")
    telegram_bot_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_kominfo_chat_id: str | None = None  # group for the daily list of overdue complaints
    whatsapp_access_token: str | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: str | None = None
    whatsapp_verify_token: str | None = None
    whatsapp_api_base_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_template_status: str | None = "status_laporan"  # approved template for status updates; None: none
    whatsapp_template_lang: str = "id"
    whatsapp_rate: int = 80  # messages per second the business number may send
    retention_days: int = 180  # message texts in analytics are deleted after this
    holidays: frozenset[dt.date] = frozenset()
    rate_limit_per_minute: int = 30  # turns per resident per minute
    secure_cookies: bool = False  # set when served behind HTTPS

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_bot_token)

    @property
    def whatsapp_enabled(self) -> bool:
        return all((self.whatsapp_access_token, self.whatsapp_phone_number_id,
                    self.whatsapp_app_secret, self.whatsapp_verify_token))

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, create_secret: bool = True) -> Settings:
        """Build settings from environment-style variables; raise SettingsError on a bad value."""
        database_url = env.get("TANYAKOTA_DATABASE_URL") or DEFAULT_DB
        if not database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise SettingsError("TANYAKOTA_DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        db_file = sqlite_path(database_url)
        data_dir = Path(env.get("TANYAKOTA_DATA_DIR") or (db_file.parent if db_file else "."))
        kb_path = Path(env["TANYAKOTA_KB"]) if env.get("TANYAKOTA_KB") else default_kb_path()
        if not kb_path.is_dir():
            raise SettingsError(f"TANYAKOTA_KB {str(kb_path)!r} is not a folder")
        webhook_url = env.get("TELEGRAM_WEBHOOK_URL") or None
        webhook_secret = env.get("TELEGRAM_WEBHOOK_SECRET") or None
        if webhook_url and not webhook_secret:
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_WEBHOOK_URL is set")
        if webhook_secret and not all(c.isalnum() or c in "_-" for c in webhook_secret):
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET may use only A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        wa = [env.get(k) or None for k in ("WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID",
                                            "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN")]
        if any(wa) and not all(wa):
            raise SettingsError("WhatsApp needs all four of WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, "
                                "WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN")
        secret = env.get("TANYAKOTA_SECRET_KEY") or ""
        if secret and len(secret) < 16:
            raise SettingsError("TANYAKOTA_SECRET_KEY must be at least 16 characters")
        if not secret:
            secret = _kept_secret(data_dir / ".secret_key", create=create_secret)
        return cls(
            database_url=database_url,
            host=env.get("TANYAKOTA_HOST") or "127.0.0.1",
            port=_int(env, "TANYAKOTA_PORT", 8080, 1, 65535),
            kb_path=kb_path,
            secret_key=secret,
            data_dir=data_dir,
            media_dir=Path(env.get("TANYAKOTA_MEDIA_DIR") or data_dir / "media"),
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or "https://api.telegram.org/bot",
            telegram_webhook_url=webhook_url,
            telegram_webhook_secret=webhook_secret,
            telegram_kominfo_chat_id=env.get("TELEGRAM_KOMINFO_CHAT_ID") or None,
            whatsapp_access_token=wa[0],
            whatsapp_phone_number_id=wa[1],
            whatsapp_app_secret=wa[2],
            whatsapp_verify_token=wa[3],
            whatsapp_api_base_url=(env.get("WHATSAPP_API_BASE_URL") or "https://graph.facebook.com/v21.0").rstrip("/"),
            whatsapp_template_status=_template_name(env.get("WHATSAPP_TEMPLATE_STATUS", "status_laporan")),
            whatsapp_template_lang=_template_lang(env.get("WHATSAPP_TEMPLATE_LANG") or "id"),
            whatsapp_rate=_int(env, "WHATSAPP_RATE", 80, 1, 1000),
            retention_days=_int(env, "TANYAKOTA_RETENTION_DAYS", 180, 1, 36500),
            holidays=_dates(env, "TANYAKOTA_HOLIDAYS"),
            rate_limit_per_minute=_int(env, "TANYAKOTA_RATE_LIMIT_PER_MINUTE", 30, 1, 100000),
            secure_cookies=(env.get("TANYAKOTA_SECURE_COOKIES", "") in ("1", "true", "yes"))
            or bool(webhook_url and webhook_url.startswith("https://")),
        )


def _kept_secret(path: Path, create: bool) -> str:
    """Read the secret key kept beside the database, creating it (mode 600) on first run."""
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if len(value) >= 16:
            return value
    if not create:
        return secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o600)
    log.info("created a new secret key in %s", path)
    return value
