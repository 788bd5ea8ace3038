"""The US Treasury SDN legacy CSV: a tiny fictional file, and the real list when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchlink.formats.ofac import read_ofac
from watchlink.model import DocumentType, Gender, NameKind, PartialDate, Subject

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

SDN = (
    '9001,"HADDAD, Karim",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 02 Apr 1989; alt. DOB 1990 to 1991; POB Roubaix, France; nationality France; '
    "alt. nationality Algeria; Gender Male; Passport 19FX48213 (France) expires 2030; "
    "National ID No. 778812 (France); a.k.a. 'ABOU K'.\"\n"
    '9002,"NORTHWIND TRADING",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    '9003,"VOGEL, Lena",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB circa Mar 1979."\n'
    "\x1a"
)
ALT = '9001,1,"aka","HADAD, Kareem",-0- \n9001,2,"fka","BELKACEM, Karim",-0- \n'
ADD = '9001,1,"12 rue des Lilas","Lille","France",-0- \n9002,2,-0- ,"Oslo","Norway",-0- \n'


@pytest.fixture
def sdn_file(tmp_path: Path) -> Path:
    for name, text in (("sdn.csv", SDN), ("alt.csv", ALT), ("add.csv", ADD)):
        (tmp_path / name).write_text(text, encoding="ascii")
    return tmp_path / "sdn.csv"


def test_persons_with_names_remarks_and_addresses(sdn_file: Path) -> None:
    results = list(read_ofac(sdn_file, "US-SEC"))
    assert [line for line, _ in results] == [1, 3]  # the company is passed over
    karim, lena = (s for _, s in results)
    assert isinstance(karim, Subject) and isinstance(lena, Subject)
    assert karim.id == "ofac-9001"
    assert [(n.full, n.kind, n.given, n.family) for n in karim.names] == [
        ("Karim HADDAD", NameKind.PRIMARY, "Karim", "HADDAD"),
        ("Kareem HADAD", NameKind.ALIAS, "Kareem", "HADAD"),
        ("Karim BELKACEM", NameKind.BIRTH_NAME, "Karim", "BELKACEM"),
        ("ABOU K", NameKind.WEAK_ALIAS, None, None),
    ]
    assert [b.date for b in karim.birth_dates] == [
        PartialDate(1989, 4, 2),
        PartialDate(1990),
        PartialDate(1991),
    ]
    assert [v.value for v in karim.birth_places] == ["Roubaix, France"]
    assert [v.value for v in karim.nationalities] == ["FR", "DZ"]
    assert karim.gender is Gender.MALE
    assert [(d.type, d.number, d.country) for d in karim.documents] == [
        (DocumentType.PASSPORT, "19FX48213", "FR"),
        (DocumentType.ID_CARD, "778812", "FR"),
    ]
    assert [v.value for v in karim.addresses] == ["12 rue des Lilas, Lille, France"]
    assert karim.legal_basis == "US Treasury SDN list, program SDGT"
    assert [b.date for b in lena.birth_dates] == [PartialDate(1979, 3)]


def test_a_directory_is_read_like_its_sdn_file(sdn_file: Path) -> None:
    assert len(list(read_ofac(sdn_file.parent, "US-SEC"))) == 2


def test_a_short_row_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_text('9001,"HADDAD, Karim",individual\n', encoding="ascii")
    [(line, problems)] = list(read_ofac(tmp_path / "sdn.csv", "US-SEC"))
    assert line == 1 and isinstance(problems, list) and "expected 12" in problems[0].reason


@pytest.mark.skipif(
    not (SHARED / "ofac_sdn.csv").exists(),
    reason=f"the SDN list is not at {SHARED} (ofac_*.csv from moov-io/watchman test data)",
)
def test_the_real_sdn_list_has_4620_persons() -> None:
    results = list(read_ofac(SHARED / "ofac_sdn.csv", "US-SEC"))
    subjects = [s for _, s in results if isinstance(s, Subject)]
    assert len(subjects) == len(results) == 4620
    assert len({s.id for s in subjects}) == 4620
    assert sum(bool(s.birth_dates) for s in subjects) > 4000
    assert sum(len(s.names) for s in subjects) > 12000
