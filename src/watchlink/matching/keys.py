"""Retrieval keys: the strings under which a record is filed in the candidate index.

A true match shares at least one key with its query under spelling variants, transliteration,
name order and missing parts: token skeletons (``s:mhmd``), the whole-name skeleton
(``j:mhmdbdlhmd``), and token prefixes for typos in the first letters' neighbourhood
(``p:moh``). A part spelled with "ch" is also filed under its skeleton with "sh": French
writes the Arabic ش as "ch" where English writes "sh" (Rachid / Rashid, Chaker / Shaker).
A Korean family name is also filed under the skeleton of each other spelling of it (Pak
under Park's ``s:brk``, Yi under Lee's ``s:l``): a list writes 박 Park, Pak or Bak, and
"Min-jun" alone is shared by too many to retrieve by.
Documents are filed by their OCR-folded number; nationality and sex (``nat:FR``,
``sex:female``) only rank namesakes, never retrieve.
"""

from __future__ import annotations

from watchlink.matching.record import PreparedRecord
from watchlink.normalize.korean_spellings import family_spellings
from watchlink.normalize.names import skeleton

__all__ = ["document_keys", "name_keys", "trait_keys"]


def name_keys(record: PreparedRecord) -> set[str]:
    """Keys of every name of ``record``: skeletons, whole-name skeleton and token stems."""
    keys: set[str] = set()
    for name in record.names:
        form = name.form
        for token, skel in zip(form.tokens, form.skeletons, strict=True):
            if len(token) == 1:
                continue  # an initial is too weak to retrieve by
            keys.add("s:" + skel)
            if "ch" in token:  # "sch" included: Rasched / Rashed
                keys.add("s:" + skeleton(token.replace("ch", "sh")))
            for spelling in family_spellings(token):  # Pak / Park, Yi / Lee, Chung / Jeong
                keys.add("s:" + (skeleton(spelling) or spelling[:1]))
            if len(token) >= 4:
                keys.add("p:" + token[:4])
                keys.add("e:" + token[-4:])
        if form.joined_skeleton:
            keys.add("j:" + form.joined_skeleton)
    return keys


def document_keys(record: PreparedRecord) -> set[str]:
    """Keys of every identity document of ``record``: the OCR-folded number."""
    return {"d:" + doc.folded for doc in record.documents if len(doc.folded) >= 4}


def trait_keys(record: PreparedRecord) -> set[str]:
    """Keys of ``record``'s nationalities and sex: ``nat:FR``, ``sex:female``."""
    keys = {"nat:" + country for country in record.nationalities}
    if record.gender is not None:
        keys.add("sex:" + record.gender.value)
    return keys
