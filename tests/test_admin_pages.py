"""Every admin page of the project renders, and its query count does not grow with the rows."""

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib import admin
from django.urls import resolve, reverse

from consents import services as consent_services
from consents.models import (
    Consent,
    PolicyVersion,
    Purpose,
    RefusalGround,
    SuppressionEntry,
    SuppressionReason,
    WithdrawalChannel,
    WithdrawalRefusal,
)
from consents.suppression import suppression_add
from imports.models import ImportRun
from incidents.models import AffectedSubject, Incident, NotificationRule
from inquiries.models import AuthorityInquiry
from organisation.models import OperatorProfile
from processors.models import Disclosure, PersonalDataListVersion, Processor, TransferNotice
from requests.models import AnswerTemplate, DeadlineRule, SubjectRequest, UnreadableMessage
from requests.services.intake import message_ingest
from subjects.agreements import agreement_data_reveal
from subjects.models import AgreementData, AgreementDataAccess, Subject
from tests.consents.factories import ConsentFactory, PolicyVersionFactory
from tests.imports.factories import ImportRunFactory
from tests.organisation.factories import OperatorProfileFactory
from tests.processors.factories import DisclosureFactory, ProcessorFactory
from tests.queries import page_queries
from tests.requests.factories import SubjectRequestFactory
from tests.subjects.factories import AgreementDataFactory, ContactHandleFactory, SubjectFactory
from tests.tracked_factory import TrackedModelFactory
from webforms.models import TildaForm, TildaSubmission


class PurposeFactory(TrackedModelFactory):
    class Meta:
        model = Purpose

    code = "extra-purpose"
    name_kk = name_ru = name_en = "Extra"
    legal_basis = "consent"


def _subjects(n: int, officer) -> None:
    for subject in SubjectFactory.create_batch(n):
        ContactHandleFactory(subject=subject)
        ConsentFactory(subject=subject)
        SubjectRequestFactory(subject=subject, assignee=officer)


def _processors(n: int, officer) -> None:
    for processor in ProcessorFactory.create_batch(n):
        processor.purposes.set(Purpose.objects.all()[:3])


def _purposes(n: int, officer) -> None:
    for index in range(n):
        PurposeFactory(code=f"extra-{Purpose.objects.count()}-{index}")


def _refusals(n: int, officer) -> None:
    for consent in ConsentFactory.create_batch(n):
        consent_services.consent_withdrawal_refuse(
            consent=consent,
            ground=RefusalGround.CONTRARY_TO_LAW,
            detail="Tax code keeps it",
            channel=WithdrawalChannel.LETTER,
            actor=officer,
        )


def _suppressions(n: int, officer) -> None:
    for index in range(n):
        suppression_add(email=f"gone{SuppressionEntry.objects.count()}-{index}@example.com",
                        reason=SuppressionReason.UNSUBSCRIBED, actor=None)  # fmt: skip


def _incidents(n: int, officer) -> None:
    from tests.incidents.factories import incident_open

    for _ in range(n):
        incident_open(actor=officer, subjects=SubjectFactory.create_batch(2))


def _agreement_views(n: int, officer) -> None:
    for agreement in AgreementDataFactory.create_batch(n):
        agreement_data_reveal(agreement=agreement, actor=officer, context="test")


def _tilda_forms(n: int, officer) -> None:
    from common.history import save_with_history
    from webforms.models import TildaForm

    for index in range(n):
        form = TildaForm(formid=f"form{TildaForm.objects.count()}x{index}", name_kk="Тіркеу",
                         name_ru="Регистрация", name_en="Sign-up", language="kk")  # fmt: skip
        save_with_history(form, actor=officer, reason="test data")


def _tilda_submissions(n: int, officer) -> None:
    from urllib.parse import urlencode

    from webforms.services import submission_process, submission_store

    for index in range(n):
        tranid = f"{TildaSubmission.objects.count()}:{index}"
        body = urlencode({"Name": "Дана Сәрсенова", "Email": f"dana{tranid}@example.kz",
                          "formid": "form612345678", "tranid": tranid})  # fmt: skip
        stored = submission_store(
            body=body.encode(), body_size=len(body), formid="form612345678", tranid=tranid
        )
        assert stored is not None
        submission_process(submission=stored)


