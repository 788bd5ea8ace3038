"""Identity document numbers: one form whatever the case, spaces, separators or OCR slips."""

from __future__ import annotations

import re

__all__ = ["document_number", "ocr_fold"]

_NOT_KEPT = re.compile(r"[^A-Z0-9]+")

# Letters a reader or an OCR engine confuses with digits, mapped to the digit.
_OCR = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8"}
)


def document_number(text: str) -> str:
    """Upper case, letters and digits only: ``"ab 123-456"`` → ``"AB123456"``."""
    return _NOT_KEPT.sub("", text.upper())


def ocr_fold(number: str) -> str:
    """A normalised number with OCR-confusable letters read as digits (O→0, I→1, ...)."""
    return number.translate(_OCR)
