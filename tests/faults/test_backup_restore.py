"""The backup drill of docs/production.md, run for real: `pg_dump -Fc` of the database,
`pg_restore` into a new database, `manage.py check_integrity` passes there (timelines, the
funds' ledger, the audit trail), and the dump alone
does not reveal a registration number (only the field keys, kept apart from the dump, open it)."""

from __future__ import annotations

import subprocess
import uuid

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.db import connection

from maeul.accounts.models import AuditRecord
from maeul.cases.services import linkage_propose
from maeul.funds.models import LedgerEntry
from maeul.funds.services import disbursement_record, donation_record, fund_create
from maeul.people.identity import decrypt
from maeul.people.models import Resident, TimelineEvent
from maeul.people.services import resident_fill
from tests.factories import HouseholdFactory
from tests.faults.pg import manage, needs_postgresql, pg_args, pg_env, pg_tool

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]

RRN = "900101-2345678"


def run(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=pg_env(), capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done


def test_dump_restore_check_integrity_and_keys_kept_apart(tmp_path, dong_a, official):
    household = HouseholdFactory(dong=dong_a, head="홍길동")
    spouse = resident_fill(
        Resident(household=household, name="홍길순", name_key="홍길순", relation="spouse"),
        rrn=RRN,
    )
    spouse.save()
    TimelineEvent.objects.create(
        household=household,
        dong=dong_a,
        kind="household_registered",
        occurred_at=household.created_at,
        subject_type="household",
        subject_id=household.pk,
        summary=str(household),
    )
    AuditRecord.objects.create(
        user=official,
        username=official.username,
        at=household.created_at,
        action="view",
        household_id=household.pk,
        path=f"/households/{household.pk}/",
    )
    # A fund's ledger: a cash donation in, a disbursement out (check_integrity balances it).
    fund = fund_create(actor=official, name="민간복지기금")
    donation_record(
        actor=official,
        fund=fund,
        kind="cash",
        donor_name="상인회",
        amount=100_000,
        received_on=household.created_at.date(),
        dong=dong_a,
    )
    linkage = linkage_propose(
        actor=official, household=household, kind="emergency_aid", description="긴급 생계비"
    )
    disbursement_record(
        actor=official, fund=fund, linkage=linkage, amount=60_000, on=household.created_at.date()
    )
    assert LedgerEntry.objects.count() == 2
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "maeul.dump"
    run(pg_tool("pg_dump"), *pg_args(), "--format=custom", f"--file={dump}", source)

    # The dump alone: the registration number is not in it, only its ciphertext and its keyed
    # blind index (names and addresses are, as in the database: docs/production.md).
    text = run(pg_tool("pg_restore"), "--file=-", str(dump)).stdout.decode()
    assert RRN not in text and RRN.replace("-", "") not in text
    assert spouse.rrn_encrypted in text and spouse.rrn_index in text
    with pytest.raises(InvalidToken):  # a thief's key (any key but the gu's) opens nothing
        Fernet(Fernet.generate_key()).decrypt(spouse.rrn_encrypted.encode())

    restored = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    run(pg_tool("createdb"), *pg_args(), restored)
    try:
        run(pg_tool("pg_restore"), *pg_args(), "--no-owner", f"--dbname={restored}", str(dump))
        checked = manage("check_integrity", database=restored)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "The database is consistent." in checked.stdout
        assert "ok    maeul.hub.audit_trail" in checked.stdout  # append-only trigger restored
        assert "ok    maeul.funds.checks" in checked.stdout  # the restored ledger balances
        # with the field keys (from the environment, never from the dump) it opens again
        token = (
            run(
                pg_tool("psql"),
                *pg_args(),
                "--no-psqlrc",
                "--tuples-only",
                "--no-align",
                f"--dbname={restored}",
                "--command",
                f"SELECT rrn_encrypted FROM people_resident WHERE id = {spouse.pk}",
            )
            .stdout.decode()
            .strip()
        )
        assert decrypt(token).replace("-", "") == RRN.replace("-", "")
    finally:
        subprocess.run(
            [pg_tool("dropdb"), *pg_args(), "--if-exists", restored], env=pg_env(), timeout=120
        )
