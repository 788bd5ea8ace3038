"""Users, logins, console sessions and API tokens, each act on the audit trail.

Times come from the database clock (``database_now``): a lockout or a session's
timeout cannot be dodged by a host with a wrong clock. The actor is resolved afresh on
every request from the user, its agency and the agency's partner groups, so a change
(a disabled user, an agency leaving a group) applies to the very next request. A token
is checked and its actor resolved in one indexed query (nothing is cached, so a revoked
token fails at once); its ``last_used_at`` is coarse (``LAST_USE_STEP``), so a request
writes nothing unless the mark is that old.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Row,
    Select,
    bindparam,
    insert,
    or_,
    select,
    update,
)

from watchlink.access import Action, Actor, Permission, Resource
from watchlink.errors import AccessDenied, Conflict, InputError, InputProblem, Unauthenticated
from watchlink.model import AuditAction, Role
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.auth_secrets import (
    Passwords,
    hash_secret,
    new_secret,
    new_token,
    split_token,
)
from watchlink.store.dialect import single_read
from watchlink.store.tables_access import (
    api_tokens,
    clock_column,
    clock_value,
    database_now,
    sessions,
    user_roles,
    users,
)

__all__ = [
    "LAST_USE_STEP",
    "AuthRules",
    "AuthService",
    "Directory",
    "IssuedToken",
    "TableDirectory",
]

MIN_PASSWORD = 10
LAST_USE_STEP = timedelta(minutes=1)  # a token's last use is kept to this precision


class Directory(Protocol):
    """Where agencies' countries and partner groups are read (the store's tables)."""

    def country_of(self, conn: Connection, agency: str) -> str | None:
        """The agency's country, or None when the agency is unknown."""

    def groups_of(self, conn: Connection, agency: str) -> frozenset[str]:
        """The partner groups the agency belongs to now."""


