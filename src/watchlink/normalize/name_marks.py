"""What tells two entities of one name apart: legal forms, series numbers, acronyms.

Watchlists carry organisations and vessels beside people, and their names share words by
design: a parent and its subsidiaries ("Banco Santander S.A." / "Banco Santander México
S.A."), a company under another legal form ("Deutsche Bank AG" / "Deutsche Bank GmbH"), a
fund or a ship of a series ("Bowne Global Solutions II", "Snow Storm 2"), a person and his
son ("John Smith II"). The helpers here find those marks so that name comparison can count
them as evidence against, where a person's missing middle name is not.

Legal forms come from rigour's organisation types (``extract_org_types``), in their generic
form, so that "Aktiengesellschaft", "AG" and "OAO" are one kind (a joint-stock company) and
a GmbH another (a limited-liability company).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rigour.names import extract_org_types

__all__ = [
    "ORG_WORDS",
    "is_mark",
    "join_acronyms",
    "legal_forms",
    "legal_parts",
    "numbers_as_digits",
]

# Letters written with dots and no spaces are one word: "A.B.C." (an acronym), "S.A.R.L.",
# "L.P." (a legal form). Read letter by letter they would pass for initials of a person.
_ACRONYM = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){1,}[^\W\d_](?![^\W\d_])\.?")
_ROMAN = re.compile(r"^(?:x{0,3})(?:ix|iv|v?i{0,3})$")
# Words that make a name an organisation's even without a legal form (and fillers of such
# names): a word only one name has counts against, as it would for a subsidiary.
ORG_WORDS = frozenset(
    [
        "company",
        "corporation",
        "corp",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "plc",
        "gmbh",
    ]
)


_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_ORDINALS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS = {
    word: 10 * i
    for i, word in enumerate(
        ["-", "-", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
    if word != "-"
}
_NUMBER_WORDS = {
    **{w: i for i, w in enumerate(_UNITS)},
    **{w: i for i, w in enumerate(_ORDINALS)},
    **_TENS,
}
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def numbers_as_digits(words: list[str]) -> list[str]:
    """English numbers written out or as ordinals, in digits: "forty four" and "forty 4" →
    "44", "first" and "1st" → "1", "three percenters" → "3 percenters": one number, however
    it is written."""
    if not any(w in _NUMBER_WORDS or w[:1].isdigit() for w in words):
        return words
    out: list[str] = []
    tens_open = False  # the last word was a multiple of ten a unit may complete
    for word in words:
        ordinal = _ORDINAL_DIGITS.match(word)
        value = int(ordinal.group(1)) if ordinal else _NUMBER_WORDS.get(word)
        if value is None and word.isdigit() and len(word) == 1:
            value = int(word)
        if value is None:
            out.append(word)
            tens_open = False
        elif tens_open and value < 10:
            out[-1] = str(int(out[-1]) + value)
            tens_open = False
        else:
            out.append(str(value))
            tens_open = word in _TENS
    return out


def join_acronyms(text: str) -> str:
    """``"A.B.C. Company"`` → ``"ABC Company"``: dotted letters are one word."""
    if "." not in text:
        return text
    return _ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)


def is_mark(token: str, *, first: bool = False) -> bool:
    """A series or generation mark: a number ("23", "2004") or a Roman numeral from II on,
    which follows a name ("Solutions II", "John Smith III"): a first word "Xi" or "Vi" is a
    name."""
    if token.isalpha():
        return (
            not first and len(token) >= 2 and token[0] in "ivx" and _ROMAN.match(token) is not None
        )
    return any(c.isdigit() for c in token)


def _placed(cleaned: str) -> list[tuple[str, str, str]]:
    """rigour's organisation types found where a legal form stands, as ``(text, comparison
    form, generic form)``: at the end of the name ("Norvale AG"), or at its start when of
    three letters or more ("OOO Norvale"). A short type inside a name is a name part ("Iyad
    Ag Ghali", "Han Yu Ro"). A form rigour knows no generic kind of (the Swedish AB) is its
    own kind."""
    if " " not in cleaned:
        return []
    found = extract_org_types(cleaned)
    if not found:
        return []
    generic = dict(extract_org_types(cleaned, generic=True))
    out: list[tuple[str, str, str]] = []
    for text, form in found:
        if is_mark(text):
            continue
        if cleaned.endswith(" " + text) or (cleaned.startswith(text + " ") and len(text) >= 3):
            out.append((text, form, generic.get(text, form)))
    return out


@lru_cache(maxsize=1 << 16)  # the two name forms of one name ask for the same text
def legal_parts(cleaned: str) -> tuple[frozenset[str], frozenset[str]]:
    """The legal forms of a cleaned (lower-case, spaced) name, in rigour's generic form (a
    GmbH, a SARL and a Ltd are each an ``llc``; an AG, an OAO and a JSC a ``jsc``), and their
    words in rigour's comparison form (``gmbh``, ``ag``, ``sas``) as they stand in the name
    once ``replace_org_types_compare`` ran. Roman numerals, which rigour lists among company
    types, are marks, not forms."""
    placed = _placed(cleaned)
    if not placed:
        return _NONE
    kinds = frozenset(kind for _, _, kind in placed)
    return kinds, frozenset(w for _, form, _ in placed for w in form.split())


_NONE: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


def legal_forms(cleaned: str) -> frozenset[str]:
    """The legal forms of a cleaned name, in rigour's generic form (see :func:`legal_parts`)."""
    return legal_parts(cleaned)[0]
