"""The language a user reads messages in, the payee bank card on the member (moved here from
each application by applications.0005), and reveal-log rows for searches that found nobody."""

import django.db.models.deletion
from django.db import migrations, models

import services.members.pii


class Migration(migrations.Migration):
    dependencies = [("members", "0004_member_id_number_masked")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                choices=[("zh-hans", "简体中文"), ("en", "English")], default="zh-hans",
                max_length=10, verbose_name="语言",
            ),
        ),
        migrations.AddField(
            model_name="member",
            name="bank_card",
            field=services.members.pii.EncryptedCharField(
                blank=True, default="", verbose_name="收款银行卡号"
            ),
        ),
        migrations.AddField(
            model_name="member",
            name="bank_card_index",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="member",
            name="bank_card_last4",
            field=models.CharField(
                blank=True, editable=False, max_length=4, verbose_name="银行卡尾号"
            ),
        ),
        migrations.AlterField(
            model_name="member",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="注册时间"),
        ),
        migrations.AlterField(
            model_name="piireveallog",
            name="member",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                to="members.member", verbose_name="职工",
            ),
        ),
    ]
