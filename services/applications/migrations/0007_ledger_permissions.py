"""Who may see and move money: finance builds batches, records the bank's results and
reverses paid entries; the district approver sees the ledger."""

from django.db import migrations

from services.roles import grant, revoke

LEDGER_VIEW = [
    "applications.view_ledgerentry", "applications.view_ledgerevent",
    "applications.view_paymentline",
]  # fmt: skip
ROLES = {
    "区总复审员": [*LEDGER_VIEW, "applications.view_paymentbatch"],
    "财务": [
        *LEDGER_VIEW, "applications.change_paymentbatch", "applications.reverse_ledgerentry",
    ],  # fmt: skip
}


def grant_roles(apps, schema_editor):
    grant(apps, ROLES)


def revoke_roles(apps, schema_editor):
    revoke(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [("applications", "0006_drop_replaced_columns")]
    operations = [migrations.RunPython(grant_roles, revoke_roles)]