def _transfer_notices(n: int, officer) -> None:
    asking = [
        ConsentFactory(notify_of_transfer=True, third_party_transfer=True).subject
        for _index in range(n)
    ]
    DisclosureFactory(subjects=asking, actor=officer)


def _list_versions(n: int, officer) -> None:
    from processors.services import personal_data_list_draw_up

    start = PersonalDataListVersion.objects.count()
    for index in range(start, start + n):
        personal_data_list_draw_up(version_label=f"v{index}", actor=officer, reason="test data")


def _inquiries(n: int, officer) -> None:
    from inquiries.services import inquiry_record

    subjects = SubjectFactory.create_batch(2)
    for index in range(n):
        inquiry_record(
            actor=officer, reason="test data", received_on=date(2026, 1, 5),
            body_kind="authorised_body", body="Министрлік", reference_number=f"ЖТ-{index}",
            subject_matter="Сұрау салу", subjects=subjects, within_working_days=10,
        )  # fmt: skip


# How to add n more rows to each registered model's changelist.
ROW_MAKERS: dict[type, Callable[[int, object], object]] = {
    Subject: _subjects,
    Consent: lambda n, officer: ConsentFactory.create_batch(n),
    Purpose: _purposes,
    PolicyVersion: lambda n, officer: PolicyVersionFactory.create_batch(n),
    Processor: _processors,
    Disclosure: lambda n, officer: DisclosureFactory.create_batch(n, actor=officer),
    TransferNotice: _transfer_notices,
    PersonalDataListVersion: _list_versions,
    AuthorityInquiry: _inquiries,
    SubjectRequest: lambda n, officer: SubjectRequestFactory.create_batch(n, assignee=officer),
    DeadlineRule: lambda n, officer: None,  # one per kind, all seeded
    AnswerTemplate: lambda n, officer: None,  # one per kind and language, all seeded
    UnreadableMessage: lambda n, officer: [
        message_ingest(raw=f"broken {UnreadableMessage.objects.count()}-{i}".encode(), source="t")
        for i in range(n)
    ],
    OperatorProfile: lambda n, officer: None,  # one row by design
    WithdrawalRefusal: _refusals,
    SuppressionEntry: _suppressions,
    AgreementData: lambda n, officer: AgreementDataFactory.create_batch(n, actor=officer),
    AgreementDataAccess: _agreement_views,
    ImportRun: lambda n, officer: ImportRunFactory.create_batch(n, imported_by=officer),
    Incident: _incidents,
    AffectedSubject: _incidents,
    NotificationRule: lambda n, officer: None,  # one rule, seeded
    TildaForm: _tilda_forms,
    TildaSubmission: _tilda_submissions,
}

PROJECT_ADMINS = [
    model
    for model in admin.site._registry
    if model._meta.app_label
    in {
        "organisation",
        "subjects",
        "consents",
        "processors",
        "inquiries",
        "requests",
        "imports",
        "incidents",
        "webforms",
    }
]


def test_every_project_model_admin_has_a_row_maker():
    assert set(PROJECT_ADMINS) == set(ROW_MAKERS)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("model", PROJECT_ADMINS, ids=lambda m: m._meta.label)
def test_changelist_queries_do_not_grow_with_rows(model, officer_client, officer):
    OperatorProfileFactory()
    ROW_MAKERS[model](2, officer)
    few = page_queries(officer_client, _url(model, "changelist"))

    ROW_MAKERS[model](10, officer)
    many = page_queries(officer_client, _url(model, "changelist"))

    assert many == few
    assert many <= 12


