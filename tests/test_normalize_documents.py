"""Document numbers: case, separators and OCR confusions."""

from __future__ import annotations

import pytest

from watchlink.normalize.documents import document_number, ocr_fold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xa 123-456.7", "XA1234567"),
        ("XA1234567", "XA1234567"),
        (" p/0123 ", "P0123"),
    ],
)
def test_document_number(text: str, expected: str) -> None:
    assert document_number(text) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("XA1O34567", "XA1034567"),  # O read for 0
        ("XAI234567", "XA1234567"),  # I read for 1
        ("XA12345S7", "XA1234557"),  # S read for 5
    ],
)
def test_ocr_confusions_fold_to_one_number(left: str, right: str) -> None:
    assert ocr_fold(left) == ocr_fold(right)
