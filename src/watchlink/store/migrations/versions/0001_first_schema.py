"""The first schema: agencies, subjects and their values, links, casework and machinery.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 03:14:54.281867
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "agencies",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("officers", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_agencies")),
    )
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agencies_country"), ["country"], unique=False)

    op.create_table(
        "decisions",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("supersedes", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["supersedes"], ["decisions.id"], name=op.f("fk_decisions_supersedes_decisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decisions_subject_id_decided_at"),
            ["subject_id", "decided_at"],
            unique=False,
        )

    op.create_table(
        "encounters",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=True),
        sa.Column("origin_country", sa.String(length=2), nullable=True),
        sa.Column("destination_country", sa.String(length=2), nullable=True),
        sa.Column("group_ref", sa.String(length=200), nullable=True),
        sa.Column(
            "person_names", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("person_given", sa.Text(), nullable=True),
        sa.Column("person_family", sa.Text(), nullable=True),
        sa.Column("person_birth_date", sa.String(length=10), nullable=True),
        sa.Column("person_nationality", sa.String(length=2), nullable=True),
        sa.Column("person_gender", sa.String(length=32), nullable=True),
        sa.Column("person_birth_place", sa.Text(), nullable=True),
        sa.Column("document_number", sa.String(length=200), nullable=True),
        sa.Column("document_number_key", sa.String(length=200), nullable=True),
        sa.Column("document_type", sa.String(length=32), nullable=True),
        sa.Column("document_country", sa.String(length=2), nullable=True),
        sa.Column("document_status", sa.String(length=32), nullable=True),
        sa.Column("document_handling", sa.String(length=2), nullable=True),
        sa.Column("document_agency", sa.String(length=32), nullable=True),
        sa.Column("document_first_seen", sa.DateTime(), nullable=True),
        sa.Column("document_last_seen", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounters")),
    )
    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_encounters_agency_occurred_at"), ["agency", "occurred_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_encounters_document_number_key"), ["document_number_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_encounters_group_ref"), ["group_ref"], unique=False)

    op.create_table(
        "hits",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("encounter_id", sa.String(length=200), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column(
            "explanation", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column(
            "co_travellers",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hits")),
    )
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hits_encounter_id"), ["encounter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hits_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "info_requests",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("from_agency", sa.String(length=32), nullable=False),
        sa.Column("to_agency", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=True),
        sa.Column("hit_id", sa.String(length=200), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_info_requests")),
    )
    with op.batch_alter_table("info_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_info_requests_from_agency"), ["from_agency"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_info_requests_subject_id"), ["subject_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_info_requests_to_agency_state_deadline"),
            ["to_agency", "state", "deadline"],
            unique=False,
        )

    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("locked_by", sa.String(length=200), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_jobs_done_at_due_at"), ["done_at", "due_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_jobs_kind_due_at"), ["kind", "due_at"], unique=False)

    op.create_table(
        "labelled_pairs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("left_id", sa.String(length=200), nullable=False),
        sa.Column("right_id", sa.String(length=200), nullable=False),
        sa.Column(
            "left_record", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column(
            "right_record", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column("is_match", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("labelled_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labelled_pairs")),
    )
    with op.batch_alter_table("labelled_pairs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_labelled_pairs_left_id_right_id"), ["left_id", "right_id"], unique=False
        )

    op.create_table(
        "links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_subject", sa.String(length=200), nullable=False),
        sa.Column("target_subject", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_links")),
    )
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_links_source_subject"), ["source_subject"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_links_target_subject"), ["target_subject"], unique=False
        )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_delivered_at_next_attempt_at"),
            ["delivered_at", "next_attempt_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_recipient_created_at"), ["recipient", "created_at"], unique=False
        )

    op.create_table(
        "partner_groups",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_partner_groups")),
    )
    op.create_table(
        "subjects",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("gender", sa.String(length=32), nullable=True),
        sa.Column("concern", sa.Integer(), nullable=False),
        sa.Column("action_on_hit", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("distribution", sa.String(length=32), nullable=False),
        sa.Column("partner_group", sa.String(length=32), nullable=True),
        sa.Column("handling", sa.String(length=2), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subjects")),
    )
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subjects_agency_status"), ["agency", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subjects_distribution_partner_group"),
            ["distribution", "partner_group"],
            unique=False,
        )

    op.create_table(
        "hit_recipients",
        sa.Column("hit_id", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["hit_id"], ["hits.id"], name=op.f("fk_hit_recipients_hit_id_hits"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("hit_id", "agency", "role", name=op.f("pk_hit_recipients")),
    )
    with op.batch_alter_table("hit_recipients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hit_recipients_agency_delivered_at"),
            ["agency", "delivered_at"],
            unique=False,
        )

    op.create_table(
        "hit_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("hit_id", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("by_user", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("action_taken", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["hit_id"], ["hits.id"], name=op.f("fk_hit_reviews_hit_id_hits"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hit_reviews")),
    )
    with op.batch_alter_table("hit_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hit_reviews_hit_id_at"), ["hit_id", "at"], unique=False
        )

    op.create_table(
        "partner_group_members",
        sa.Column("group_code", sa.String(length=32), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_code"],
            ["partner_groups.code"],
            name=op.f("fk_partner_group_members_group_code_partner_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_code", "agency_code", name=op.f("pk_partner_group_members")),
    )
    with op.batch_alter_table("partner_group_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_group_members_agency_code"), ["agency_code"], unique=False
        )

    op.create_table(
        "request_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("by_agency", sa.String(length=32), nullable=False),
        sa.Column("by_user", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("handling", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_requests.id"],
            name=op.f("fk_request_messages_request_id_info_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_messages")),
    )
    with op.batch_alter_table("request_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_messages_request_id_position"),
            ["request_id", "position"],
            unique=False,
        )

    op.create_table(
        "subject_documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=200), nullable=False),
        sa.Column("number_key", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=True),
        sa.Column("last_seen", sa.DateTime(), nullable=True),
        sa.Column("handling", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_subject_documents_subject_id_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_documents")),
    )
    with op.batch_alter_table("subject_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subject_documents_number_key"), ["number_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subject_documents_subject_id_position"),
            ["subject_id", "position"],
            unique=False,
        )

    op.create_table(
        "subject_names",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("full", sa.Text(), nullable=False),
        sa.Column("full_key", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("given", sa.Text(), nullable=True),
        sa.Column("family", sa.Text(), nullable=True),
        sa.Column("agency", sa.String(length=32), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=True),
        sa.Column("last_seen", sa.DateTime(), nullable=True),
        sa.Column("handling", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_subject_names_subject_id_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_names")),
    )
    with op.batch_alter_table("subject_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subject_names_full_key"), ["full_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_subject_names_subject_id_position"),
            ["subject_id", "position"],
            unique=False,
        )

    op.create_table(
        "subject_values",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("prop", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=True),
        sa.Column("last_seen", sa.DateTime(), nullable=True),
        sa.Column("handling", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_subject_values_subject_id_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_values")),
    )
    with op.batch_alter_table("subject_values", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subject_values_prop_value"), ["prop", "value"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subject_values_subject_id_prop_position"),
            ["subject_id", "prop", "position"],
            unique=False,
        )


def downgrade() -> None:
    """Drop the tables."""
    with op.batch_alter_table("subject_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_values_subject_id_prop_position"))
        batch_op.drop_index(batch_op.f("ix_subject_values_prop_value"))

    op.drop_table("subject_values")
    with op.batch_alter_table("subject_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_names_subject_id_position"))
        batch_op.drop_index(batch_op.f("ix_subject_names_full_key"))

    op.drop_table("subject_names")
    with op.batch_alter_table("subject_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_documents_subject_id_position"))
        batch_op.drop_index(batch_op.f("ix_subject_documents_number_key"))

    op.drop_table("subject_documents")
    with op.batch_alter_table("request_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_messages_request_id_position"))

    op.drop_table("request_messages")
    with op.batch_alter_table("partner_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_group_members_agency_code"))

    op.drop_table("partner_group_members")
    with op.batch_alter_table("hit_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hit_reviews_hit_id_at"))

    op.drop_table("hit_reviews")
    with op.batch_alter_table("hit_recipients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hit_recipients_agency_delivered_at"))

    op.drop_table("hit_recipients")
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subjects_distribution_partner_group"))
        batch_op.drop_index(batch_op.f("ix_subjects_agency_status"))

    op.drop_table("subjects")
    op.drop_table("partner_groups")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_recipient_created_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_delivered_at_next_attempt_at"))

    op.drop_table("outbox")
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_links_target_subject"))
        batch_op.drop_index(batch_op.f("ix_links_source_subject"))

    op.drop_table("links")
    with op.batch_alter_table("labelled_pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_labelled_pairs_left_id_right_id"))

    op.drop_table("labelled_pairs")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_kind_due_at"))
        batch_op.drop_index(batch_op.f("ix_jobs_done_at_due_at"))

    op.drop_table("jobs")
    with op.batch_alter_table("info_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_info_requests_to_agency_state_deadline"))
        batch_op.drop_index(batch_op.f("ix_info_requests_subject_id"))
        batch_op.drop_index(batch_op.f("ix_info_requests_from_agency"))

    op.drop_table("info_requests")
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hits_subject_id"))
        batch_op.drop_index(batch_op.f("ix_hits_encounter_id"))

    op.drop_table("hits")
    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_encounters_group_ref"))
        batch_op.drop_index(batch_op.f("ix_encounters_document_number_key"))
        batch_op.drop_index(batch_op.f("ix_encounters_agency_occurred_at"))

    op.drop_table("encounters")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_subject_id_decided_at"))

    op.drop_table("decisions")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agencies_country"))

    op.drop_table("agencies")