@dataclass(frozen=True, slots=True)
class TableDirectory:
    """A directory over any agencies table and group-membership table (given by columns)."""

    agency_code: ColumnElement[str]
    agency_country: ColumnElement[str]
    member_group: ColumnElement[str]
    member_agency: ColumnElement[str]
    _token_queries: dict[str, Select[Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )  # ``token_rows``' query by dialect: one directory serves a whole app

    def country_of(self, conn: Connection, agency: str) -> str | None:
        """The agency's country, or None when the agency is unknown."""
        found = conn.execute(select(self.agency_country).where(self.agency_code == agency))
        value = found.scalar_one_or_none()
        return None if value is None else str(value)

    def groups_of(self, conn: Connection, agency: str) -> frozenset[str]:
        """The partner groups the agency belongs to now."""
        found = conn.execute(select(self.member_group).where(self.member_agency == agency))
        return frozenset(str(g) for g in found.scalars())

    def token_rows(self, conn: Connection, token_id: str) -> list[Row[Any]]:
        """A token with its user, the user's roles, agency country and partner groups,
        and the database's clock: one row per (role, group), by primary keys and indexes;
        no row when the token is unknown."""
        query = self._token_query(conn.dialect.name)
        return list(conn.execute(query, {"token_id": token_id}))

    def _token_query(self, dialect: str) -> Select[Any]:
        """``token_rows``' query, built once per directory's columns and dialect: building
        it (four joins) took more of a request's CPU than running it."""
        kept = self._token_queries.get(dialect)
        if kept is not None:
            return kept
        query = (
            select(
                api_tokens.c.token_hash,
                api_tokens.c.scopes,
                api_tokens.c.expires_at,
                api_tokens.c.revoked_at,
                api_tokens.c.last_used_at,
                api_tokens.c.username,
                users.c.agency,
                users.c.active,
                self.agency_country.label("country"),
                user_roles.c.role,
                self.member_group.label("group_code"),
                clock_column(dialect).label("now"),
            )
            .select_from(api_tokens)
            .outerjoin(users, users.c.username == api_tokens.c.username)
            .outerjoin(user_roles, user_roles.c.username == users.c.username)
            .outerjoin(self.agency_code.table, self.agency_code == users.c.agency)
            .outerjoin(self.member_group.table, self.member_agency == users.c.agency)
            .where(api_tokens.c.id == bindparam("token_id"))
        )
        self._token_queries[dialect] = query
        return query


@dataclass(frozen=True, slots=True)
class AuthRules:
    """Lockout and lifetime limits."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)
    session_idle: timedelta = timedelta(minutes=30)
    session_absolute: timedelta = timedelta(hours=12)
    token_max: timedelta = timedelta(days=365)
    argon2_time_cost: int | None = None  # None: the argon2 library's current defaults
    argon2_memory_kib: int | None = None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token as shown once to its owner."""

    token: str
    id: str
    expires_at: datetime


class AuthService:
    """Authentication and user management, audited in the same transaction."""

    def __init__(
        self, audit: AuditTrail, directory: Directory, rules: AuthRules | None = None
    ) -> None:
        self.policy = audit.policy
        self.audit = audit
        self.directory = directory
        self.rules = rules or AuthRules()
        self.passwords = Passwords(self.rules.argon2_time_cost, self.rules.argon2_memory_kib)

    # users -----------------------------------------------------------------
    def add_user(
        self,
        conn: Connection,
        by: Actor | None,
        username: str,
        agency: str,
        roles: Iterable[str],
        password: str,
        display_name: str | None = None,
    ) -> None:
        """Create a user; ``by`` None is the local operator (CLI), trusted by the machine."""
        self.audit.claim_writer(conn)
        problems: list[InputProblem] = []
        parsed: set[Role] = set()
        for name in roles:
            try:
                parsed.add(Role(name))
            except ValueError:
                problems.append(InputProblem(f"unknown role {name!r}", field="roles"))
        if not parsed and not problems:
            problems.append(InputProblem("a user needs at least one role", field="roles"))
        if len(password) < MIN_PASSWORD:
            problems.append(
                InputProblem(f"at least {MIN_PASSWORD} characters needed", field="password")
            )
        if not username or len(username) > 64:
            problems.append(InputProblem("1 to 64 characters needed", field="username"))
        if self.directory.country_of(conn, agency) is None:
            problems.append(InputProblem(f"unknown agency {agency!r}", field="agency"))
        if problems:
            raise InputError("the user cannot be created", problems)
        self._may_manage(by, agency)
        taken = conn.execute(select(users.c.username).where(users.c.username == username))
        if taken.first() is not None:
            raise Conflict(f"user {username!r} exists")
        now = database_now(conn)
        conn.execute(
            insert(users).values(
                username=username,
                agency=agency,
                display_name=display_name,
                password_hash=self.passwords.hash(password),
                active=True,
                failed_logins=0,
                created_at=now,
            )
        )
        for role in sorted(parsed):
            conn.execute(insert(user_roles).values(username=username, role=role.value))
        self._log(conn, by, AuditAction.WRITE, [f"user:{username}"], "user add")

    def disable_user(self, conn: Connection, by: Actor | None, username: str) -> None:
        """Disable a user: its sessions and tokens stop working at once."""
        self.audit.claim_writer(conn)
        agency = conn.execute(
            select(users.c.agency).where(users.c.username == username)
        ).scalar_one_or_none()
        if agency is None:
            raise InputError("no such user", [InputProblem(username, field="username")])
        self._may_manage(by, agency)
        conn.execute(update(users).where(users.c.username == username).values(active=False))
        self._log(conn, by, AuditAction.WRITE, [f"user:{username}"], "user disable")

    # logins and sessions --------------------------------------------------
    def login(self, engine: Engine, username: str, password: str) -> Actor:
        """Check a password; failures are counted and logged even though they raise."""
        with engine.begin() as conn:
            self.audit.claim_writer(conn)
            actor, outcome = self._login(conn, username, password)
            who = Who.of(actor) if actor is not None else Who(username, "", "")
            self.audit.record(conn, who, AuditAction.LOGIN, [], f"login outcome={outcome}")
        if actor is None:
            raise Unauthenticated("wrong username or password, or the account is locked")
        return actor

    def _login(self, conn: Connection, username: str, password: str) -> tuple[Actor | None, str]:
        if "\x00" in username or "\x00" in password:  # no stored name or hash has one
            self.passwords.verify(None, password.replace("\x00", ""))  # same work as a check
            return None, "unknown_user"
        row = conn.execute(select(users).where(users.c.username == username)).first()
        if row is None:
            self.passwords.verify(None, password)  # same work as a real check
            return None, "unknown_user"
        now = database_now(conn)
        if row.locked_until is not None and row.locked_until > now:
            return None, "locked"
        if not row.active:
            return None, "disabled"
        if not self.passwords.verify(row.password_hash, password):
            failures = int(row.failed_logins or 0) + 1
            values: dict[str, object] = {"failed_logins": failures}
            if failures >= self.rules.max_failures:
                values = {"failed_logins": 0, "locked_until": now + self.rules.lockout}
            conn.execute(update(users).where(users.c.username == username).values(**values))
            return None, "locked_now" if "locked_until" in values else "bad_password"
        conn.execute(
            update(users)
            .where(users.c.username == username)
            .values(failed_logins=0, locked_until=None)
        )
        return self.resolve(conn, username), "success"

    def start_session(self, conn: Connection, actor: Actor) -> str:
        """A new console session; returns the id for the cookie (stored hashed)."""
        self.audit.claim_writer(conn)
        raw = new_secret()
        now = database_now(conn)
        conn.execute(
            insert(sessions).values(
                id_hash=hash_secret(raw), username=actor.user, created_at=now, last_seen_at=now
            )
        )
        return raw

    def session_actor(self, conn: Connection, raw: str) -> Actor:
        """The actor of a live session, sliding its idle timeout; refuses an expired one."""
        self.audit.claim_writer(conn)
        key = hash_secret(raw)
        row = conn.execute(select(sessions).where(sessions.c.id_hash == key)).first()
        now = database_now(conn)
        if (
            row is None
            or row.ended_at is not None
            or now - row.last_seen_at > self.rules.session_idle
            or now - row.created_at > self.rules.session_absolute
        ):
            raise Unauthenticated("the session has ended; log in again")
        conn.execute(update(sessions).where(sessions.c.id_hash == key).values(last_seen_at=now))
        return self.resolve(conn, row.username)

    def end_session(self, conn: Connection, raw: str) -> None:
        """Log out."""
        self.audit.claim_writer(conn)
        now = database_now(conn)
        conn.execute(
            update(sessions).where(sessions.c.id_hash == hash_secret(raw)).values(ended_at=now)
        )

    # tokens ---------------------------------------------------------------
    def issue_token(
        self,
        conn: Connection,
        by: Actor | None,
        username: str,
        scopes: Iterable[str],
        valid_for: timedelta = timedelta(days=90),
        label: str | None = None,
    ) -> IssuedToken:
        """A scoped, expiring token for a border or partner system."""
        self.audit.claim_writer(conn)
        scope_set = set(scopes)
        unknown = sorted(s for s in scope_set if s not in {p.value for p in Permission})
        problems = [InputProblem(f"unknown scope {s!r}", field="scopes") for s in unknown]
        if not scope_set:
            problems.append(InputProblem("name at least one scope", field="scopes"))
        if valid_for <= timedelta(0) or valid_for > self.rules.token_max:
            problems.append(InputProblem("a token lives 1 second to 365 days", field="expires"))
        if problems:
            raise InputError("the token cannot be issued", problems)
        agency = conn.execute(
            select(users.c.agency).where(users.c.username == username, users.c.active)
        ).scalar_one_or_none()
        if agency is None:
            raise InputError("no such active user", [InputProblem(username, field="username")])
        if by is None or by.user != username:
            self._may_manage(by, agency)
        token, token_id, digest = new_token()
        now = database_now(conn)
        expires = now + valid_for
        conn.execute(
            insert(api_tokens).values(
                id=token_id,
                username=username,
                token_hash=digest,
                scopes=" ".join(sorted(scope_set)),
                label=label,
                created_at=now,
                expires_at=expires,
            )
        )
        self._log(conn, by, AuditAction.WRITE, [f"token:{token_id}"], f"token issue {username}")
        return IssuedToken(token, token_id, expires)

    def revoke_token(self, conn: Connection, by: Actor | None, token_id: str) -> None:
        """Revoke a token at once."""
        self.audit.claim_writer(conn)
        row = conn.execute(
            select(users.c.agency, users.c.username)
            .join(api_tokens, api_tokens.c.username == users.c.username)
            .where(api_tokens.c.id == token_id)
        ).first()
        if row is None:
            raise InputError("no such token", [InputProblem(token_id, field="token")])
        if by is None or by.user != row.username:
            self._may_manage(by, row.agency)
        now = database_now(conn)
        conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=now))
        self._log(conn, by, AuditAction.WRITE, [f"token:{token_id}"], "token revoke")

    def actor_of_token(self, engine: Engine, token: str) -> Actor:
        """:meth:`token_actor` on a connection of its own: over a ``TableDirectory`` its one
        query needs no transaction around it (:func:`single_read`)."""
        if isinstance(self.directory, TableDirectory):
            with single_read(engine) as conn:
                return self.token_actor(conn, token)
        with engine.begin() as conn:
            return self.token_actor(conn, token)

    def token_actor(self, conn: Connection, token: str) -> Actor:
        """The actor of a presented token, its scopes narrowing its roles.

        Over a ``TableDirectory`` one query checks the token and resolves its actor; the
        last use is written (in its own short transaction) only when over
        ``LAST_USE_STEP`` old, so a request in the same minute writes nothing.
        """
        parts = split_token(token)
        if parts is None:
            raise Unauthenticated("invalid token")
        token_id, secret = parts
        if not isinstance(self.directory, TableDirectory):
            return self._token_actor_by_steps(conn, token_id, secret)
        rows = self.directory.token_rows(conn, token_id)
        first = rows[0] if rows else None
        now = None if first is None else clock_value(first.now)
        if (
            first is None
            or now is None
            or not hmac.compare_digest(first.token_hash, hash_secret(secret))
            or first.revoked_at is not None
            or first.expires_at <= now
        ):
            raise Unauthenticated("invalid, expired or revoked token")
        if first.agency is None or not first.active:
            raise Unauthenticated("the account is not active")
        if first.country is None:
            raise Unauthenticated("the account's agency is not known")
        known = {x.value for x in Role}
        roles = frozenset(Role(r.role) for r in rows if r.role in known)
        groups = frozenset(str(r.group_code) for r in rows if r.group_code is not None)
        if first.last_used_at is None or now - first.last_used_at >= LAST_USE_STEP:
            self._mark_used(conn.engine, token_id, now)
        scopes = frozenset(first.scopes.split())
        return Actor(first.username, first.agency, str(first.country), roles, groups, scopes)

    @staticmethod
    def _mark_used(engine: Engine, token_id: str, now: datetime) -> None:
        """Record a token's use, apart from the caller's (read-only) transaction: an
        update first thing takes SQLite's write lock without a read before it."""
        stale = now - LAST_USE_STEP
        with engine.begin() as conn:
            conn.execute(
                update(api_tokens)
                .where(
                    api_tokens.c.id == token_id,
                    or_(api_tokens.c.last_used_at.is_(None), api_tokens.c.last_used_at <= stale),
                )
                .values(last_used_at=now)
            )

    def _token_actor_by_steps(self, conn: Connection, token_id: str, secret: str) -> Actor:
        """``token_actor`` over any ``Directory``: the token, then ``resolve``."""
        self.audit.claim_writer(conn)
        row = conn.execute(select(api_tokens).where(api_tokens.c.id == token_id)).first()
        now = database_now(conn)
        if (
            row is None
            or not hmac.compare_digest(row.token_hash, hash_secret(secret))
            or row.revoked_at is not None
            or row.expires_at <= now
        ):
            raise Unauthenticated("invalid, expired or revoked token")
        conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=now))
        return self.resolve(conn, row.username, frozenset(row.scopes.split()))

    # resolution -------------------------------------------------------------
    def resolve(
        self, conn: Connection, username: str, scopes: frozenset[str] | None = None
    ) -> Actor:
        """The actor as the database says now: active user, roles, country, groups."""
        row = conn.execute(
            select(users.c.agency, users.c.active).where(users.c.username == username)
        ).first()
        if row is None or not row.active:
            raise Unauthenticated("the account is not active")
        country = self.directory.country_of(conn, row.agency)
        if country is None:
            raise Unauthenticated("the account's agency is not known")
        roles = conn.execute(select(user_roles.c.role).where(user_roles.c.username == username))
        known = frozenset(Role(r) for r in roles.scalars() if r in {x.value for x in Role})
        groups = self.directory.groups_of(conn, row.agency)
        return Actor(username, row.agency, country, known, groups, scopes)

    def _may_manage(self, by: Actor | None, agency: str) -> None:
        if by is None:
            return
        verdict = self.policy.allowed(by, Action.MANAGE_USERS, Resource(owner_agency=agency))
        if not verdict.allow:
            raise AccessDenied(f"managing users of {agency} is refused ({verdict.reason})")

    def _log(
        self, conn: Connection, by: Actor | None, action: AuditAction, ids: list[str], what: str
    ) -> None:
        who = Who.of(by) if by is not None else Who("local-operator", "", "cli")
        self.audit.record(conn, who, action, ids, what)
