"""The audit trail's hash chain and signatures, apart from any database.

Each line has a *content digest* (SHA-256 of its canonical JSON) and a *hash* that
covers the previous line's hash and its own digest. Purging a line's content keeps
both, so the chain still verifies. The chain head (sequence number, hash) is signed
with an Ed25519 key kept outside the database, as is each periodic checkpoint: a
chain rewritten without the key, or cut short, no longer matches a signature.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = [
    "GENESIS",
    "ChainLine",
    "Problem",
    "SigningKey",
    "canonical_at",
    "checkpoint_message",
    "content_digest",
    "line_hash",
    "verify_chain",
]

GENESIS = "0" * 64  # the "previous hash" of the first line


def canonical_at(at: datetime) -> str:
    """A timestamp as the chain hashes it: UTC, microseconds, no zone suffix drift."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def content_digest(
    seq: int,
    at: datetime,
    actor: str,
    agency: str,
    role: str,
    action: str,
    records: Sequence[str],
    query: str | None,
    purpose: str | None,
) -> str:
    """SHA-256 of a line's canonical content (the sequence number included)."""
    body = {
        "seq": seq,
        "at": canonical_at(at),
        "actor": actor,
        "agency": agency,
        "role": role,
        "action": action,
        "records": list(records),
        "query": query,
        "purpose": purpose,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def line_hash(prev_hash: str, digest: str) -> str:
    """The chained hash: covers the previous line's hash and this line's digest."""
    return hashlib.sha256(f"{prev_hash}:{digest}".encode("ascii")).hexdigest()


def checkpoint_message(seq: int, head: str) -> bytes:
    """What a checkpoint signature covers."""
    return f"watchlink-audit:{seq}:{head}".encode("ascii")


class SigningKey:
    """The Ed25519 key signing checkpoints, kept in a file outside the database."""

    def __init__(self, private: Ed25519PrivateKey | None, public: Ed25519PublicKey) -> None:
        self._private = private
        self.public = public

    @classmethod
    def load_or_create(cls, path: Path) -> SigningKey:
        """Read the key at ``path``, creating it (mode 0600) and its public half if absent."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            private = Ed25519PrivateKey.generate()
            pem = private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
            public_pem = private.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            path.with_suffix(".pub").write_bytes(public_pem)
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 private key")
        return cls(loaded, loaded.public_key())

    def sign(self, seq: int, head: str) -> str:
        """Hex signature of a checkpoint."""
        if self._private is None:
            raise ValueError("this key can only verify")
        return self._private.sign(checkpoint_message(seq, head)).hex()

    def verifies(self, seq: int, head: str, signature: str) -> bool:
        """Whether ``signature`` is this key's signature of the checkpoint."""
        try:
            self.public.verify(bytes.fromhex(signature), checkpoint_message(seq, head))
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True, slots=True)
class ChainLine:
    """One stored line as verification reads it; ``digest`` is recomputed when content is kept.

    ``recomputed`` is None for a purged line (its stored digest is taken as it is).
    """

    seq: int
    prev_hash: str
    digest: str
    hash: str
    recomputed: str | None


@dataclass(frozen=True, slots=True)
class Problem:
    """The first place the trail stops verifying, and why."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return f"audit line {self.seq}: {self.reason}"


def verify_chain(
    lines: Iterable[ChainLine],
    checkpoints: Iterable[tuple[int, str, str]],
    head: tuple[int, str, str] | None,
    key: SigningKey,
) -> Problem | None:
    """Walk the chain in sequence order; return the first problem, or None when intact.

    ``checkpoints`` and ``head`` are (seq, hash, signature) triples; the head is the
    signed latest position, so a cut-off tail or a chain rewritten without the key fails.
    """
    signed: dict[int, str] = {}
    for seq, head_hash, signature in checkpoints:
        if not key.verifies(seq, head_hash, signature):
            return Problem(seq, "checkpoint signature does not verify")
        signed[seq] = head_hash
    if head is not None:
        seq, head_hash, signature = head
        if not key.verifies(seq, head_hash, signature):
            return Problem(seq, "the signed chain head does not verify")
        signed[seq] = head_hash
    expected_seq = 1
    prev = GENESIS
    for line in lines:
        if line.seq != expected_seq:
            return Problem(expected_seq, f"sequence gap or reorder (found line {line.seq})")
        if line.recomputed is not None and line.recomputed != line.digest:
            return Problem(line.seq, "content does not match its digest (altered)")
        if line.prev_hash != prev:
            return Problem(line.seq, "previous-hash link broken (deleted, inserted or reordered)")
        if line_hash(line.prev_hash, line.digest) != line.hash:
            return Problem(line.seq, "hash does not match (altered)")
        if line.seq in signed and signed.pop(line.seq) != line.hash:
            return Problem(line.seq, "differs from its signed checkpoint (rewritten)")
        prev = line.hash
        expected_seq += 1
    if head is not None and expected_seq - 1 > head[0]:
        return Problem(head[0] + 1, "line after the signed chain head (inserted)")
    if head is not None and expected_seq - 1 < head[0]:
        return Problem(expected_seq, "lines up to the signed chain head are missing (truncated)")
    if signed:
        missing = min(signed)
        return Problem(missing, "signed line is missing (truncated or deleted)")
    if head is None and expected_seq > 1:
        return Problem(expected_seq - 1, "no signed chain head")
    return None
