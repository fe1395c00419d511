"""Join-request events now live in the shared audit table (moved by applications.0005)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_language_bank_card"),
        ("applications", "0005_move_to_engine_and_ledger"),
    ]
    operations = [migrations.DeleteModel(name="JoinRequestEvent")]
