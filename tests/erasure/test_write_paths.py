"""Every way the code writes a tracked model leaves history; no code writes around it."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from common.history_guard import history_models
from consents import services as consent_services
from consents.models import Consent, ConsentState
from subjects import services as subject_services
from subjects.models import ContactHandle, Subject
from tests.consents.factories import ConsentFactory, purpose
from tests.subjects.factories import SubjectFactory

ROOT = Path(__file__).resolve().parents[2]

# Reviewed places that write set-based: the erasure door (blanks values, common.blanking and the
# guard's door function) and commands that only touch roles and grants.
REVIEWED = (
    "common/blanking.py",
    "common/history_guard.py",
    "erasure/services.py",
    "erasure/management/commands/harden_database_roles.py",
    # Key rotation re-encrypts ciphertext in place (table and history, through the door): the
    # values do not change, so no history row is due.
    "common/key_rotation.py",
    # The mailing-list import writes set-based (COPY, INSERT ... SELECT) and writes the history
    # rows in the same statements; tests/imports check them field by field.
    "imports/services/postgres.py",
    # An admin import's progress (rows read, written, rejected) written from a second connection
    # while the import runs: counters, no personal data; the record's states and its report are
    # saved with history. Also an advisory lock and a read of the files waiting (for erasure).
    "imports/services/queued.py",
    # Rejected rows that name an erased person, read by the server for erasure: no write.
    "imports/selectors.py",
    # Tables that are not the project's (Django's admin log) and a catalog read: no history.
    "common/outside_tables.py",
    # Advisory locks: no table is written.
    "common/locks.py",
    # The job queue's own table (Procrastinate's, no history): erasure deletes mail jobs there.
    "common/jobs.py",
    # The system check reads the database's clock for Asia/Almaty: no table is written.
    "common/checks.py",
    # Affected subjects of a breach, in bulk: links and history in one INSERT ... SELECT;
    # tests/incidents check the history rows field by field.
    "incidents/postgres.py",
    # The Tilda webhook stores a submission and its history row in one statement;
    # tests/webforms/test_storing.py compares that row with simple-history's.
    "webforms/storing.py",
    # The one-click unsubscribe withdraws, suppresses and writes their history rows in one
    # statement (tests/consents/test_unsubscribe_cost.py compares them with the services'); the
    # link's target is read with one query, which writes nothing.
    "consents/unsubscribing.py",
    "consents/unsubscribe.py",
    # The planner's row estimate for the admin lists: an EXPLAIN, which writes nothing.
    "common/pagination.py",
    # A subject's merged history: the ORM's compiled UNION, read (SELECT) with a page's limits.
    "subjects/history.py",
    # The mailing list read through a server-side cursor (the ORM's compiled SELECT): no write.
    "consents/selectors.py",
    # The digests kept beside e-mails and phones, filled for rows written in SQL (the migration
    # that adds them, the demo data set): derived from values already in the row and in its
    # history, so no history row is due; the trigger is created here too.
    "subjects/contact_digests.py",
    # The subject search's own table: a copy of the subject's fields for the search, with no
    # history of its own, filled by INSERT ... SELECT for subjects an import created; the
    # transaction-local setting that defers it is a set_config.
    "subjects/search.py",
    # The made-up benchmark register (only into an empty one): set-based, with the history rows
    # of every subject, consent and request in the same transaction; tests/demo check them.
    "demo/dataset.py",
)


def _sources(root: Path) -> list[Path]:
    skip = {".venv", "tests", "migrations", "bench", "var", "locale", "locale_vendor"}
    return [p for p in root.rglob("*.py") if not skip & set(p.relative_to(root).parts)]


def suspect_calls(path: Path, root: Path) -> list[str]:
    """Queryset .update(), .raw(), cursor.execute(), import-export bulk mode: writes that skip
    history unless the code writes it itself."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        where = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = ast.unparse(node.func.value)
            on_queryset = any(p in receiver for p in ("objects", "filter(", "exclude(", "history"))
            if (node.func.attr == "update" and on_queryset) or node.func.attr in {
                "raw", "execute", "executemany", "bulk_update",
            }:  # fmt: skip
                found.append(f"{where}: {ast.unparse(node)[:80]}")
        if isinstance(node, ast.Assign) and any(ast.unparse(t) == "use_bulk" for t in node.targets):
            found.append(f"{where}: use_bulk")
    return found


