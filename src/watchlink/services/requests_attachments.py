"""Attachments of requests: size limit, content type checked on the bytes, stored safely.

A file is refused when it is larger than ``attachment_max_bytes``, when its declared
type is not in ``attachment_content_types``, or when its first bytes contradict the
declared type (a PDF starts with ``%PDF-``, a PNG with its signature, text is UTF-8
without NUL). The bytes live in the database or, with ``attachment_storage=files``,
under ``<home>/attachments`` named by their SHA-256, which is checked on every read.
Only the two parties reach an attachment; an H3 one stays with its author agency.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import uuid
from pathlib import Path

from watchlink.access import Actor
from watchlink.errors import Conflict, InputError, InputProblem, NotFound
from watchlink.model import AuditAction, HandlingCode, RequestState
from watchlink.services.audit import Who
from watchlink.services.requests import RequestService
from watchlink.services.requests_views import visible_to
from watchlink.settings import Settings
from watchlink.store import UnitOfWork
from watchlink.store.requests_store import AttachmentRecord, RequestCaseRepository

__all__ = ["AttachmentService", "AttachmentStore", "content_matches"]

_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/zip": (b"PK\x03\x04",),
}
_TEXT = frozenset({"text/plain", "text/csv"})
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
NOT_FOUND = "no attachment with this id"


def content_matches(content_type: str, data: bytes) -> bool:
    """Whether the bytes are what the declared type says (types without a rule: True)."""
    if content_type in _TEXT:
        try:
            return "\x00" not in data.decode("utf-8")
        except UnicodeDecodeError:
            return False
    signatures = _SIGNATURES.get(content_type)
    return signatures is None or data.startswith(signatures)


def _filename(name: str) -> str:
    base = _UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    return base[:255] or "attachment"


class AttachmentStore:
    """Checks files against the settings and keeps their bytes (database or files)."""

    def __init__(self, settings: Settings) -> None:
        self.max_bytes = settings.attachment_max_bytes
        self.content_types = frozenset(t.lower() for t in settings.attachment_content_types)
        self.in_files = settings.attachment_storage == "files"
        self.folder = settings.home / "attachments"

    def check(self, filename: str, content_type: str, data: bytes) -> tuple[str, str]:
        """The cleaned file name and content type, or ``InputError`` saying what is wrong."""
        kind = content_type.split(";", 1)[0].strip().lower()
        problems: list[InputProblem] = []
        if not data:
            problems.append(InputProblem("the file is empty", filename, field="file"))
        if len(data) > self.max_bytes:
            reason = f"{len(data)} bytes; at most {self.max_bytes} are accepted"
            problems.append(InputProblem(reason, filename, field="file"))
        if kind not in self.content_types:
            allowed = ", ".join(sorted(self.content_types))
            reason = f"content type {kind!r} is not accepted ({allowed})"
            problems.append(InputProblem(reason, filename, field="content_type"))
        elif data and not content_matches(kind, data):
            reason = f"the bytes are not {kind}"
            problems.append(InputProblem(reason, filename, field="content_type"))
        if problems:
            raise InputError("the attachment is refused", problems)
        return _filename(filename), kind

    def put(self, sha256: str, data: bytes) -> tuple[bytes | None, str | None]:
        """Keep the bytes: (bytes for the row, None) or (None, path under home)."""
        if not self.in_files:
            return data, None
        relative = f"{sha256[:2]}/{sha256}"
        target = self.folder / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        return None, relative

    def read(self, record: AttachmentRecord, data: bytes | None) -> bytes:
        """The bytes, checked against the stored SHA-256."""
        if data is None:
            if record.path is None:
                raise NotFound(NOT_FOUND)
            path = (self.folder / record.path).resolve()
            if self.folder.resolve() not in path.parents or not path.is_file():
                raise NotFound(NOT_FOUND)
            data = Path(path).read_bytes()
        if hashlib.sha256(data).hexdigest() != record.sha256:
            raise Conflict("the attachment's bytes do not match their checksum")
        return data


class AttachmentService:
    """Attaching files to a request and reading them back, for its two parties."""

    def __init__(self, requests: RequestService, store: AttachmentStore) -> None:
        self.requests = requests
        self.store = store

    def attach(
        self,
        uow: UnitOfWork,
        actor: Actor,
        request_id: str,
        filename: str,
        content_type: str,
        data: bytes,
        handling: HandlingCode = HandlingCode.H1,
    ) -> AttachmentRecord:
        """Attach a file to an open or answered request."""
        audit = self.requests.audit
        audit.claim_writer(uow.connection)
        request = self.requests.party(uow, actor, request_id)
        if request.state in (RequestState.CLOSED, RequestState.WITHDRAWN):
            raise Conflict(f"the request is {request.state.value}; nothing more can be attached")
        name, kind = self.store.check(filename, content_type, data)
        digest = hashlib.sha256(data).hexdigest()
        kept, path = self.store.put(digest, data)
        now = self.requests.now()
        record = AttachmentRecord(
            f"att-{uuid.uuid4().hex}", request_id, name, kind, len(data), digest,
            handling.value, actor.agency, actor.user, now, path,
        )  # fmt: skip
        RequestCaseRepository(uow.connection).add_attachment(record, kept)
        if handling is not HandlingCode.H3:
            other = request.from_agency if actor.agency == request.to_agency else request.to_agency
            payload = {"request_id": request_id, "attachment_id": record.id, "filename": name}
            uow.outbox.add("request.attachment", other, request_id, payload, now)
        query = f"attach {record.id} ({kind}, {len(data)} bytes)"
        audit.record(uow.connection, Who.of(actor), AuditAction.WRITE, [request_id], query)
        return record

    def download(
        self, uow: UnitOfWork, actor: Actor, attachment_id: str
    ) -> tuple[AttachmentRecord, bytes]:
        """An attachment and its bytes, for a party that may see it."""
        audit = self.requests.audit
        audit.claim_writer(uow.connection)
        found = None
        if 0 < len(attachment_id) <= 200 and "\x00" not in attachment_id:
            found = RequestCaseRepository(uow.connection).attachment(attachment_id)
        if found is None:
            raise NotFound(NOT_FOUND)
        record, data = found
        try:
            self.requests.party(uow, actor, record.request_id)
        except NotFound:
            raise NotFound(NOT_FOUND) from None
        if not visible_to(record.handling, record.by_agency, actor.agency):
            raise NotFound(NOT_FOUND)
        content = self.store.read(record, data)
        query = f"download {record.id}"
        audit.record(uow.connection, Who.of(actor), AuditAction.READ, [record.request_id], query)
        return record, content
