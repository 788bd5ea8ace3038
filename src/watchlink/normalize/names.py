"""Person names: tokens, particles, honorifics, Arabic compounds, and each part's consonant
skeleton (written in ``skeletons.py``: Mohamed, Mohammed, Muhammad and محمد all ``mhmd``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rigour.names import replace_org_types_compare

from watchlink.normalize.korean import korean_words
from watchlink.normalize.name_marks import (
    ORG_WORDS,
    is_mark,
    join_acronyms,
    legal_parts,
    numbers_as_digits,
)
from watchlink.normalize.skeletons import skeleton, skeleton_collapse
from watchlink.normalize.text import clean, dominant_script, to_latin

__all__ = [
    "HONORIFICS",
    "PARTICLES",
    "NameForm",
    "name_form",
    "tokens_of",
]

PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "ol",
        "ad",
        "ar",
        "as",
        "ash",
        "at",
        "az",
        "an",
        "bin",
        "ben",
        "ibn",
        "bn",
        "bint",
        "bnt",
        "binti",
        "bte",
        "ould",
        "wuld",
        "de",
        "del",
        "della",
        "der",
        "di",
        "du",
        "da",
        "dos",
        "das",
        "van",
        "von",
        "la",
        "le",
        "y",
    ]
)
HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mme",
        "mlle",
        "dr",
        "doctor",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "sheikh",
        "shaikh",
        "shaykh",
        "sheik",
        "haji",
        "hajji",
        "hadji",
        "alhaj",
        "alhajj",
        "hajj",
        "mullah",
        "mulla",
        "maulana",
        "maulvi",
        "mawlawi",
        "mawlana",
        "qari",
        "hafiz",
        "imam",
        "gen",
        "general",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "lt",
        "lieutenant",
        "brig",
        "brigadier",
        "admiral",
        "president",
        "minister",
        "prince",
        "princess",
        "his",
        "her",
        "excellency",
        "he",
        "jr",
        "sr",
    ]
)
# A token like "Abd", "Abdul" or "Abu" opens a compound with the next name ("Abd al-Hamid").
_COMPOUND_HEADS = frozenset(
    [
        "abd",
        "bd",
        "abdul",
        "abdel",
        "abdal",
        "abdol",
        "abdu",
        "abdou",
        "abdoul",
        "abu",
        "abou",
        "abo",
        "abw",
    ]
)
# A token like "Din" or "Allah" closes a compound with the previous name ("Nasir ud-Din").
_COMPOUND_TAILS = frozenset(
    # "dyn": دين romanised from Arabic script
    ["din", "deen", "dine", "eddine", "uddin", "dyn", "allah", "ullah", "ulla", "illah"]
)
# Legal forms and filler words of organisation names (watchlists hold some), never evidence.
ORG_TERMS = frozenset(
    [
        "corp",
        "corporation",
        "company",
        "co",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "jsc",
        "ojsc",
        "oao",
        "ao",
        "pjsc",
        "zao",
        "cjsc",
        "llp",
        "lp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "the",
        "of",
        "and",
    ]
)
_PATRONYMIC = frozenset(["bin", "ben", "ibn", "bn", "ould", "bint", "bnt"])
_JOINING_PARTICLES = frozenset(
    ["al", "el", "ul", "ol", "ad", "ar", "as", "ash", "at", "az", "an", "ud", "ed", "id"]
)


# The article as said before a sun letter (ad-Din, ar-Rahman, az-Zubayr: the joining
# particles but the article as written, al, el, ul, ol) is written so in Latin letters only:
# Arabic script always writes it al (ال), and a word it romanises to "az" or "as" is a name
# (عز: Izz, in عز الدين).
_ARABIC_SCRIPT_PARTICLES = PARTICLES - {p for p in _JOINING_PARTICLES if not p.endswith("l")}


def _merge_compounds(words: list[str], particles: frozenset[str] = PARTICLES) -> list[str]:
    """Join Arabic compounds written apart: ``abd al hamid`` → ``abdalhamid``."""
    merged: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _COMPOUND_HEADS and i + 1 < len(words):
            j = i + 1
            if words[j] in _JOINING_PARTICLES and j + 1 < len(words):
                j += 1
            merged.append("".join(words[i : j + 1]))
            i = j + 1
            continue
        # A tail after "bin al" closes no compound: "Ibrahim bin al-Din" is the son of Din.
        joining = merged and merged[-1] in _JOINING_PARTICLES and len(merged) > 1
        host = merged[-2] if joining else merged[-1] if merged else None
        if word in _COMPOUND_TAILS and host is not None and host not in particles:
            if joining:
                particle = merged.pop()
                merged[-1] = merged[-1] + particle + word
            else:
                merged[-1] = merged[-1] + word
            i += 1
            continue
        merged.append(word)
        i += 1
    return merged


def _split_arabic_article(words: list[str]) -> list[str]:
    """Arabic script writes the article joined (الحميد): split it off as ``al`` + name."""
    out: list[str] = []
    for word in words:
        if word.startswith("al") and len(word) > 4:
            out.extend(("al", word[2:]))
        else:
            out.append(word)
    return out


def _romanise(text: str, script: str | None) -> tuple[str, tuple[str, ...], str]:
    """The cleaned text, its romanised words (the Arabic article split off), and its script."""
    cleaned = clean(join_acronyms(text))
    script = script or dominant_script(cleaned)
    source = str(replace_org_types_compare(cleaned)) if script == "latin" else cleaned
    if script == "hangul":
        words = korean_words(source, lambda word: to_latin(word, "hangul"))
    else:
        words = to_latin(source, script).split()
    if script == "arabic":
        words = _split_arabic_article(words)
    return cleaned, tuple(words), script


_romanised = lru_cache(maxsize=1 << 16)(_romanise)  # name parts recur across any list


def tokens_of(
    text: str, script: str | None = None, *, merge: bool = True
) -> tuple[list[str], list[str], str]:
    """Name tokens (compounds merged, no particles or honorifics), all words, and the script."""
    tokens, words, script = _tokens(text, script, merge)
    return list(tokens), list(words), script


@lru_cache(maxsize=1 << 16)
def _tokens(
    text: str, script: str | None, merge: bool
) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    return _name_tokens(*_romanised(text, script), merge)


def _name_tokens(
    cleaned: str, romanised: tuple[str, ...], script: str, merge: bool
) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """Tokens, words and script of a romanised name (see :func:`tokens_of`)."""
    if script == "latin":
        romanised = tuple(numbers_as_digits(list(romanised)))
    words = [w for w in romanised if w not in HONORIFICS or len(romanised) == 1]
    particles = _ARABIC_SCRIPT_PARTICLES if script == "arabic" else PARTICLES
    if merge:
        words = _merge_compounds(words, particles)
    if len(words) > 1:
        forms = legal_parts(cleaned)[1]
        words = [w for w in words if w not in ORG_TERMS and w not in forms] or words
    tokens = [w for w in words if w not in particles]
    if not tokens:
        tokens = words
    # One shared copy of each word: a name part recurs thousands of times across a list.
    return tuple(map(sys.intern, tokens)), tuple(words), script


def _patronymic(words: Sequence[str]) -> bool:
    """Written "Ahmad bin Hasan": bin/ibn/ould between two names, so the order says whose son.
    A list writing the family part first ("bin Salman Mohammed") or last keeps no such order."""
    return any(w in _PATRONYMIC for w in words[1:-1])


_NO_WORDS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name ready to compare: tokens and skeletons, whole-name keys, given/family parts."""

    original: str
    script: str
    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    joined_skeleton: str  # all words in order, particles included: "abdel hamid" → "bdlhmd"
    sorted_key: str  # tokens sorted and joined, for exact and order-free comparison
    family: tuple[str, ...]  # tokens known to be the family name (empty when unknown)
    given: tuple[str, ...]  # (tuples, not sets: a million names are held in memory)
    native: str  # the cleaned name in its own script, no spaces (compared within one script)
    patronymic: bool  # written with bin/ben/ibn/ould: the word order carries meaning
    unmerged: NameForm | None = None  # the same name with its compounds left apart, if any
    legal_forms: frozenset[str] = frozenset()  # "jsc", "llc"... (rigour's generic forms)
    organisation: bool = False  # a legal form or a word such as "company": not a person
    marks: frozenset[str] = frozenset()  # numbers and Roman numerals: "23", "ii"
    legal_words: frozenset[str] = frozenset()  # the legal forms as written: "gmbh", "ag"
    assimilated: str = ""  # the same, the article said as spoken: "nur al din" → "nrdn", or ""

    @property
    def latin(self) -> str:
        """The romanised tokens, in their written order."""
        return " ".join(self.tokens)


