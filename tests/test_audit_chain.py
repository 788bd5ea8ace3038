"""The hash chain and its signatures, apart from the database: each kind of tampering fails."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from watchlink.services.audit_chain import (
    GENESIS,
    ChainLine,
    SigningKey,
    content_digest,
    line_hash,
    verify_chain,
)


@pytest.fixture
def key(tmp_path: Path) -> SigningKey:
    return SigningKey.load_or_create(tmp_path / "keys" / "audit.key")


def build(count: int) -> list[ChainLine]:
    lines: list[ChainLine] = []
    prev = GENESIS
    for seq in range(1, count + 1):
        at = datetime(2026, 1, 1, 12, 0, seq, tzinfo=UTC)
        digest = content_digest(
            seq, at, "alice", "FR-INT", "analyst", "read", [f"S-{seq}"], None, None
        )
        current = line_hash(prev, digest)
        lines.append(ChainLine(seq, prev, digest, current, digest))
        prev = current
    return lines


def test_an_intact_chain_verifies(key: SigningKey) -> None:
    lines = build(5)
    head = (5, lines[-1].hash, key.sign(5, lines[-1].hash))
    assert verify_chain(lines, [(3, lines[2].hash, key.sign(3, lines[2].hash))], head, key) is None


def test_a_purged_line_still_verifies(key: SigningKey) -> None:
    lines = build(4)
    lines[1] = dataclasses.replace(lines[1], recomputed=None)
    head = (4, lines[-1].hash, key.sign(4, lines[-1].hash))
    assert verify_chain(lines, [], head, key) is None


def test_the_key_file_is_private_and_reloads(tmp_path: Path) -> None:
    path = tmp_path / "k" / "audit.key"
    first = SigningKey.load_or_create(path)
    assert path.stat().st_mode & 0o077 == 0
    again = SigningKey.load_or_create(path)
    assert again.verifies(1, "ab", first.sign(1, "ab"))


def _altered(lines: list[ChainLine]) -> list[ChainLine]:
    lines[2] = dataclasses.replace(lines[2], recomputed="f" * 64)
    return lines


def _deleted(lines: list[ChainLine]) -> list[ChainLine]:
    del lines[2]
    return lines


def _reordered(lines: list[ChainLine]) -> list[ChainLine]:
    lines[2], lines[3] = (
        dataclasses.replace(lines[3], seq=3),
        dataclasses.replace(lines[2], seq=4),
    )
    return lines


def _rewritten(lines: list[ChainLine]) -> list[ChainLine]:
    """Content changed on line 3 and every hash after it recomputed, without the key."""
    out = lines[:2]
    prev = lines[1].hash
    for line in lines[2:]:
        digest = "e" * 64 if line.seq == 3 else line.digest
        current = line_hash(prev, digest)
        out.append(ChainLine(line.seq, prev, digest, current, digest))
        prev = current
    return out


@pytest.mark.parametrize(
    ("tamper", "bad_seq"),
    [(_altered, 3), (_deleted, 3), (_reordered, 3), (_rewritten, 4)],
)
def test_tampering_names_the_first_bad_line(key: SigningKey, tamper: object, bad_seq: int) -> None:
    lines = build(6)
    checkpoint = (4, lines[3].hash, key.sign(4, lines[3].hash))
    head = (6, lines[-1].hash, key.sign(6, lines[-1].hash))
    assert callable(tamper)
    problem = verify_chain(tamper(list(lines)), [checkpoint], head, key)
    assert problem is not None
    assert problem.seq == bad_seq


def test_truncation_and_appended_lines_fail(key: SigningKey) -> None:
    lines = build(6)
    head = (5, lines[4].hash, key.sign(5, lines[4].hash))
    problem = verify_chain(lines[:4], [], head, key)
    assert problem is not None and problem.seq == 5
    problem = verify_chain(lines, [], head, key)  # line 6 is beyond the signed head
    assert problem is not None and problem.seq == 6


def test_a_forged_signature_fails(key: SigningKey, tmp_path: Path) -> None:
    other = SigningKey.load_or_create(tmp_path / "other.key")
    lines = build(3)
    head = (3, lines[-1].hash, other.sign(3, lines[-1].hash))
    problem = verify_chain(lines, [], head, key)
    assert problem is not None and "signed" in problem.reason
