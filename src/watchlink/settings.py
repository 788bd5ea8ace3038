"""Configuration in one place: every setting, its environment variable and its meaning.

This is the only module that reads environment variables. Each field below is read
from ``WATCHLINK_<FIELD>`` (for example ``WATCHLINK_DATABASE_URL``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """watchlink's settings, read from ``WATCHLINK_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="WATCHLINK_", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        default="development",
        description="Deployment kind. Production refuses the unsafe development defaults.",
    )
    home: Path = Field(
        default=Path("var"),
        description="Folder holding the embedded database, keys and attachments.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the database. Unset: SQLite at <home>/watchlink.db. "
            "Production: postgresql+psycopg://user:password@host/db."
        ),
    )
    host: str = Field(default="127.0.0.1", description="Address the server listens on.")
    port: int = Field(default=8000, description="Port the server listens on.")
    secret_key: str = Field(
        default="development-only-secret-change-me",
        description="Key signing console sessions. Must be set in production.",
    )
    screening_threshold: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="Match probability from which an encounter becomes a hit.",
    )
    screening_call_size: int = Field(
        default=64,
        ge=1,
        le=10_000,
        description="Single encounters reported at the same moment are screened together, "
        "at most this many in one call (1: each in a call of its own).",
    )
    audit_retention_days: int = Field(
        default=3 * 365, ge=1, description="Age after which audit lines may be purged."
    )
    audit_key_path: Path | None = Field(
        default=None,
        description=(
            "Ed25519 private key signing audit checkpoints, kept outside the database. "
            "Unset: <home>/keys/audit-signing.key, created on first use."
        ),
    )
    audit_checkpoint_every: int = Field(
        default=100, ge=1, description="Audit lines between two permanent signed checkpoints."
    )
    access_roles_file: Path | None = Field(
        default=None,
        description=(
            "YAML table role -> permissions replacing the shipped one; an unknown role "
            "or permission stops start-up."
        ),
    )
    delivery_in_server: bool = Field(
        default=True,
        description=(
            "Run the delivery dispatcher inside the server (inbox, live streams, webhooks). "
            "Live streams are fed only by a dispatcher in the server; `watchlink deliver` "
            "may run beside it."
        ),
    )
    delivery_poll_seconds: float = Field(
        default=1.0, gt=0, description="Pause between two delivery passes that found no work."
    )
    delivery_batch: int = Field(
        default=100, ge=1, le=10_000, description="Messages a dispatcher claims per pass."
    )
    delivery_max_attempts: int = Field(
        default=12, ge=1, description="Webhook attempts before a delivery is given up (dead)."
    )
    delivery_backoff_seconds: float = Field(
        default=10.0, gt=0, description="Wait before the first webhook retry; doubles each time."
    )
    delivery_backoff_max_seconds: float = Field(
        default=3600.0, gt=0, description="Longest wait between two webhook attempts."
    )
    delivery_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="How long a claimed message stays with its dispatcher before another may "
        "take it over; longer than the webhook timeout.",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Time a webhook receiver has to answer one attempt."
    )
    webhook_key_path: Path | None = Field(
        default=None,
        description=(
            "AES key sealing the webhook secrets stored in the database, kept outside it. "
            "Unset: <home>/keys/webhook-secrets.key, created on first use."
        ),
    )

    scheduler_enabled: bool = Field(
        default=True,
        description="Run due jobs (reminders, escalations, reviews) inside the server.",
    )
    scheduler_interval_seconds: float = Field(
        default=30.0, gt=0, description="Seconds between two passes of the server's scheduler."
    )
    request_deadline_urgent_hours: float = Field(
        default=12, gt=0, description="Hours an agency has to answer an urgent request."
    )
    request_deadline_high_hours: float = Field(
        default=3 * 24, gt=0, description="Hours an agency has to answer a high-priority request."
    )
    request_deadline_normal_hours: float = Field(
        default=14 * 24, gt=0, description="Hours an agency has to answer a normal request."
    )
    request_reminder_fraction: float = Field(
        default=0.25,
        gt=0,
        lt=1,
        description="The receiving desk is reminded when this share of the time to answer is left.",
    )
    request_sweep_minutes: float = Field(
        default=5, gt=0, description="Minutes between two sweeps for overdue requests."
    )
    attachment_max_bytes: int = Field(
        default=10 * 1024 * 1024, gt=0, description="Largest attachment a request accepts."
    )
    attachment_content_types: list[str] = Field(
        default=["application/pdf", "image/jpeg", "image/png", "text/plain", "text/csv"],
        description="Content types a request attachment may have (checked on the bytes too).",
    )
    attachment_storage: Literal["database", "files"] = Field(
        default="database",
        description="Where attachment bytes live: the database, or files under <home>/attachments.",
    )

    review_years_checks: int = Field(
        default=1,
        ge=1,
        le=10,
        description="Years until review when a hit asks for a discreet or specific check.",
    )
    review_years_notify: int = Field(
        default=3, ge=1, le=10, description="Years until review when a hit only notifies the owner."
    )
    review_years_enforcement: int = Field(
        default=5,
        ge=1,
        le=10,
        description="Years until review when a hit refuses entry or arrests.",
    )
    review_warning_days: int = Field(
        default=120, ge=1, description="Days before a review date that the owning desk is warned."
    )
    review_grace_days: int = Field(
        default=180,
        ge=0,
        description="Days a subject closed for a missed review is kept before it is deleted.",
    )

    @property
    def effective_database_url(self) -> str:
        """The database URL, defaulting to SQLite under ``home``."""
        if self.database_url is not None:
            return self.database_url
        return f"sqlite:///{(self.home / 'watchlink.db').as_posix()}"

    @property
    def effective_audit_key_path(self) -> Path:
        """The audit signing key's file, defaulting to ``<home>/keys``."""
        if self.audit_key_path is not None:
            return self.audit_key_path
        return self.home / "keys" / "audit-signing.key"

    @property
    def effective_webhook_key_path(self) -> Path:
        """The webhook-secret key's file, defaulting to ``<home>/keys``."""
        if self.webhook_key_path is not None:
            return self.webhook_key_path
        return self.home / "keys" / "webhook-secrets.key"

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production":
            if self.secret_key.startswith("development-only"):
                raise ValueError("WATCHLINK_SECRET_KEY must be set in production")
            if self.database_url is None or self.database_url.startswith("sqlite"):
                raise ValueError("WATCHLINK_DATABASE_URL must name PostgreSQL in production")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
