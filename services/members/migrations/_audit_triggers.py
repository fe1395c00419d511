"""The audit log's rows can never change: on PostgreSQL a trigger refuses every UPDATE and
DELETE of a row, whatever role the application connects as (TRUNCATE is a privilege the
application's role is not given: README, "Security and operations"). On SQLite, the zero-setup
database of a first run, only UPDATE is refused: its test runner empties tables with DELETE.
SQLite also drops a table's triggers when a migration rebuilds it: a migration that alters
AuditEvent must run ``protect`` again (tests/services/members/test_audit.py fails otherwise).
"""

PG_SQL = """
CREATE OR REPLACE FUNCTION members_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER members_auditevent_append_only
    BEFORE UPDATE OR DELETE ON members_auditevent
    FOR EACH ROW EXECUTE FUNCTION members_auditevent_append_only();
"""
PG_UNDO = """
DROP TRIGGER IF EXISTS members_auditevent_append_only ON members_auditevent;
DROP FUNCTION IF EXISTS members_auditevent_append_only();
"""
SQLITE_SQL = [
    """CREATE TRIGGER members_auditevent_no_update BEFORE UPDATE ON members_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (UPDATE refused)'); END;""",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS members_auditevent_no_update;",
]


def protect(apps, schema_editor):
    statements = {"postgresql": [PG_SQL], "sqlite": SQLITE_SQL}.get(schema_editor.connection.vendor)
    for statement in statements or []:
        schema_editor.execute(statement, params=None)


def unprotect(apps, schema_editor):
    statements = {"postgresql": [PG_UNDO], "sqlite": SQLITE_UNDO}.get(
        schema_editor.connection.vendor
    )
    for statement in statements or []:
        schema_editor.execute(statement, params=None)




def protect_again(apps, schema_editor):
    """After a migration that altered the table: the trigger as it should be, on any database
    (PostgreSQL kept it, SQLite dropped it with the rebuilt table)."""
    unprotect(apps, schema_editor)
    protect(apps, schema_editor)
