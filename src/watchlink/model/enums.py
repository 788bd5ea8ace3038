"""The closed vocabularies of the domain, shared by code, API, UI and docs."""

from __future__ import annotations

from enum import IntEnum, StrEnum

__all__ = [
    "ActionOnHit",
    "AgencyKind",
    "AuditAction",
    "ConcernLevel",
    "DecisionKind",
    "Distribution",
    "DocumentStatus",
    "DocumentType",
    "EncounterKind",
    "Gender",
    "HandlingCode",
    "HitRecipientRole",
    "HitState",
    "LinkKind",
    "NameKind",
    "RequestPriority",
    "RequestState",
    "Role",
    "SubjectStatus",
]


class AgencyKind(StrEnum):
    INTELLIGENCE = "intelligence"
    POLICE = "police"
    BORDER = "border"
    PARTNER = "partner"


class NameKind(StrEnum):
    PRIMARY = "primary"
    ALIAS = "alias"
    WEAK_ALIAS = "weak_alias"
    BIRTH_NAME = "birth_name"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"


class DocumentType(StrEnum):
    PASSPORT = "passport"
    ID_CARD = "id_card"
    VISA = "visa"
    RESIDENCE_PERMIT = "residence_permit"
    DRIVING_LICENCE = "driving_licence"
    OTHER = "other"


class DocumentStatus(StrEnum):
    VALID = "valid"
    STOLEN = "stolen"
    LOST = "lost"
    FORGED = "forged"
    REVOKED = "revoked"

    @property
    def is_alarm(self) -> bool:
        """A stolen, lost or forged document is a hit on its own, whatever the name."""
        return self in (DocumentStatus.STOLEN, DocumentStatus.LOST, DocumentStatus.FORGED)


class ConcernLevel(IntEnum):
    """How worried the owning agency is; drives priority and monitoring workload."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4


class ActionOnHit(StrEnum):
    """What the desk that meets the person must do, mildest first."""

    NOTIFY_ONLY = "notify_only"
    DISCREET_CHECK = "discreet_check"
    SPECIFIC_CHECK = "specific_check"
    REFUSE_ENTRY = "refuse_entry"
    ARREST = "arrest"


class SubjectStatus(StrEnum):
    ACTIVE = "active"
    DORMANT = "dormant"
    CLOSED = "closed"


class Distribution(StrEnum):
    """Who may see a record, narrowest first. Unknown or missing means own agency."""

    OWN_AGENCY = "own_agency"
    OWN_COUNTRY = "own_country"
    PARTNER_GROUP = "partner_group"
    ALL_PARTNERS = "all_partners"


class HandlingCode(StrEnum):
    """Onward handling: H0 free within the distribution … H3 owner's eyes only."""

    H0 = "H0"
    H1 = "H1"
    H2 = "H2"
    H3 = "H3"


class LinkKind(StrEnum):
    FAMILY = "family"
    ASSOCIATE = "associate"
    CO_TRAVELLER = "co_traveller"
    SAME_IDENTITY = "same_identity"
    SHARED_IDENTIFIER = "shared_identifier"


class EncounterKind(StrEnum):
    BORDER_ENTRY = "border_entry"
    BORDER_EXIT = "border_exit"
    FLIGHT_BOOKING = "flight_booking"
    FERRY_BOOKING = "ferry_booking"
    VISA_APPLICATION = "visa_application"
    ASYLUM_REGISTRATION = "asylum_registration"
    POLICE_CHECK = "police_check"
    HOTEL_REGISTRATION = "hotel_registration"


class HitState(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class HitRecipientRole(StrEnum):
    """Why an agency receives a hit."""

    OWNER = "owner"
    REPORTER = "reporter"
    DESTINATION = "destination"


class RequestPriority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"


class RequestState(StrEnum):
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class DecisionKind(StrEnum):
    START = "start"
    CHANGE_LEVEL = "change_level"
    SUSPEND = "suspend"
    STOP = "stop"
    REOPEN_FOR_REVIEW = "reopen_for_review"


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    LIAISON_OFFICER = "liaison_officer"
    BORDER_OFFICER = "border_officer"
    AUDITOR = "auditor"


class AuditAction(StrEnum):
    READ = "read"
    SEARCH = "search"
    SCREEN = "screen"
    EXPORT = "export"
    WRITE = "write"
    LOGIN = "login"
    AUDIT_READ = "audit_read"
