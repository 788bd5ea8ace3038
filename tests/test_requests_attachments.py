"""Attachments of requests on both databases: limits, content checks, storage, parties."""

from __future__ import annotations

from pathlib import Path

import pytest

from requests_support import actor, clock, service, trail, world
from watchlink.errors import Conflict, InputError, NotFound
from watchlink.model import HandlingCode, Role
from watchlink.services.requests import RequestService
from watchlink.services.requests_attachments import (
    AttachmentService,
    AttachmentStore,
    content_matches,
)
from watchlink.settings import Settings
from watchlink.store import Database

__all__ = ["clock", "service", "trail", "world"]

TR, FR, BE = actor("TR-INT", Role.LIAISON_OFFICER), actor("FR-INT"), actor("BE-INT")
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def _attachments(service: RequestService, tmp_path: Path, **settings: object) -> AttachmentService:
    store = AttachmentStore(Settings(home=tmp_path, **settings))  # type: ignore[arg-type]
    return AttachmentService(service, store)


def _request(db: Database, svc: RequestService) -> str:
    with db.unit_of_work() as uow:
        return svc.send(uow, TR, "FR-INT", "Known to you?", "Please advise.").id


@pytest.mark.parametrize("storage", ["database", "files"])
def test_a_party_attaches_and_the_other_downloads_the_same_bytes(
    world: Database, service: RequestService, tmp_path: Path, storage: str
) -> None:
    files = _attachments(service, tmp_path, attachment_storage=storage)
    request_id = _request(world, service)
    with world.unit_of_work() as uow:
        record = files.attach(
            uow, TR, request_id, "../../travel record.pdf", "application/pdf", PDF
        )
    assert record.filename == "travel record.pdf" and record.size == len(PDF)
    assert (record.path is None) == (storage == "database")
    with world.unit_of_work() as uow:
        got, data = files.download(uow, FR, record.id)
        view = service.get(uow, FR, request_id)
    assert data == PDF and got.content_type == "application/pdf"
    assert [a.id for a in view.attachments] == [record.id]
    if storage == "files":
        assert (tmp_path / "attachments" / str(record.path)).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content_type", "data", "field"),
    [
        ("a.exe", "application/x-msdownload", b"MZ\x90\x00", "content_type"),
        ("fake.pdf", "application/pdf", b"MZ\x90\x00 not a pdf", "content_type"),
        ("fake.png", "image/png", PDF, "content_type"),
        ("bad.txt", "text/plain", b"\xff\xfe\x00binary", "content_type"),
        ("empty.txt", "text/plain", b"", "file"),
        ("big.txt", "text/plain", b"x" * 101, "file"),
    ],
)
def test_files_too_large_of_a_refused_type_or_lying_about_it_are_refused(
    world: Database,
    service: RequestService,
    tmp_path: Path,
    name: str,
    content_type: str,
    data: bytes,
    field: str,
) -> None:
    files = _attachments(service, tmp_path, attachment_max_bytes=100)
    request_id = _request(world, service)
    with world.unit_of_work() as uow, pytest.raises(InputError) as raised:
        files.attach(uow, TR, request_id, name, content_type, data)
    assert raised.value.problems[0].field == field
    assert raised.value.problems[0].source == name
    with world.unit_of_work() as uow:
        assert service.get(uow, FR, request_id).attachments == []


def test_an_agency_not_party_neither_attaches_nor_downloads(
    world: Database, service: RequestService, tmp_path: Path
) -> None:
    files = _attachments(service, tmp_path)
    request_id = _request(world, service)
    with world.unit_of_work() as uow:
        record = files.attach(uow, TR, request_id, "note.txt", "text/plain", b"names attached")
    with world.unit_of_work() as uow, pytest.raises(NotFound):
        files.attach(uow, BE, request_id, "x.txt", "text/plain", b"hello")
    with world.unit_of_work() as uow, pytest.raises(NotFound, match="no attachment"):
        files.download(uow, BE, record.id)


def test_an_h3_attachment_stays_with_its_author(
    world: Database, service: RequestService, tmp_path: Path
) -> None:
    files = _attachments(service, tmp_path)
    request_id = _request(world, service)
    with world.unit_of_work() as uow:
        note = files.attach(
            uow, FR, request_id, "internal.txt", "text/plain", b"ours", HandlingCode.H3
        )
    with world.unit_of_work() as uow:
        assert files.download(uow, FR, note.id)[1] == b"ours"
        assert service.get(uow, TR, request_id).attachments == []
    with world.unit_of_work() as uow, pytest.raises(NotFound):
        files.download(uow, TR, note.id)


def test_a_closed_request_takes_no_more_files(
    world: Database, service: RequestService, tmp_path: Path
) -> None:
    files = _attachments(service, tmp_path)
    request_id = _request(world, service)
    with world.unit_of_work() as uow:
        service.withdraw(uow, TR, request_id)
    with world.unit_of_work() as uow, pytest.raises(Conflict):
        files.attach(uow, TR, request_id, "late.pdf", "application/pdf", PDF)


@pytest.mark.parametrize(
    ("content_type", "data", "expected"),
    [
        ("application/pdf", PDF, True),
        ("image/jpeg", b"\xff\xd8\xff\xe0rest", True),
        ("image/jpeg", b"GIF89a", False),
        ("text/csv", b"name;born\nKarim;1987\n", True),
        ("text/csv", b"a\x00b", False),
    ],
)
def test_content_is_checked_on_the_bytes(content_type: str, data: bytes, expected: bool) -> None:
    assert content_matches(content_type, data) is expected
