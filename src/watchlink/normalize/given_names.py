"""Given names that are one name: nicknames and the same name in other languages.

"Bill" is William, "Ted" is Edward or Theodore, "Bibi" is Benjamin; John is Juan, Jean,
Johann, Giovanni and Ivan; Joseph is José, Giuseppe and Youssef; Ibrahim is Abraham. No
spelling rule finds these: a traveller may carry the English form of the name a list holds
in Arabic or Spanish, or be listed by the name he is called by. Each group below is one
name; a nickname may belong to several (Ted), and two names are equivalent when they share
a group. Spelling variants of one form (Mohamed / Muhammad) are left to the consonant
skeleton; a group holds forms whose spelling differs beyond it.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["GROUPS", "equivalent_given_names", "groups_of"]

GROUPS: tuple[str, ...] = (
    # English names and their nicknames
    "william bill billy will willy liam wilhelm guillermo guillaume guglielmo",
    "robert bob bobby rob robbie roberto",
    "richard dick rick ricky rich richie ricardo riccardo",
    "james jim jimmy jamie jaime jacques giacomo",
    "john jack johnny jon juan jean johann johannes hans giovanni ivan jan joao sean ian yahya",
    "edward ed eddie ted teddy ned eduardo edouard",
    "theodore ted teddy theo teodoro fyodor",
    "michael mike mikey mick miguel michel michele mikhail mikael michal",
    "thomas tom tommy tomas tommaso",
    "joseph joe joey jose giuseppe josef iosif osip youssef yusuf yousef jusuf jussuf",
    "charles charlie chuck carlos carlo karl karel",
    "anthony tony antonio antoine anton",
    "elizabeth liz lizzie beth betty eliza elisabeth isabel",
    "margaret maggie peggy meg margarita marguerite",
    "katherine kate kathy katie cathy catherine catalina caterina ekaterina katya",
    "alexander alex sasha alejandro alexandre alessandro aleksandr iskandar",
    "daniel dan danny daniele danyal",
    "david dave davy davide daoud dawud",
    "benjamin ben benny bibi binyamin",
    "samuel sam sammy samuele",
    "nicholas nick nicky nicolas nicola nikolai nikolay kolya mikolaj",
    "christopher chris kit cristobal christophe",
    "matthew matt mateo matthieu matteo matvei",
    "andrew andy drew andres andre andrea andrei andrzej",
    "stephen steven steve esteban etienne stefan stepan",
    "peter pete pedro pierre pietro piotr pyotr petr boutros",
    "paul pablo pavel paolo boulos",
    "george jorge georges giorgio georgy georgiy yuri",
    "henry harry hank enrique henri enrico heinrich",
    "francis frank francisco francois francesco franz",
    "lawrence larry lorenzo laurent",
    "frederick fred freddie federico friedrich",
    "patrick pat paddy patricio",
    "patricia pat patty trish",
    "susan sue suzy susanne",
    "jennifer jen jenny",
    "rebecca becky rebekah rivka",
    "deborah debbie debra",
    "victoria vicky vittoria",
    "louis luis luigi ludwig lewis",
    "mary maria marie maryam mariam miriam",
    "vladimir volodya vova",
    "dmitry dima",
    "sergei seryozha",
    "yevgeny evgeny zhenya eugene",
    "anastasia nastya",
    # The same name in Arabic and in European languages
    "abraham ibrahim avraham",
    "moses musa moshe moise",
    "solomon suleiman sulayman shlomo",
    "jacob yaqub yakub jakub yakov",
    "isaac ishaq yitzhak",
    "ishmael ismail",
    "aaron harun haroun",
    "jonah yunus younes",
    "job ayoub ayyub",
    "elijah ilyas elias",
    "zachary zakaria zakariya zacharias",
    "gabriel jibril",
    "joshua yusha",
    "noah nuh",
    "jesus isa",
    # One woman's name, Persian in origin, in the forms of several languages: the
    # "-a" of Yasmina is no woman's ending here, as it is in Ivanova.
    "yasmin yasmina yasmine jasmin jasmina jasmine",
)


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for number, group in enumerate(GROUPS):
        for name in group.split():
            found.setdefault(name, set()).add(number)
    return {name: frozenset(numbers) for name, numbers in found.items()}


def given_name_groups() -> dict[str, frozenset[int]]:
    """Each romanised, lower-case given name of a group, with its groups' numbers (the same
    dict on every call: not to be changed)."""
    return _index()


def groups_of(name: str) -> frozenset[int]:
    """The groups a romanised, lower-case given name belongs to (empty when none)."""
    return _index().get(name, frozenset())


def equivalent_given_names(a: str, b: str) -> bool:
    """Two different written names that are one given name (a nickname, another language)."""
    # Asked of every two name parts a screening compares: most belong to no group.
    index = _index()
    ours = index.get(a)
    if ours is None or a == b:
        return False
    theirs = index.get(b)
    return theirs is not None and not ours.isdisjoint(theirs)
