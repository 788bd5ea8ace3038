"""The fictional agencies of the synthetic and demo worlds, and the partner group they form."""

from __future__ import annotations

from watchlink.model import Agency, AgencyKind, PartnerGroup

__all__ = ["AGENCIES", "CT_GROUP", "OWNER_WEIGHTS", "PARTNER_GROUPS", "agency"]

_I, _P, _B, _X = AgencyKind.INTELLIGENCE, AgencyKind.POLICE, AgencyKind.BORDER, AgencyKind.PARTNER

# Officers: staff available for monitoring. FR-INT is deliberately short of them.
AGENCIES: tuple[Agency, ...] = (
    Agency(
        "FR-INT", "French internal intelligence (fictional)", "FR", _I, "fr-int@example.org", 60
    ),
    Agency("FR-POL", "French national police (fictional)", "FR", _P, "fr-pol@example.org", 400),
    Agency("BE-INT", "Belgian state security (fictional)", "BE", _I, "be-int@example.org", 45),
    Agency("BE-POL", "Belgian federal police (fictional)", "BE", _P, "be-pol@example.org", 250),
    Agency(
        "DE-BKA", "German federal criminal police (fictional)", "DE", _P, "de-bka@example.org", 300
    ),
    Agency("NL-POL", "Dutch national police (fictional)", "NL", _P, "nl-pol@example.org", 200),
    Agency("GR-BORDER", "Greek border guard (fictional)", "GR", _B, "gr-border@example.org", 150),
    Agency(
        "TR-INT", "Turkish intelligence liaison (fictional)", "TR", _I, "tr-int@example.org", 80
    ),
    Agency("US-SEC", "US screening partner (fictional)", "US", _X, "us-sec@example.org", 120),
)

CT_GROUP = "CT-GROUP"

PARTNER_GROUPS: tuple[PartnerGroup, ...] = (
    PartnerGroup(
        CT_GROUP,
        "Counter-terrorism partner group",
        {"FR-INT", "BE-INT", "DE-BKA", "NL-POL", "GR-BORDER", "US-SEC"},
    ),
)

# How the synthetic subjects are spread over owners: the French list is by far the longest.
OWNER_WEIGHTS: dict[str, int] = {
    "FR-INT": 35,
    "FR-POL": 10,
    "BE-INT": 10,
    "BE-POL": 8,
    "DE-BKA": 12,
    "NL-POL": 7,
    "GR-BORDER": 3,
    "TR-INT": 8,
    "US-SEC": 7,
}

_BY_CODE = {a.code: a for a in AGENCIES}


def agency(code: str) -> Agency:
    """The agency with ``code`` (KeyError if it is not one of the world's)."""
    return _BY_CODE[code]
