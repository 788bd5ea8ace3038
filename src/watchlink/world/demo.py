"""The demo world: a fictional story patterned on the failures the product exists to prevent.

Adnane Kessaci is on the French intelligence list (FR-INT). He comes back from Syria
through Greece under a blank Syrian passport from a batch reported stolen, spelt the
English way and with day and month swapped, then registers at a hotel in Belgium. A
Turkish request about him (TR-INT → FR-INT) has sat unanswered for months. The
surveillance of his brother Walid was stopped two years ago. A US partner list (US-SEC)
names both. And the French list holds thousands of synthetic subjects for a handful of
officers. All persons are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from watchlink.model import (
    ActionOnHit,
    Agency,
    BirthDate,
    ConcernLevel,
    Decision,
    DecisionKind,
    Distribution,
    DocumentType,
    Encounter,
    EncounterKind,
    Gender,
    HandlingCode,
    IdentityDocument,
    InfoRequest,
    Link,
    LinkKind,
    Name,
    NameKind,
    PartialDate,
    PartnerGroup,
    PresentedPerson,
    Provenance,
    RequestMessage,
    RequestPriority,
    Role,
    Sharing,
    Subject,
    SubjectStatus,
    Value,
)
from watchlink.world.agencies import AGENCIES, CT_GROUP, PARTNER_GROUPS
from watchlink.world.people import AS_OF
from watchlink.world.stolen import StolenBatch
from watchlink.world.synth import SynthWorld, generate

__all__ = ["DEMO_SEED", "DEMO_USERS", "DemoStory", "DemoUser", "DemoWorld", "demo_world"]

DEMO_SEED = 2015


@dataclass(frozen=True, slots=True)
class DemoUser:
    """A demo login; the access layer creates these users when the demo loads."""

    username: str
    agency: str
    role: Role
    password: str
    display_name: str


DEMO_USERS: list[DemoUser] = [
    DemoUser("fr.analyst", "FR-INT", Role.ANALYST, "demo-fr-analyst", "Claire Dumont"),
    DemoUser("fr.supervisor", "FR-INT", Role.SUPERVISOR, "demo-fr-supervisor", "Marc Lefort"),
    DemoUser("gr.border", "GR-BORDER", Role.BORDER_OFFICER, "demo-gr-border", "Eleni Markou"),
    DemoUser("be.analyst", "BE-INT", Role.ANALYST, "demo-be-analyst", "Pieter Claes"),
    DemoUser("be.police", "BE-POL", Role.BORDER_OFFICER, "demo-be-police", "Sofie Maes"),
    DemoUser("tr.liaison", "TR-INT", Role.LIAISON_OFFICER, "demo-tr-liaison", "Selin Aksoy"),
    DemoUser("us.analyst", "US-SEC", Role.ANALYST, "demo-us-analyst", "Dana Brooks"),
    DemoUser("auditor", "FR-INT", Role.AUDITOR, "demo-auditor", "Jeanne Roux"),
    DemoUser("admin", "FR-INT", Role.ADMIN, "demo-admin", "Demo administrator"),
]


@dataclass(frozen=True, slots=True)
class DemoStory:
    """The ids of the story's records, so steps and tests can find them."""

    subject: str = "demo-fr-int-adnane-kessaci"
    brother: str = "demo-fr-int-walid-kessaci"
    us_subject: str = "demo-us-sec-adnan-qassasi"
    us_brother: str = "demo-us-sec-walid-qassasi"
    stolen_batch: str = "demo-stolen-sy-blanks"
    greek_entry: str = "demo-enc-gr-leros"
    companion_entry: str = "demo-enc-gr-leros-companion"
    hotel: str = "demo-enc-be-hotel"
    turkish_request: str = "demo-req-tr-fr-kessaci"
    subject_start: str = "demo-dec-adnane-start"
    brother_start: str = "demo-dec-walid-start"
    brother_stop: str = "demo-dec-walid-stop"
    stolen_passport: str = "XS4210317"
    companion_passport: str = "XS4210318"
    group_ref: str = "demo-grp-leros-0412"


STORY = DemoStory()


@dataclass(frozen=True, slots=True)
class DemoWorld:
    """Everything the demo loads: agencies, the story, and the synthetic bulk of the lists."""

    agencies: tuple[Agency, ...]
    partner_groups: tuple[PartnerGroup, ...]
    subjects: tuple[Subject, ...]  # the story's records (the stolen batch included)
    links: tuple[Link, ...]
    encounters: tuple[Encounter, ...]
    decisions: tuple[Decision, ...]
    requests: tuple[InfoRequest, ...]
    synthetic: SynthWorld
    story: DemoStory = field(default_factory=DemoStory)
    users: tuple[DemoUser, ...] = ()


