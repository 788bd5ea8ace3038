"""Phone numbers and email addresses in one comparable form.

``"+33 6 12 34 56 78"`` and ``"06.12.34.56.78"`` are one number: the comparison keeps the
last nine digits (the subscriber's number without country or trunk prefix). An email address
is compared whole, case-folded.
"""

from __future__ import annotations

import re

__all__ = ["email_address", "phone_number"]

_NOT_DIGIT = re.compile(r"[^0-9]+")

_SUBSCRIBER_DIGITS = 9
_MIN_DIGITS = 6


def phone_number(text: str) -> str | None:
    """The last nine digits of a phone number, or ``None`` when it has fewer than six."""
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) < _MIN_DIGITS:
        return None
    return digits[-_SUBSCRIBER_DIGITS:]


def email_address(text: str) -> str | None:
    """The address case-folded and stripped (``mailto:`` dropped), or ``None`` without ``@``."""
    address = text.strip().casefold().removeprefix("mailto:")
    local, at, domain = address.partition("@")
    if not at or not local or "." not in domain or " " in address:
        return None
    return address
