"""The shared engine's audit rows for any kind of application, messages translated when
shown, program types from the registry, and the money ledger with payment lines.

Columns are added here; applications.0005 moves the existing data into them and
applications.0006 drops what they replace."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import services.applications.registry


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_program_workflow_kind"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0005_language_bank_card"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # -- status changes of any application ----------------------------------------------
        migrations.AddField(
            model_name="statuschange",
            name="content_type",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="statuschange", name="object_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="statuschange", name="workflow",
            field=models.CharField(default="two_stage", max_length=30, verbose_name="流程"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="statuschange", name="step",
            field=models.CharField(blank=True, max_length=40, verbose_name="步骤"),
        ),
        migrations.AddField(
            model_name="statuschange", name="role",
            field=models.CharField(blank=True, max_length=30, verbose_name="身份"),
        ),
        migrations.AddField(
            model_name="statuschange", name="amount_before",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="原金额（元）"
            ),
        ),
        migrations.AddField(
            model_name="statuschange", name="amount_after",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="新金额（元）"
            ),
        ),
        migrations.AlterField(
            model_name="statuschange", name="from_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="statuschange", name="to_status",
            field=models.CharField(max_length=20, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="statuschange", name="application",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                to="applications.application",
            ),
        ),
        # -- messages ---------------------------------------------------------------------------
        migrations.AddField(
            model_name="notification", name="message",
            field=models.CharField(default="", max_length=500, verbose_name="内容"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification", name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="notification", name="link",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="notification", name="content_type",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                related_name="+", to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="notification", name="object_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        # -- applications, proofs and programs --------------------------------------------------
        migrations.AddField(
            model_name="application", name="single_slot",
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.AlterField(
            model_name="application", name="status",
            field=models.CharField(default="draft", editable=False, max_length=20, verbose_name="状态"),
        ),
        migrations.AlterField(
            model_name="application", name="requested_amount",
            field=models.DecimalField(
                decimal_places=2, editable=False, max_digits=10, verbose_name="按规则计算金额（元）"
            ),
        ),
        migrations.AlterField(
            model_name="application", name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间"),
        ),
        migrations.AddField(
            model_name="attachment", name="uploaded_by",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL,
                related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="上传人",
            ),
        ),
        migrations.AlterField(
            model_name="attachment", name="kind",
            field=models.CharField(max_length=20, verbose_name="材料类型"),
        ),
        migrations.AlterField(
            model_name="program", name="kind",
            field=models.CharField(
                choices=services.applications.registry.kind_choices, max_length=20,
                verbose_name="项目类型",
            ),
        ),
        migrations.AlterField(
            model_name="program", name="rule_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="规则参数"),
        ),
        migrations.AlterField(
            model_name="program", name="per_person_cap",
            field=models.DecimalField(
                decimal_places=2, help_text="同一项目同一年度各批次合计，按资金台账计算。",
                max_digits=10, validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="每人每年上限（元）",
            ),
        ),
        migrations.RemoveField(model_name="program", name="workflow_kind"),
        # -- payment batches ----------------------------------------------------------------------
        migrations.AddField(
            model_name="paymentbatch", name="program",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="payment_batches", to="applications.program", verbose_name="项目",
            ),
        ),
        migrations.AddField(
            model_name="paymentbatch", name="status",
            field=models.CharField(
                choices=[
                    ("built", "已生成，待导出"), ("exported", "已导出，待录入银行结果"),
                    ("closed", "已完成"),
                ],
                default="built", max_length=10, verbose_name="状态",
            ),
        ),
        migrations.AddField(
            model_name="paymentbatch", name="exported_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="首次导出时间"),
        ),
        migrations.AddField(
            model_name="paymentbatch", name="closed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="完成时间"),
        ),
        migrations.AlterField(
            model_name="paymentbatch", name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="生成时间"),
        ),
        migrations.AlterModelOptions(
            name="paymentbatch",
            options={
                "ordering": ["-created_at", "-id"], "verbose_name": "发放批次",
                "verbose_name_plural": "发放批次",
            },
        ),
        # -- the ledger -------------------------------------------------------------------------------
        migrations.CreateModel(
            name="LedgerEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("source_id", models.PositiveBigIntegerField()),
                ("purpose", models.CharField(max_length=120, verbose_name="款项")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=10, verbose_name="金额（元）")),
                ("status", models.CharField(choices=[("reserved", "待发放"), ("in_batch", "发放中"), ("paid", "已发放"), ("reversed", "已冲销")], default="reserved", max_length=10, verbose_name="状态")),
                ("failures", models.PositiveSmallIntegerField(default=0, verbose_name="退回次数")),
                ("last_failure", models.CharField(blank=True, max_length=200, verbose_name="最近一次银行退回原因")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="核定时间")),
                ("paid_at", models.DateTimeField(blank=True, null=True, verbose_name="发放时间")),
                ("reversed_at", models.DateTimeField(blank=True, null=True, verbose_name="冲销时间")),
                ("reversal_reason", models.CharField(blank=True, max_length=300, verbose_name="冲销原因")),
                ("created_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="核定人")),
                ("member", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="ledger_entries", to="members.member", verbose_name="职工")),
                ("program", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="ledger_entries", to="applications.program", verbose_name="项目")),
                ("reversed_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="冲销人")),
                ("source_type", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype")),
            ],
            options={
                "verbose_name": "资金台账", "verbose_name_plural": "资金台账",
                "ordering": ["-created_at", "-id"],
                "permissions": [("reverse_ledgerentry", "可以冲销资金台账（须写明原因）")],
                "indexes": [
                    models.Index(fields=["member", "year"], name="ledger_member_year"),
                    models.Index(fields=["program", "status"], name="ledger_program_status"),
                ],
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("status", "reversed"), _negated=True), fields=("source_type", "source_id"), name="one_live_entry_per_source"),
                    models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="ledger_amount_positive"),
                ],
            },
        ),
        migrations.CreateModel(
            name="PaymentLine",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sequence", models.PositiveIntegerField(verbose_name="序号")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=10, verbose_name="金额（元）")),
                ("result", models.CharField(choices=[("pending", "待银行结果"), ("paid", "成功"), ("failed", "失败")], default="pending", max_length=10, verbose_name="银行结果")),
                ("bank_note", models.CharField(blank=True, max_length=200, verbose_name="银行说明")),
                ("recorded_at", models.DateTimeField(blank=True, null=True, verbose_name="录入时间")),
                ("batch", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="lines", to="applications.paymentbatch", verbose_name="批次")),
                ("entry", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="lines", to="applications.ledgerentry", verbose_name="台账")),
                ("recorded_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="录入人")),
            ],
            options={
                "verbose_name": "发放明细", "verbose_name_plural": "发放明细",
                "ordering": ["batch", "sequence"],
                "constraints": [
                    models.UniqueConstraint(fields=("batch", "sequence"), name="line_sequence_in_batch"),
                    models.UniqueConstraint(fields=("batch", "entry"), name="entry_once_per_batch"),
                    models.UniqueConstraint(condition=models.Q(("result", "pending")), fields=("entry",), name="one_pending_line_per_entry"),
                ],
            },
        ),
        migrations.CreateModel(
            name="LedgerEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(choices=[("reserve", "核定"), ("correct", "更正金额"), ("batch", "编入发放批次"), ("paid", "银行发放成功"), ("failed", "银行退回，重新排队"), ("reverse", "冲销")], max_length=10, verbose_name="操作")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=10, verbose_name="金额（元）")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                ("actor", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="操作人")),
                ("batch", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="applications.paymentbatch", verbose_name="发放批次")),
                ("entry", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="events", to="applications.ledgerentry", verbose_name="台账")),
            ],
            options={"verbose_name": "台账记录", "verbose_name_plural": "台账记录", "ordering": ["at", "id"]},
        ),
    ]