def _days_ago(days: int) -> datetime:
    return AS_OF - timedelta(days=days)


_BIRTH = date(1991, 4, 9)  # Adnane; presented in Greece as 1991-09-04


def _name(full: str, given: str, family: str, prov: Provenance, kind: NameKind) -> Name:
    return Name(full, kind, given, family, prov)


def _french_subjects() -> list[Subject]:
    prov = Provenance("FR-INT", _days_ago(2200), _days_ago(40))
    shared = Sharing(Distribution.PARTNER_GROUP, CT_GROUP, HandlingCode.H2)
    adnane = Subject(
        id=STORY.subject,
        agency="FR-INT",
        names=[
            _name("Adnane Kessaci", "Adnane", "Kessaci", prov, NameKind.PRIMARY),
            _name("عدنان قصاصي", "عدنان", "قصاصي", prov, NameKind.ALIAS),
            Name("Abou Walid", NameKind.WEAK_ALIAS, provenance=prov),
        ],
        birth_dates=[BirthDate(PartialDate(_BIRTH.year, _BIRTH.month, _BIRTH.day), prov)],
        birth_places=[Value("Lille", prov)],
        nationalities=[Value("FR", prov), Value("DZ", prov)],
        gender=Gender.MALE,
        documents=[IdentityDocument("19FR52817", DocumentType.PASSPORT, "FR", provenance=prov)],
        phones=[Value("+33 612004417", prov)],
        addresses=[Value("14 rue des Lilas, Lille", prov)],
        concern=ConcernLevel.HIGH,
        action_on_hit=ActionOnHit.DISCREET_CHECK,
        status=SubjectStatus.ACTIVE,
        legal_basis="FR security act, art. 12 (synthetic)",
        review_date=(AS_OF + timedelta(days=90)).date(),
        sharing=shared,
        notes="Left for Syria in 2024 (fictional). Believed to be there still.",
    )
    brother_prov = Provenance("FR-INT", _days_ago(2600), _days_ago(730))
    walid = Subject(
        id=STORY.brother,
        agency="FR-INT",
        names=[
            _name("Walid Kessaci", "Walid", "Kessaci", brother_prov, NameKind.PRIMARY),
            _name("وليد قصاصي", "وليد", "قصاصي", brother_prov, NameKind.ALIAS),
        ],
        birth_dates=[BirthDate(PartialDate(1987, 11, 23), brother_prov)],
        birth_places=[Value("Lille", brother_prov)],
        nationalities=[Value("FR", brother_prov)],
        gender=Gender.MALE,
        documents=[
            IdentityDocument("17FR30958", DocumentType.PASSPORT, "FR", provenance=brother_prov)
        ],
        phones=[Value("+33 612004417", brother_prov)],  # the same phone as his brother
        concern=ConcernLevel.MEDIUM,
        action_on_hit=ActionOnHit.NOTIFY_ONLY,
        status=SubjectStatus.DORMANT,
        legal_basis="FR security act, art. 12 (synthetic)",
        review_date=(AS_OF - timedelta(days=365)).date(),
        sharing=Sharing(Distribution.OWN_AGENCY, None, HandlingCode.H2),
        notes="Surveillance stopped two years ago: judged no longer dangerous.",
    )
    return [adnane, walid]


def _us_subjects() -> list[Subject]:
    prov = Provenance("US-SEC", _days_ago(500), _days_ago(20))

    def listed(id_: str, given: str, born: PartialDate, notes: str) -> Subject:
        return Subject(
            id=id_,
            agency="US-SEC",
            names=[_name(f"{given} Qassasi", given, "Qassasi", prov, NameKind.PRIMARY)],
            birth_dates=[BirthDate(born, prov)],
            nationalities=[Value("FR", prov)],
            gender=Gender.MALE,
            concern=ConcernLevel.HIGH,
            action_on_hit=ActionOnHit.REFUSE_ENTRY,
            legal_basis="No-fly list entry (synthetic)",
            review_date=(AS_OF + timedelta(days=365)).date(),
            sharing=Sharing(Distribution.PARTNER_GROUP, CT_GROUP, HandlingCode.H1),
            notes=notes,
        )

    return [
        listed(STORY.us_subject, "Adnan", PartialDate(1991), "No-fly. Travelled to Syria."),
        listed(STORY.us_brother, "Walid", PartialDate(1987, 11), "No-fly. Brother of Adnan."),
    ]


