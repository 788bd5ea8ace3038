"""Retrieval keys: the strings under which a record is filed in the candidate index.

A true match shares at least one key with its query under spelling variants, transliteration,
name order and missing parts: token skeletons (``s:mhmd``), the whole-name skeleton
(``j:mhmdbdlhmd``), and token prefixes and endings for typos near either end (``p:moha``,
``e:amed``): of four letters, or of three for a part of four (``e:urt`` finds "Kurt" typed
"Jurt", where the whole part would not).
A part spelled with "ch" is also filed under its skeleton with "sh": French
writes the Arabic ش as "ch" where English writes "sh" (Rachid / Rashid, Chaker / Shaker).
A part spelled with "j" is also filed under its skeleton with "y": German, Dutch and
Slavic spellings write as "j" the sound English writes "y" (Jasmin / Yasmin, Soefjan /
Sufyan, Sergej / Sergey, Jussuf / Yusuf).
A name with the Arabic article before a sun letter is also filed under its whole-name
skeleton without it, as spoken and as French and English spell it: "نور الدين بن علي" and
"Nur al-Din bin Ali" under ``j:nrdnbnl`` with "Noureddine Benali".
A Korean family name is also filed under the skeleton of each other spelling of it (Pak
under Park's ``s:brk``, Yi under Lee's ``s:l``): a list writes 박 Park, Pak or Bak, and
"Min-jun" alone is shared by too many to retrieve by.
Two parts of one name are also filed together, in either order (``w:mn|njr``): in a list of
a million, "Amina" and "Najjar" are each too common to retrieve by, while "Amina Najjar"
is rare however it is ordered ("Najjar Amina") and whatever middle name it drops ("Fayçal
Tamimi" for "Fayçal Rachid Tamimi"). The first :data:`PAIRED` parts that are not initials
are paired.
Documents are filed by their OCR-folded number; nationality and sex (``nat:FR``,
``sex:female``) only rank namesakes, never retrieve.
"""

from __future__ import annotations

from watchlink.matching.record import PreparedRecord
from watchlink.normalize.korean_spellings import family_spellings
from watchlink.normalize.skeletons import skeleton

__all__ = ["PAIRED", "document_keys", "name_keys", "trait_keys"]

PAIRED = 4
"""Parts of a name paired in ``w:`` keys: four give at most six keys a name."""


def name_keys(record: PreparedRecord) -> set[str]:
    """Keys of every name of ``record``: skeletons, whole-name skeleton and token stems."""
    keys: set[str] = set()
    for name in record.names:
        form = name.form
        parts: list[set[str]] = []  # the skeletons each part is filed under, to pair
        for token, skel in zip(form.tokens, form.skeletons, strict=True):
            if len(token) == 1:
                continue  # an initial is too weak to retrieve by
            spelled = {skel}
            if "ch" in token:  # "sch" included: Rasched / Rashed
                spelled.add(skeleton(token.replace("ch", "sh")))
            if "j" in token and (as_y := skeleton(token.replace("j", "y"))):
                spelled.add(as_y)
            for spelling in family_spellings(token):  # Pak / Park, Yi / Lee, Chung / Jeong
                spelled.add(skeleton(spelling) or spelling[:1])
            keys.update("s:" + spelling for spelling in spelled)
            if len(parts) < PAIRED:
                parts.append(spelled)
            if len(token) >= 4:
                end = min(4, len(token) - 1)
                keys.add("p:" + token[:end])
                keys.add("e:" + token[-end:])
        if form.joined_skeleton:
            keys.add("j:" + form.joined_skeleton)
        if form.assimilated:
            keys.add("j:" + form.assimilated)
        keys.update(_paired(parts))
    return keys


def _paired(parts: list[set[str]]) -> set[str]:
    """``w:`` keys of each two parts, in any order, under every skeleton each is filed under
    (so Chung Min-jun, filed as Jeong too, still shares the keys of Jeong Min-jun)."""
    return {
        f"w:{a}|{b}" if a < b else f"w:{b}|{a}"
        for i, first in enumerate(parts)
        for second in parts[i + 1 :]
        for a in first
        for b in second
        if a != b
    }


def document_keys(record: PreparedRecord) -> set[str]:
    """Keys of every identity document of ``record``: the OCR-folded number."""
    return {"d:" + doc.folded for doc in record.documents if len(doc.folded) >= 4}


def trait_keys(record: PreparedRecord) -> set[str]:
    """Keys of ``record``'s nationalities and sex: ``nat:FR``, ``sex:female``."""
    keys = {"nat:" + country for country in record.nationalities}
    if record.gender is not None:
        keys.add("sex:" + record.gender.value)
    return keys
