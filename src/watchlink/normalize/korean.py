"""Korean names in Hangul, romanised the way lists write them: family name apart, common spellings.

Korean writes a name as one word (김민준), family name first. Romanised letter by letter it
is one token ("gimminjun") that no list's "Kim Min-jun" can align with. Here a Hangul word of
two to four syllables is read as a family name (one syllable, or one of the two-syllable
family names) and a given name, and the family name takes the spelling lists use (김 Kim,
박 Park, 최 Choi) rather than the letter-by-letter one ("gim", "bag", "choe"). North Korean
lists keep an initial R (리 Ri, 림 Rim), so those keep it. The given name is romanised by
the caller's transliterator syllable by syllable, as lists write it (Min-jun, Yong Chol);
its spelling variants (Jeong / Jong, Cheol / Chol) share a consonant skeleton and are matched
as variants; the other romanisations of a family name or a syllable (Pak / Park, Yi / Lee,
Eun / Un) are known to :mod:`watchlink.normalize.korean_spellings`.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["FAMILY_NAMES", "is_hangul_name", "korean_words"]

# The family names that cover most Koreans, in their usual Latin spelling.
FAMILY_NAMES: dict[str, str] = {
    "김": "kim", "이": "lee", "리": "ri", "박": "park", "최": "choi", "정": "jung",
    "강": "kang", "조": "cho", "윤": "yoon", "장": "jang", "임": "lim", "림": "rim",
    "한": "han", "오": "oh", "서": "seo", "신": "shin", "권": "kwon", "황": "hwang",
    "안": "ahn", "송": "song", "류": "ryu", "유": "yoo", "전": "jeon", "홍": "hong",
    "고": "ko", "문": "moon", "양": "yang", "량": "ryang", "손": "son", "배": "bae",
    "백": "baek", "허": "heo", "남": "nam", "심": "shim", "노": "noh", "로": "ro",
    "하": "ha", "곽": "kwak", "성": "sung", "차": "cha", "주": "joo", "우": "woo",
    "구": "koo", "민": "min", "진": "jin", "나": "na", "라": "ra", "지": "ji",
    "엄": "eom", "채": "chae", "원": "won", "천": "cheon", "방": "bang", "공": "kong",
    "현": "hyun", "함": "ham", "변": "byun", "염": "yeom", "렴": "ryom", "여": "yeo",
    "추": "choo", "도": "do", "소": "so", "석": "seok", "선": "sun", "설": "seol",
    "마": "ma", "길": "gil", "연": "yeon", "표": "pyo", "명": "myung", "기": "ki",
    "반": "ban", "왕": "wang", "금": "keum", "옥": "ok", "육": "yook", "인": "in",
    "맹": "maeng", "제": "je", "모": "mo", "탁": "tak", "국": "kook", "편": "pyun",
    "용": "yong", "태": "tae", "계": "kye", "피": "pi", "봉": "bong",
    "남궁": "namgung", "선우": "sunwoo", "제갈": "jegal", "황보": "hwangbo",
    "독고": "dokgo", "사공": "sagong", "서문": "seomun",
}  # fmt: skip

_FIRST, _LAST = 0xAC00, 0xD7A3  # the precomposed Hangul syllables


def is_hangul_name(word: str) -> bool:
    """A word of two to four Hangul syllables: a whole Korean name written as one word."""
    return 2 <= len(word) <= 4 and all(_FIRST <= ord(c) <= _LAST for c in word)


def _split(word: str) -> tuple[str, str]:
    """The family name and the given name of a name written as one word."""
    if len(word) >= 3 and word[:2] in FAMILY_NAMES:
        return word[:2], word[2:]
    return word[:1], word[1:]


def korean_words(text: str, romanise: Callable[[str], str]) -> list[str]:
    """Romanised words of a name in Hangul: each one-word name split into family and given
    name, the family name in its usual spelling, the given name syllable by syllable (as
    lists write it: Min-jun, Yong Chol); longer words (an organisation's) and words in
    other scripts romanised as they are."""
    words = text.split()
    out: list[str] = []
    for i, word in enumerate(words):
        if not all(_FIRST <= ord(c) <= _LAST for c in word):
            out.extend(romanise(word).split())
        elif len(words) > 1 and word in FAMILY_NAMES and (i == 0 or len(word) == 1):
            out.append(FAMILY_NAMES[word])  # written apart already: 김 민준, 정식 박
        elif len(words) == 1 and is_hangul_name(word):
            family, given = _split(word)
            out.append(FAMILY_NAMES.get(family) or romanise(family))
            out.extend(romanise(syllable) for syllable in given)
        elif len(word) <= 3 and len(words) <= 3:  # a given name written apart: 김 민준
            out.extend(romanise(syllable) for syllable in word)
        else:  # longer: an organisation's word, kept whole
            out.extend(romanise(word).split())
    return [w for w in out if w]