def _stolen_batch() -> StolenBatch:
    return StolenBatch(STORY.stolen_batch, "DE-BKA", "SY", "XS", 4_210_300, 500, _days_ago(420))


def _encounters() -> list[Encounter]:
    def entry(id_: str, person: PresentedPerson, number: str, at: datetime) -> Encounter:
        document = IdentityDocument(number, DocumentType.PASSPORT, "SY")
        return Encounter(
            id_, EncounterKind.BORDER_ENTRY, "GR-BORDER", at, "GR", person, document,
            "Leros hotspot", "TR", "GR", STORY.group_ref,
        )  # fmt: skip

    landed = _days_ago(9)
    adnan = PresentedPerson(
        ["Adnan Qassasi"], "Adnan", "Qassasi", PartialDate(1991, 9, 4), "SY", Gender.MALE
    )
    companion = PresentedPerson(
        ["Hamza Saleh"], "Hamza", "Saleh", PartialDate(1994, 2, 17), "SY", Gender.MALE
    )
    hotel_guest = PresentedPerson(["Adnan Qassasi"], "Adnan", "Qassasi", None, "SY", Gender.MALE)
    hotel = Encounter(
        STORY.hotel, EncounterKind.HOTEL_REGISTRATION, "BE-POL", _days_ago(2), "BE",
        hotel_guest, IdentityDocument(STORY.stolen_passport, DocumentType.PASSPORT, "SY"),
        "Hotel, Charleroi", "GR", "BE",
    )  # fmt: skip
    return [
        entry(STORY.greek_entry, adnan, STORY.stolen_passport, landed),
        entry(STORY.companion_entry, companion, STORY.companion_passport, landed),
        hotel,
    ]


def _decisions() -> list[Decision]:
    return [
        Decision(
            STORY.subject_start, STORY.subject, DecisionKind.START,
            "Left for Syria; contacts with a combat group (fictional).", "fr.supervisor",
            "FR-INT", _days_ago(700), ConcernLevel.HIGH, "FR security act, art. 12",
            (AS_OF + timedelta(days=90)).date(),
        ),
        Decision(
            STORY.brother_start, STORY.brother, DecisionKind.START,
            "Contacts with a recruiter; travel plans to Syria (fictional).", "fr.supervisor",
            "FR-INT", _days_ago(2600), ConcernLevel.MEDIUM, "FR security act, art. 12",
            (AS_OF - timedelta(days=2235)).date(),
        ),
        Decision(
            STORY.brother_stop, STORY.brother, DecisionKind.STOP,
            "No new signs in six months; judged no longer dangerous; officers reassigned.",
            "fr.supervisor", "FR-INT", _days_ago(730), None, "FR security act, art. 12",
            (AS_OF - timedelta(days=365)).date(), STORY.brother_start,
        ),
    ]  # fmt: skip


def _requests() -> list[InfoRequest]:
    asked = _days_ago(150)
    question = (
        "We hold travel records of a French national, Adnane Kessaci (born 1991), crossing "
        "into Syria. Is he known to you? Please advise on his status."
    )
    return [
        InfoRequest(
            STORY.turkish_request, "TR-INT", "FR-INT", "Adnane Kessaci: known to you?",
            RequestPriority.HIGH, asked, asked + timedelta(days=14),
            subject_id=STORY.subject,
            messages=[RequestMessage("TR-INT", "tr.liaison", asked, question)],
        )
    ]  # fmt: skip


def demo_world(synthetic_subjects: int = 6000, seed: int = DEMO_SEED) -> DemoWorld:
    """The demo world; ``synthetic_subjects`` fill the lists (about a third land on FR-INT)."""
    batch = _stolen_batch()
    brothers = LinkKind.FAMILY
    links = [
        Link(STORY.subject, STORY.brother, brothers, "FR-INT", 1.0, "brothers", _days_ago(2200)),
        Link(STORY.us_subject, STORY.us_brother, brothers, "US-SEC", 0.9, "brothers"),
    ]
    return DemoWorld(
        agencies=AGENCIES,
        partner_groups=PARTNER_GROUPS,
        subjects=(*_french_subjects(), *_us_subjects(), batch.as_subject()),
        links=tuple(links),
        encounters=tuple(_encounters()),
        decisions=tuple(_decisions()),
        requests=tuple(_requests()),
        synthetic=generate(seed, synthetic_subjects, 0, prefix="demo-syn-", stolen_batches=0),
        story=STORY,
        users=tuple(DEMO_USERS),
    )
