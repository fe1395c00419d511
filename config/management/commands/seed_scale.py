"""A district-scale data set for performance work: ``manage.py seed_scale``.

钱塘区 counts about 140,000 workers in its key enterprises, and its union pays tens of
thousands of mutual-aid claims and makes tens of thousands of visits a year (the 2023 report:
40,195 workers helped by mutual aid, 45,928 reached by summer visits). Pages, exports and
statistics that are quick with a handful of demo rows must stay quick at that size, so this
command builds a repeatable data set of that size to measure them against, on PostgreSQL
(SQLite works too, slower). By default it builds:

- 2,000 enterprises over the seven streets, most with a grassroots union, and 200,000 workers
  with their logins, records and consents: realistic names, valid resident ID numbers of
  Zhejiang (encrypted and blind-indexed by the portal's own field and ``pii`` helpers),
  unique mobiles, about seven in ten union members with membership numbers, gig workers
  (新就业形态), online join requests;
- 100,000 applications over the last three program years, in every status of their workflow
  with the audit trail and inbox messages each step writes: 60,000 to the tuition and
  skill-award programs (``seed_programs``; skill awards with verified certificates) and
  **40,000 mutual-aid claims, counted within the 100,000** (``--claims`` of
  ``--applications``), with their rosters, cover, claim details and invoices
  (``seed_mutual_aid``); ledger entries and events for the approved and paid ones and the
  payment batches that paid them;
- 50,000 hardship visit records (two in five at households, with cash handed over through
  the ledger; the rest batch visits to enterprises) in three campaigns a year, over a
  register whose newer files came through requests on the portal;
- this year's 35 courses (``seed_courses``) with 2,000 enrolments, attendance and completions;
- three published annual reports: the shipped 2023 one and the next two years made with the
  report services, their figures taken live from these records.

The same ``--seed`` on the same ``--today`` gives the same data (the printed fingerprint says
so; ciphertexts and ids are not part of it). Everything is written with ``bulk_create`` in
batches inside one transaction, so a failed run leaves nothing; only programs, plans,
courses, campaigns and reports go through their services. Every login gets one password hash,
of the demo password. It refuses to run in production, and on a database that already holds
workers other than the demo ones unless ``--force`` is given. Proof files, certificate
images and roster spreadsheets are recorded but not written to storage: opening one is a 404,
as for a file that is missing.
"""

import os
import time
from datetime import date
from decimal import ROUND_UP, Decimal
from random import Random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone, translation

from config.management.commands.demo_setup import DEMO_PASSWORD
from config.scale import claims, courses, hardship, people, programs, reports
from config.scale.base import Context, Writer, given_times
from config.scale.payments import Payments
from config.scale.progress import Progress
from reports.models import AnnualReport
from services.applications.models import (
    Application,
    Attachment,
    LedgerEntry,
    LedgerEvent,
    Notification,
    PaymentBatch,
    PaymentLine,
    Program,
    StatusChange,
)
from services.courses.models import Attendance, Enrollment
from services.hardship.models import (
    CampaignTarget,
    EnterpriseVisit,
    HardshipFile,
    HelpRequest,
    HouseholdVisit,
)
from services.members.models import (
    ConsentRecord,
    Enterprise,
    GrassrootsUnion,
    JoinRequest,
    Member,
    SkillCertificate,
    User,
)
from services.mutual_aid.models import ClaimDetails, ClaimInvoice, Coverage, RosterImport
from services.tuition.models import SkillAwardRequest, TuitionRequest

# demo_setup's workers all have mobiles 1380000xxxx; the generated ones never do.
DEMO_MOBILES = "1380000"
NUMBERS = ("members", "applications", "claims", "visits", "enrolments")
WRITTEN = [
    User, Member, ConsentRecord, JoinRequest, Enterprise, GrassrootsUnion, SkillCertificate,
    Application, TuitionRequest, SkillAwardRequest, Attachment, StatusChange, Notification,
    LedgerEntry, LedgerEvent, PaymentBatch, PaymentLine, RosterImport, Coverage, ClaimDetails,
    ClaimInvoice, HelpRequest, HardshipFile, CampaignTarget, HouseholdVisit, EnterpriseVisit,
    Enrollment, Attendance,
]  # fmt: skip


