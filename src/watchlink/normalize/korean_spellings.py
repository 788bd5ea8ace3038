"""Korean names in Latin letters under different romanisations: one family name, one syllable.

Lists write one Korean name in several systems: the Revised Romanization (RR: 박정은 Bak
Jeong-eun), McCune–Reischauer (MR, and North Korean lists after it: Pak Chong Un), and the
customary spellings of South Korean passports (Park Jung-eun). The consonant skeleton
already joins many of them (Jeong / Jong, Cheol / Chol, Kang / Gang); what it misses is
here.

Family names: :data:`FAMILY_GROUPS` holds, per Hangul family name, the spellings lists use
for it: 이 Lee / Yi / Rhee / Ri / I, 박 Park / Pak / Bak, 정 Jung / Jeong / Chung / Chong.
A Hangul name and its North Korean form without the initial-sound rule (이 / 리, 임 / 림,
노 / 로, 유 / 류, 나 / 라, 양 / 량, 염 / 렴, 여 / 려) are one group: one Chinese character,
written with or without the R. 유 and 류 are one group too: 柳 is written 유 or 류 in South
Korea alike (류 allowed since 2007), and 劉 the same way, so a list's Yoo, Yu, Ryu and Lyu
cannot be told apart by spelling. A spelling may belong to several groups (Chun is 전 and
천; So is 서 in MR and 소): two spellings are one name when they share a group.

Two spellings in the table that share no group are two family names (송 Song / 성 Sung,
조 Cho / 최 Choi, 정 Jung / 장 Jang) even where the skeleton makes them alike — unless one
romanisation writes one syllable both ways (:func:`same_syllable`): MR writes 성 Sŏng, which
lists print "Song", so Song / Seong stay variants while Song / Sung are apart (a South
Korean list writes 성 Sung and 송 Song).

Syllables (given names): :func:`syllable_key` folds what the systems write differently for
one syllable: eo / o (Jeong, Jong), eu / u (Eun, Un), oo / u (Soo, Su), ee / ui / i (Hee,
Hui, Hi), ou / u (Youn), oi / we / oe (Choi, Chwe, Choe), ai / ae, k / g, t / d, p / b,
ch / j (MR Chong is RR Jeong), sh / s (Shik, Sik), l / r.

Only in a Korean context (:func:`korean_name`): every part a family name of the table or one
or two Korean syllables, and a family name among them. "Lee" and "Leigh" are no Korean pair
(Leigh is no Korean spelling), and "Dan" / "Tan" or "Song" / "Sung" in a Chinese name
("Song Mei-ling": "mei" is no Korean syllable) keep the general rules.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "FAMILY_GROUPS",
    "family_spellings",
    "korean_family",
    "korean_name",
    "korean_token",
    "one_family_name",
    "other_family_names",
    "same_syllable",
    "syllable_key",
]

# Each Hangul family name (and its North Korean form) with its Latin spellings: RR, MR and
# North Korean lists, customary South Korean passport spellings.
FAMILY_GROUPS: dict[str, str] = {
    "김": "kim gim",
    "이 리": "lee yi rhee ri i rhie yee",
    "박": "park pak bak bahk pahk",
    "최": "choi choe chwe",
    "정": "jung jeong chung chong jong cheong",
    "강": "kang gang kahng",
    "조": "cho jo",
    "윤": "yoon yun youn",
    "장": "jang chang",
    "임 림": "lim im rim yim",
    "한": "han hahn",
    "오": "oh o",
    "서": "seo suh so",
    "신": "shin sin",
    "권": "kwon gwon kweon",
    "황": "hwang whang",
    "안": "ahn an",
    "송": "song",
    "유 류": "yoo yu ryu lyu rhyu you",
    "전": "jeon jun chun chon jon",
    "천": "cheon chun chon",
    "홍": "hong",
    "고": "ko koh go",
    "문": "moon mun",
    "양 량": "yang ryang",
    "손": "son sohn",
    "배": "bae pae",
    "백": "baek paek paik baik",
    "허": "heo hur huh ho",
    "남": "nam",
    "심": "shim sim",
    "노 로": "noh roh no ro rho",
    "하": "ha",
    "곽": "kwak gwak",
    "성": "sung seong",  # not "song": see the module's note
    "차": "cha",
    "주": "joo ju chu",
    "우": "woo u",
    "구": "koo ku gu goo",
    "민": "min",
    "진": "jin chin",
    "나 라": "na ra rha",
    "지": "ji chi",
    "엄": "eom um uhm",
    "채": "chae",
    "원": "won weon",
    "방": "bang pang",
    "공": "kong gong",
    "현": "hyun hyon hyeon",
    "함": "ham",
    "변": "byun byeon byon pyon",
    "편": "pyun pyeon pyon",
    "염 렴": "yeom yom ryom",
    "여 려": "yeo yo ryo",
    "추": "choo chu",
    "도": "do to",
    "소": "so",
    "석": "seok suk sok",
    "선": "sun seon",
    "설": "seol sul sol",
    "마": "ma",
    "길": "gil kil",
    "연": "yeon yon",
    "표": "pyo",
    "명": "myung myeong myong",
    "기": "ki gi",
    "반": "ban pan",
    "왕": "wang",
    "금": "keum kum geum gum",
    "옥": "ok",
    "육": "yook yuk",
    "인": "in",
    "맹": "maeng",
    "제": "je che",
    "모": "mo",
    "탁": "tak",
    "국": "kook kuk guk",
    "용": "yong",
    "태": "tae",
    "계": "kye gye",
    "피": "pi",
    "봉": "bong pong",
    "위": "wi wee",
    "남궁": "namgung",
    "선우": "sunwoo seonu",
    "제갈": "jegal",
    "황보": "hwangbo",
    "독고": "dokgo",
    "사공": "sagong",
    "서문": "seomun",
}


def _index() -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for number, spellings in enumerate(FAMILY_GROUPS.values()):
        for spelling in spellings.split():
            found.setdefault(spelling, set()).add(number)
    return {spelling: frozenset(numbers) for spelling, numbers in found.items()}


_GROUPS_OF = _index()
_NONE: frozenset[int] = frozenset()
_GROUP_SPELLINGS = tuple(tuple(s.split()) for s in FAMILY_GROUPS.values())
_SPELLINGS: dict[str, tuple[str, ...]] = {
    token: tuple(dict.fromkeys(s for g in sorted(groups) for s in _GROUP_SPELLINGS[g]))
    for token, groups in _GROUPS_OF.items()
}


def family_spellings(token: str) -> tuple[str, ...]:
    """Every spelling of the family names ``token`` may be, itself included (empty when it
    is none): Pak → park, pak, bak, bahk, pahk."""
    return _SPELLINGS.get(token, ())


def one_family_name(a: str, b: str) -> bool:
    """Two different spellings of one Korean family name (Pak / Park, Yi / Lee / Ri)."""
    return a != b and not _GROUPS_OF.get(a, _NONE).isdisjoint(_GROUPS_OF.get(b, _NONE))


def other_family_names(a: str, b: str) -> bool:
    """Two spellings of two different Korean family names (Song / Sung, Cho / Choi) that no
    romanisation writes as one syllable."""
    ga, gb = _GROUPS_OF.get(a), _GROUPS_OF.get(b)
    return bool(ga and gb and ga.isdisjoint(gb)) and not same_syllable(a, b)


# One syllable: initial consonant, vowel, final consonant, as any of the systems writes them.
_INITIAL = "(?:tch|kk|gg|tt|dd|pp|bb|ss|jj|ch|sh|k|g|n|d|t|r|l|m|b|p|s|j|h)?"
_VOWEL = (
    "(?:yeo|yae|wae|weo|eui|oung|woo|ae|ya|eo|ye|wa|oe|yo|wo|we|wi|yu|eu|ui|oo|ee|ai|oi|ou"
    "|a|e|i|o|u)"
)
_FINAL = "(?:ng|k|g|n|t|d|l|r|m|p|b)?"
_SYLLABLES = re.compile(f"(?:{_INITIAL}{_VOWEL}{_FINAL}){{1,2}}")
# What Chinese pinyin and Wade-Giles write and Korean romanisations do not: "Mei-ling",
# "Xiao", "Liu", "Kuan" are no Korean syllables even where a syllable pattern fits them.
_NOT_KOREAN = re.compile("ei|ia|iu|ao|uo|ua|ie|ing|eng")

_FOLDS = (
    ("oung", "ong"),  # Young, Joung: 영, 정
    ("tch", "j"),
    ("jj", "j"),
    ("ch", "j"),  # MR writes ㅈ ch where RR writes j
    ("sh", "s"),
    ("ss", "s"),
    ("kk", "k"),
    ("gg", "k"),
    ("g", "k"),
    ("tt", "t"),
    ("dd", "t"),
    ("d", "t"),
    ("pp", "p"),
    ("bb", "p"),
    ("b", "p"),
    ("l", "r"),
    ("eo", "o"),
    ("eu", "u"),
    ("oo", "u"),
    ("ou", "u"),
    ("ee", "i"),
    ("ui", "i"),
    ("ai", "ae"),
    ("oi", "oe"),
    ("we", "oe"),
)


@lru_cache(maxsize=1 << 14)
def korean_token(token: str) -> bool:
    """A Korean family name of the table, or one or two Korean syllables (min, minjun)."""
    if token in _GROUPS_OF:
        return True
    return _SYLLABLES.fullmatch(token) is not None and _NOT_KOREAN.search(token) is None


@lru_cache(maxsize=1 << 14)
def korean_name(tokens: tuple[str, ...]) -> bool:
    """A name written as Korean names are: every part Korean (:func:`korean_token`), and a
    family name of the table among them."""
    return (
        bool(tokens)
        and any(t in _GROUPS_OF for t in tokens)
        and all(korean_token(t) for t in tokens)
    )


@lru_cache(maxsize=1 << 14)
def syllable_key(token: str) -> str:
    """One spelling for what the romanisations write differently of the same syllables:
    ``jeong``, ``chong``, ``jong`` → ``jong``; ``hee``, ``hui``, ``hi`` → ``hi``."""
    text = token
    for written, folded in _FOLDS:
        if written in text:
            text = text.replace(written, folded)
    return text


def same_syllable(a: str, b: str) -> bool:
    """Two Korean-written tokens one romanisation or another writes for the same syllables
    (Eun / Un, Soo / Su, Hee / Hui, Chung / Jung)."""
    return a != b and korean_token(a) and korean_token(b) and syllable_key(a) == syllable_key(b)


def korean_family(token: str) -> bool:
    """``token`` is a spelling of a Korean family name of the table."""
    return token in _GROUPS_OF