# The article as written (al, el, ul, ol); the other joining particles are already written
# as said ("ad-Din", "ar-Rahman").
_ARTICLES = frozenset(p for p in _JOINING_PARTICLES if p.endswith("l"))
_SUN_LETTERS = frozenset("tdrzsnl")  # romanised: t, th, d, dh, r, z, s, sh, ṣ, ḍ, ṭ, ẓ, l, n


def _assimilated(words: Sequence[str], joined: str) -> str:
    """The joined skeleton with the Arabic article left out before a sun letter, as French
    and English spellings write it ("Nur al-Din" said "Nureddin": Noureddine; "Abd
    al-Rahman": Abderrahmane), or "" when that changes nothing."""
    if _ARTICLES.isdisjoint(words):  # most names: nothing to say otherwise
        return ""
    kept = [
        word
        for i, word in enumerate(words)
        if word not in _ARTICLES or i + 1 == len(words) or words[i + 1][:1] not in _SUN_LETTERS
    ]
    if len(kept) == len(words):
        return ""
    said = skeleton_collapse(skeleton("".join(kept)))  # one word, as "Salaheddine" is
    return "" if said == joined else said


@lru_cache(maxsize=1 << 17)  # a list of people repeats whole names too (namesakes, aliases)
def name_form(full: str, given: str | None = None, family: str | None = None) -> NameForm:
    """Prepare one written name (any script) for comparison (immutable, so shared)."""
    if not full.strip() and (given or family):
        full = f"{given or ''} {family or ''}"
    # A whole name is romanised once here, outside the caches of name parts: most whole
    # names of a long list are met once, and would only push out the given and family
    # names that recur (this function's own cache keeps the whole names that do recur).
    romanised = _romanise(full, None)
    tokens, words, script = _name_tokens(*romanised, True)
    cleaned = romanised[0]
    native = cleaned.replace(" ", "")
    # An empty set costs 216 bytes a name unless it is the one shared empty set.
    forms, legal_words = legal_parts(cleaned)
    forms, legal_words = forms or _NO_WORDS, legal_words or _NO_WORDS
    organisation = bool(forms) or not ORG_WORDS.isdisjoint(cleaned.split())
    marks = frozenset(t for i, t in enumerate(tokens) if is_mark(t, first=i == 0)) or _NO_WORDS
    family_tokens = _tokens(family, script, True)[0] if family else ()
    given_tokens = _tokens(given, script, True)[0] if given else ()
    form = NameForm(
        original=full,
        script=script,
        tokens=tokens,
        skeletons=tuple(skeleton(t) or t[:1] for t in tokens),
        joined_skeleton=(joined := skeleton_collapse("".join(skeleton(w) for w in words))),
        sorted_key=" ".join(sorted(tokens)),
        family=family_tokens,
        given=given_tokens,
        native=native,
        patronymic=_patronymic(words),
        legal_forms=forms,
        legal_words=legal_words,
        organisation=organisation,
        marks=marks,
        assimilated=_assimilated(romanised[1], joined),
    )
    apart = _name_tokens(*romanised, False)[0]  # heads kept: "Abdul" may be all there is
    if not apart or apart == tokens:
        return form
    unmerged = replace(
        form,
        tokens=apart,
        skeletons=tuple(skeleton(t) or t[:1] for t in apart),
        sorted_key=" ".join(sorted(apart)),
    )
    return replace(form, unmerged=unmerged)