class Command(BaseCommand):
    help = "Build a repeatable district-scale data set for performance work (never production)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
        parser.add_argument("--members", type=int, default=200_000)
        parser.add_argument("--enterprises", type=int, default=None,
                            help="enterprises (default: one per 100 members)")  # fmt: skip
        parser.add_argument("--applications", type=int, default=100_000,
                            help="applications in all, mutual-aid claims included")  # fmt: skip
        parser.add_argument("--claims", type=int, default=40_000,
                            help="of the applications, how many are mutual-aid claims")  # fmt: skip
        parser.add_argument("--visits", type=int, default=50_000)
        parser.add_argument("--enrolments", type=int, default=2_000)
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="the day the data is anchored on (YYYY-MM-DD; today)")  # fmt: skip
        parser.add_argument("--batch-size", type=int, default=5_000)
        parser.add_argument("--force", action="store_true",
                            help="add to a database that already holds workers")  # fmt: skip

    def handle(self, *args, **options):
        self._refuse(options)
        started = time.perf_counter()
        self.timings: list[tuple[str, float]] = []
        today = options["today"] or timezone.localdate()
        ctx = Context(
            rng=Random(options["seed"]), today=today, writer=Writer(options["batch_size"]),
            password=make_password(DEMO_PASSWORD),  # hashed once, for every login
        )  # fmt: skip
        ctx.payments = Payments(ctx)
        self.ctx = ctx
        with translation.override(settings.LANGUAGE_CODE), given_times(WRITTEN):
            with transaction.atomic():
                self._build(ctx, options)
                committing = time.perf_counter()
            # PostgreSQL checks the deferred foreign keys of every row written here.
            self.timings.append(("commit", time.perf_counter() - committing))
        if connection.vendor == "postgresql":
            self._phase("analyze", 1, lambda p: self._analyze())
        self._summary(ctx, time.perf_counter() - started)

    def _refuse(self, options) -> None:
        if (
            settings.PRODUCTION
            or os.environ.get("DJANGO_ENV") == "production"
            or not settings.PORTAL_DEMO_MODE
        ):
            raise CommandError("scale data is never created in production")
        if options["today"] and options["today"] > timezone.localdate():
            raise CommandError("--today cannot be in the future: nothing recorded is")
        if options["claims"] > options["applications"]:
            raise CommandError("--claims counts within --applications: it cannot be larger")
        if any(options[name] < 0 for name in NUMBERS):
            raise CommandError("the numbers cannot be negative")
        others = Member.objects.exclude(mobile__startswith=DEMO_MOBILES)
        if not options["force"] and others.exists():
            raise CommandError(
                f"the database already holds {others.count():,} workers besides the demo ones; "
                "use a fresh database, or --force to add to them"
            )

    def _build(self, ctx, options) -> None:
        people.load_streets(ctx)
        if not ctx.streets:
            raise CommandError("no streets: run the migrations first")
        ctx.staff = people.staff_accounts(ctx)
        enterprises = options["enterprises"]
        if enterprises is None:
            enterprises = max(1, options["members"] // 100)
        federations = self._phase(
            "organisations", enterprises, lambda p: people.organisations(ctx, enterprises)
        )
        self._phase("members", options["members"],
                    lambda p: people.members(ctx, options["members"], federations, p))  # fmt: skip
        study = options["applications"] - options["claims"]
        self._phase("applications", study,
                    lambda p: programs.applications(ctx, study, ctx.payments, p))  # fmt: skip
        plans = claims.plans(ctx)
        covered = self._phase("mutual-aid cover", len(plans),
                              lambda p: claims.coverage(ctx, plans, p))  # fmt: skip
        self._phase(
            "mutual-aid claims", options["claims"],
            lambda p: claims.claims(ctx, options["claims"], plans, covered, ctx.payments, p),
        )  # fmt: skip
        homes = options["visits"] * 2 // 5
        files = self._phase("hardship register", hardship.register_size(homes),
                            lambda p: hardship.register(ctx, homes, p))  # fmt: skip
        self._phase(
            "hardship visits", options["visits"],
            lambda p: hardship.campaigns(ctx, files, homes, options["visits"] - homes,
                                         ctx.payments, p),
        )  # fmt: skip
        self._phase(
            "course enrolments", options["enrolments"],
            lambda p: courses.enrolments(ctx, options["enrolments"], ctx.payments, p),
        )  # fmt: skip
        self._phase("payment batches", len(ctx.payments.batches),
                    lambda p: ctx.payments.write_batches())  # fmt: skip
        self._phase("budgets", 1, lambda p: self._budgets(ctx))
        self._phase("sequences", 1, lambda p: ctx.writer.reset_sequences())
        self._phase("annual reports", 3, lambda p: reports.annual_reports(ctx))

    def _phase(self, name: str, total: int, work):
        progress = Progress(self.stdout, name, total)
        result = work(progress)
        self.ctx.writer.flush()  # the phase's last rows count in its time
        self.timings.append((name, progress.finish()))
        return result

    def _budgets(self, ctx) -> None:
        """Budgets sized to what was decided: the services refuse a decision over the budget,
        and each program keeps a fifth to spare so that new applications can still be made."""
        ctx.writer.flush()
        years = ctx.years
        for program in Program.objects.filter(year__in=years):
            used = program.ledger_entries.exclude(status="reversed").aggregate(s=Sum("amount"))
            total = used["s"] or Decimal(0)
            if program.kind == "campaign" and hasattr(program, "campaign"):
                visits = program.campaign.enterprise_visits.aggregate(s=Sum("cash_total"))
                total += visits["s"] or Decimal(0)
            needed = (total * Decimal("1.2") / 10_000).quantize(Decimal(1), ROUND_UP) * 10_000
            if needed > program.budget:
                Program.objects.filter(pk=program.pk).update(budget=needed)

    def _analyze(self) -> None:
        """Fresh planner statistics, as autovacuum would gather them later."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def _summary(self, ctx, seconds: float) -> None:
        out = self.stdout
        out.write("")
        out.write("phase                       seconds")
        for name, spent in self.timings:
            out.write(f"  {name:<24} {spent:8.1f}")
        out.write("")
        out.write("table                                   rows    (written by the seed)")
        grand = 0
        for model in WRITTEN + [Program, AnnualReport]:
            rows = model._default_manager.count()
            written = ctx.writer.written.get(model, 0)
            grand += written
            out.write(f"  {model._meta.label:<32} {rows:>10,}  ({written:,})")
        out.write(f"  {'rows written':<32} {grand:>10,}")
        out.write(f"published reports: {AnnualReport.objects.published().count()}")
        out.write(f"fingerprint: {ctx.fingerprint.hexdigest()}")
        out.write(f"total: {seconds:.1f} s")