NARROWED_LISTS = [m for m in PROJECT_ADMINS if getattr(admin.site._registry[m], "list_columns", ())]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("model", NARROWED_LISTS, ids=lambda m: m._meta.label)
def test_a_list_that_names_its_columns_reads_no_other(
    model, language, officer_client, officer, monkeypatch
):
    """A page of a list with `list_columns` (common.changelist) reads its rows with those columns
    only, and nothing on the page reads another one afterwards (a deferred column would be read
    by a query of its own, once per row or per related row: the queries test above misses
    those that every row shares, a policy version, say)."""
    from django.db import connection
    from django.db.models import Model
    from django.test.utils import CaptureQueriesContext

    OperatorProfileFactory()
    ROW_MAKERS[model](3, officer)
    read_later = []
    refresh = Model.refresh_from_db

    def recorded(instance, *args, **kwargs):
        read_later.append((type(instance).__name__, kwargs.get("fields")))
        return refresh(instance, *args, **kwargs)

    monkeypatch.setattr(Model, "refresh_from_db", recorded)
    with CaptureQueriesContext(connection) as queries:
        response = officer_client.get(_url(model, "changelist"), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 3
    assert read_later == []
    table = model._meta.db_table
    rows_query = next(q["sql"] for q in queries if q["sql"].startswith(f'SELECT "{table}"."id"'))
    listed = admin.site._registry[model].list_columns
    unread = [
        f.column
        for f in model._meta.concrete_fields
        if f.name not in listed and not f.is_relation and not f.primary_key
    ]
    assert unread
    assert not any(f'"{table}"."{column}"' in rows_query for column in unread)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("model", PROJECT_ADMINS, ids=lambda m: m._meta.label)
def test_list_rows_are_written_as_django_writes_them(model, language, rf, officer):
    """common.admin_rows writes every cell of every list as Django's items_for_result does."""
    from django.contrib.admin.templatetags.admin_list import items_for_result
    from django.utils import translation

    from common.admin_rows import result_rows

    OperatorProfileFactory()
    ROW_MAKERS[model](3, officer)
    url = _url(model, "changelist")
    request = rf.get(url)
    request.user, request.resolver_match = officer, resolve(url)

    with translation.override(language):
        changelist = admin.site._registry[model].get_changelist_instance(request)
        djangos = [list(items_for_result(changelist, obj, None)) for obj in changelist.result_list]
        ours = list(result_rows(changelist))

    assert ours == djangos
    assert len(ours) == model.objects.count() or changelist.queryset.count() == len(ours)


@pytest.mark.django_db
@pytest.mark.parametrize("model", PROJECT_ADMINS, ids=lambda m: m._meta.label)
def test_add_change_and_history_pages_render(model, officer_client, officer):
    OperatorProfileFactory()
    ROW_MAKERS[model](1, officer)
    obj = model.objects.order_by("pk").last()

    for url in (_url(model, "change", obj.pk), _url(model, "history", obj.pk)):
        assert officer_client.get(url).status_code == 200, url
    # One operator profile, which exists already; refusals and suppressions come from services.
    kept_by_services = {OperatorProfile, WithdrawalRefusal, SuppressionEntry, UnreadableMessage,
                        AgreementDataAccess, ImportRun, AffectedSubject,
                        TildaSubmission, TransferNotice}  # fmt: skip
    expected_add = 403 if model in kept_by_services else 200
    assert officer_client.get(_url(model, "add")).status_code == expected_add


@pytest.mark.django_db
def test_subject_page_queries_do_not_grow_with_consents_handles_and_requests(
    officer_client, officer
):
    subject = SubjectFactory()
    purposes = iter(Purpose.objects.all())

    def add_related(n: int) -> None:
        for _ in range(n):
            ContactHandleFactory(subject=subject)
            ConsentFactory(subject=subject, purpose=next(purposes))
            SubjectRequestFactory(subject=subject)

    # The history panel costs a query per kind of row among its newest entries: both pages show
    # handles, consents and requests there (enough of them to push the subject's own row out).
    add_related(4)
    # Once before counting: the first page a process serves looks its content types up once
    # (Django's ContentType cache), which this test alone in a run would count as a page's own.
    page_queries(officer_client, _url(Subject, "change", subject.pk))
    few = page_queries(officer_client, _url(Subject, "change", subject.pk))
    add_related(3)
    many = page_queries(officer_client, _url(Subject, "change", subject.pk))

    assert many == few
