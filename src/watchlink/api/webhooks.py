"""``/webhooks``: an agency administrator's outgoing webhooks and their deliveries.

Each route acts for the caller's own agency, through ``services.webhooks`` (policy and
audit trail). The signing secret is in the creation's answer only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from watchlink.api.auth import AccessDep, ActorDep
from watchlink.services.delivery_secrets import SecretBox
from watchlink.services.webhooks import WebhookService
from watchlink.settings import Settings
from watchlink.store.delivery import Subscription, WebhookDelivery

__all__ = ["DeliveryOut", "WebhookCreated", "WebhookIn", "WebhookOut", "get_webhooks", "router"]

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

EventKind = Literal["hit", "request", "escalation", "review_task"]


def get_webhooks(request: Request, access: AccessDep) -> WebhookService:
    """The app's webhook service, built once on first use."""
    service = getattr(request.app.state, "webhooks", None)
    if service is None:
        settings = request.app.state.settings
        assert isinstance(settings, Settings)
        box = SecretBox.load_or_create(settings.effective_webhook_key_path)
        production = settings.environment == "production"
        service = WebhookService(access.trail, box, allow_plain_http=not production)
        request.app.state.webhooks = service
    assert isinstance(service, WebhookService)
    return service


WebhooksDep = Annotated[WebhookService, Depends(get_webhooks)]


class WebhookIn(BaseModel):
    """A receiver to register for the caller's agency."""

    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=2000, description="https:// address (production).")
    kinds: list[EventKind] = Field(
        default=["hit"], min_length=1, max_length=4, description="``request`` takes its family."
    )
    description: str | None = Field(default=None, max_length=200)


class WebhookOut(BaseModel):
    """A registered receiver (its secret is never shown again)."""

    id: str
    agency: str
    url: str
    kinds: list[str]
    description: str | None
    active: bool
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, s: Subscription) -> WebhookOut:
        """The wire form of a subscription."""
        return cls(
            id=s.id, agency=s.agency, url=s.url, kinds=list(s.kinds), description=s.description,
            active=s.active, created_by=s.created_by, created_at=s.created_at,
        )  # fmt: skip


class WebhookCreated(WebhookOut):
    """A new receiver with its signing secret, shown this once."""

    secret: str


class DeliveryOut(BaseModel):
    """One message on its way to one receiver."""

    id: int
    message_id: int
    webhook_id: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_status: int | None
    last_error: str | None

    @classmethod
    def of(cls, d: WebhookDelivery) -> DeliveryOut:
        """The wire form of a delivery."""
        return cls(
            id=d.id, message_id=d.outbox_id, webhook_id=d.subscription_id, state=d.state,
            attempts=d.attempts, next_attempt_at=d.next_attempt_at, delivered_at=d.delivered_at,
            last_status=d.last_status, last_error=d.last_error,
        )  # fmt: skip


@router.post("", response_model=WebhookCreated, status_code=201)
def create_webhook(
    body: WebhookIn, actor: ActorDep, access: AccessDep, webhooks: WebhooksDep
) -> WebhookCreated:
    """Register a receiver for the caller's agency (agency administrators)."""
    with access.engine.begin() as conn:
        created = webhooks.create(
            conn, actor, actor.agency, body.url, tuple(body.kinds), body.description
        )
    out = WebhookOut.of(created.subscription)
    return WebhookCreated(**out.model_dump(), secret=created.secret)


@router.get("", response_model=list[WebhookOut])
def list_webhooks(actor: ActorDep, access: AccessDep, webhooks: WebhooksDep) -> list[WebhookOut]:
    """The caller's agency's receivers."""
    with access.engine.begin() as conn:
        found = webhooks.subscriptions(conn, actor, actor.agency)
    return [WebhookOut.of(s) for s in found]


@router.get("/deliveries", response_model=list[DeliveryOut])
def list_deliveries(
    actor: ActorDep,
    access: AccessDep,
    webhooks: WebhooksDep,
    state: Literal["pending", "delivered", "dead"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[DeliveryOut]:
    """The caller's agency's deliveries, newest first; ``state=dead`` lists the given up."""
    with access.engine.begin() as conn:
        found = webhooks.deliveries(conn, actor, actor.agency, state, limit)
    return [DeliveryOut.of(d) for d in found]


@router.post("/deliveries/{delivery_id}/retry", status_code=204)
def retry_delivery(
    delivery_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    actor: ActorDep,
    access: AccessDep,
    webhooks: WebhooksDep,
) -> None:
    """Give a dead delivery a fresh round of attempts."""
    with access.engine.begin() as conn:
        webhooks.retry(conn, actor, delivery_id)


@router.delete("/{webhook_id}", status_code=204)
def delete_webhook(
    webhook_id: Annotated[str, Path(max_length=64)],
    actor: ActorDep,
    access: AccessDep,
    webhooks: WebhooksDep,
) -> None:
    """Remove a receiver: nothing more is sent to it."""
    with access.engine.begin() as conn:
        webhooks.remove(conn, actor, webhook_id)