def test_no_code_writes_tracked_models_around_their_history():
    suspects = [
        call
        for path in _sources(ROOT)
        for call in suspect_calls(path, ROOT)
        if not call.startswith(REVIEWED)
    ]

    assert suspects == []


def test_the_scan_sees_forbidden_writes(tmp_path):
    (tmp_path / "probe.py").write_text(
        "Subject.objects.filter(pk=1).update(city='x')\n"
        "Subject.objects.raw('select 1')\n"
        "class R:\n    use_bulk = True\n"
    )

    assert len(suspect_calls(tmp_path / "probe.py", tmp_path)) == 3


def _trail(model, pk) -> list[tuple[str, str, str | None]]:
    rows = model.history.filter(id=pk).order_by("history_date", "history_id")
    return [(h.history_type, h.history_change_reason, getattr(h.history_user, "username", None))
            for h in rows]  # fmt: skip


@pytest.mark.django_db
def test_service_writes_leave_one_history_row_each_with_user_and_reason(officer):
    subject = subject_services.subject_create(
        actor=officer, reason="create", data={"source": "email", "email": "w@example.com"}
    )
    subject_services.subject_update(
        subject=subject, actor=officer, reason="update", data={"city": "Алматы"}
    )
    handle = subject_services.handle_add(
        subject=subject, actor=officer, reason="add", kind="telegram", value="@w"
    )
    handle_id = handle.pk  # delete() clears it
    subject_services.handle_remove(handle=handle, actor=officer, reason="remove")
    consent = consent_services.consent_give(
        subject=subject, purpose=purpose("newsletter"), method="email", actor=officer, reason="give"
    )
    consent_services.consent_withdraw(
        subject=subject, purposes=None, channel="letter", actor=officer, reason="withdraw"
    )

    assert _trail(Subject, subject.pk) == [("+", "create", "officer"), ("~", "update", "officer")]
    assert _trail(ContactHandle, handle_id) == [("+", "add", "officer"), ("-", "remove", "officer")]
    assert _trail(Consent, consent.pk) == [("+", "give", "officer"), ("~", "withdraw", "officer")]


@pytest.mark.django_db
def test_admin_writes_leave_history_with_the_user_and_reason(officer_client):
    subject = SubjectFactory()
    consent = ConsentFactory(subject=subject, purpose=purpose("feedback"))

    officer_client.post(
        reverse("admin:consents_consent_changelist"),
        {"action": "withdraw", "_selected_action": [consent.pk], "confirm": "yes",
         "channel": "letter", "reason": "Letter of 1 May"},
    )  # fmt: skip
    officer_client.post(
        reverse("admin:consents_policyversion_add"),
        {"kind": "cookie_notice", "version_label": "c1", "published_at_0": "2026-11-01",
         "published_at_1": "10:00", "text_kk": "cookie", "change_reason": "Published"},
    )  # fmt: skip

    consent.refresh_from_db()
    assert consent.state == ConsentState.WITHDRAWN
    assert _trail(Consent, consent.pk)[-1] == ("~", "Letter of 1 May", "officer")
    from consents.models import PolicyVersion

    version = PolicyVersion.objects.get(version_label="c1")
    assert _trail(PolicyVersion, version.pk) == [("+", "Published", "officer")]


@pytest.mark.django_db
def test_no_history_row_anywhere_lacks_its_reason(officer):
    """Run the usual writes, then look at every history table: each row says why."""
    SubjectFactory.create_batch(3)
    ConsentFactory.create_batch(3)

    for model in history_models():
        assert not model.objects.filter(history_change_reason__isnull=True).exists(), model
        assert not model.objects.filter(history_change_reason="").exists(), model
