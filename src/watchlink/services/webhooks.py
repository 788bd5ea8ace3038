"""Agencies' outgoing webhooks: register, list and remove endpoints; see and retry deliveries.

Managing an agency's endpoints is an agency administrator's act: the policy's
``manage_users`` verdict on the agency decides (the local operator at the command line
is trusted, as for users). Every act is a line of the audit trail in the same
transaction. The signing secret is made here, shown once, and stored sealed.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import Connection

from watchlink.access import Action, Actor, Resource
from watchlink.errors import AccessDenied, InputError, InputProblem, NotFound
from watchlink.model import AuditAction
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.clock import Clock, SystemClock
from watchlink.services.delivery_secrets import SecretBox, new_webhook_secret
from watchlink.store.delivery import (
    DeliveryRepository,
    DeliveryState,
    Subscription,
    WebhookDelivery,
)
from watchlink.store.tables import agencies

__all__ = ["EVENT_KINDS", "CreatedWebhook", "WebhookService"]

EVENT_KINDS = ("hit", "request", "escalation", "review_task")
"""The message kinds an endpoint may ask for; ``request`` also takes its family
(``request.message``, ``request.answer``, ``request.reminder``, ``request.attachment``)."""

MAX_URL = 2000
_ID = re.compile(r"wh_[0-9a-f]{16}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class CreatedWebhook:
    """A new endpoint and its signing secret, which is shown this once."""

    subscription: Subscription
    secret: str


class WebhookService:
    """Webhook subscriptions and their deliveries, through the policy and the audit trail."""

    def __init__(
        self,
        audit: AuditTrail,
        box: SecretBox,
        clock: Clock | None = None,
        allow_plain_http: bool = True,
    ) -> None:
        self.audit = audit
        self.box = box
        self.clock = clock or SystemClock()
        self.allow_plain_http = allow_plain_http

    def create(
        self,
        conn: Connection,
        by: Actor | None,
        agency: str,
        url: str,
        kinds: tuple[str, ...] = ("hit",),
        description: str | None = None,
    ) -> CreatedWebhook:
        """Register an endpoint of ``agency``; returns it with its new secret."""
        self.audit.claim_writer(conn)
        self._may_manage(by, agency)
        problems = self._check_url(url)
        unknown = sorted(set(kinds) - set(EVENT_KINDS))
        problems += [InputProblem(f"unknown event kind {k!r}", field="kinds") for k in unknown]
        if not kinds:
            problems.append(InputProblem("name at least one event kind", field="kinds"))
        if description is not None and (len(description) > 200 or _CONTROL.search(description)):
            problem = InputProblem(
                "at most 200 characters, no control characters", field="description"
            )
            problems.append(problem)
        known = conn.execute(agencies.select().where(agencies.c.code == agency)).first()
        if known is None:
            problems.append(InputProblem(f"unknown agency {agency!r}", field="agency"))
        if problems:
            raise InputError("the webhook cannot be registered", problems)
        subscription_id = "wh_" + secrets.token_hex(8)
        secret = new_webhook_secret()
        subscription = Subscription(
            id=subscription_id,
            agency=agency,
            url=url,
            secret_sealed=self.box.seal(secret, subscription_id),
            kinds=tuple(sorted(set(kinds))),
            description=description,
            active=True,
            created_by=self._who(by).user,
            created_at=self.clock.now(),
        )
        DeliveryRepository(conn).add_subscription(subscription)
        self._log(conn, by, AuditAction.WRITE, [f"webhook:{subscription_id}"], "webhook add")
        return CreatedWebhook(subscription, secret)

    def subscriptions(self, conn: Connection, by: Actor | None, agency: str) -> list[Subscription]:
        """The endpoints of ``agency`` that are not removed."""
        self.audit.claim_writer(conn)
        self._may_manage(by, agency)
        found = DeliveryRepository(conn).subscriptions(agency)
        ids = [f"webhook:{s.id}" for s in found]
        self._log(conn, by, AuditAction.READ, ids, f"webhook list {agency}")
        return found

    def remove(self, conn: Connection, by: Actor | None, subscription_id: str) -> None:
        """Remove an endpoint: nothing more is sent to it, pending deliveries go dead."""
        self.audit.claim_writer(conn)
        repo = DeliveryRepository(conn)
        found = repo.get_subscription(subscription_id) if _ID.fullmatch(subscription_id) else None
        if found is None or found.removed_at is not None:
            raise NotFound(f"no webhook {subscription_id!r}")
        self._may_manage(by, found.agency, missing=subscription_id)
        repo.remove_subscription(subscription_id, self.clock.now())
        self._log(conn, by, AuditAction.WRITE, [f"webhook:{subscription_id}"], "webhook remove")

    def deliveries(
        self,
        conn: Connection,
        by: Actor | None,
        agency: str,
        state: str | None = None,
        limit: int = 100,
    ) -> list[WebhookDelivery]:
        """The agency's webhook deliveries, newest first (``dead`` ones need an admin)."""
        self.audit.claim_writer(conn)
        self._may_manage(by, agency)
        if state is not None and state not in DeliveryState.ALL:
            problem = InputProblem(f"one of {', '.join(DeliveryState.ALL)}", field="state")
            raise InputError("unknown delivery state", [problem])
        found = DeliveryRepository(conn).deliveries(agency, state, limit)
        query = f"webhook deliveries {agency} state={state or 'any'}"
        self._log(conn, by, AuditAction.READ, [f"delivery:{d.id}" for d in found], query)
        return found

    def retry(self, conn: Connection, by: Actor | None, delivery_id: int) -> None:
        """Give a dead delivery a fresh round of attempts."""
        self.audit.claim_writer(conn)
        repo = DeliveryRepository(conn)
        found = repo.get_delivery(delivery_id)
        if found is None:
            raise NotFound(f"no delivery {delivery_id}")
        self._may_manage(by, found.agency, missing=str(delivery_id))
        if not repo.retry_dead(delivery_id, self.clock.now()):
            raise InputError(
                "only a dead delivery of an active webhook can be retried",
                [InputProblem(f"the delivery is {found.state}", field="state")],
            )
        self._log(conn, by, AuditAction.WRITE, [f"delivery:{delivery_id}"], "webhook retry")

    # helpers ------------------------------------------------------------------------
    def _check_url(self, url: str) -> list[InputProblem]:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises on a bad port
        except ValueError:
            return [InputProblem("not a valid address", field="url")]
        allowed = ("https", "http") if self.allow_plain_http else ("https",)
        if len(url) > MAX_URL or _CONTROL.search(url):
            return [
                InputProblem(f"at most {MAX_URL} characters, no control characters", field="url")
            ]
        if parts.scheme not in allowed or not parts.hostname:
            need = " or ".join(f"{s}://" for s in allowed)
            return [InputProblem(f"an absolute {need} address is needed", field="url")]
        if parts.username or parts.password:
            return [InputProblem("no credentials in the address: we sign", field="url")]
        return []

    def _may_manage(self, by: Actor | None, agency: str, missing: str | None = None) -> None:
        if by is None:
            return
        verdict = self.audit.policy.allowed(by, Action.MANAGE_USERS, Resource(owner_agency=agency))
        if verdict.allow:
            return
        if missing is not None and by.agency != agency:
            raise NotFound(f"no webhook or delivery {missing!r}")  # no existence oracle
        raise AccessDenied(f"managing the webhooks of {agency} is refused ({verdict.reason})")

    @staticmethod
    def _who(by: Actor | None) -> Who:
        return Who.of(by) if by is not None else Who("local-operator", "", "cli")

    def _log(
        self, conn: Connection, by: Actor | None, action: AuditAction, ids: list[str], what: str
    ) -> None:
        self.audit.record(conn, self._who(by), action, ids, what)
