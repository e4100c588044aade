"""Demo data: a back-office that looks lived in, for trying the admin and for screenshots.

Everything is made up (see `demo.data`) and generated from one fixed seed, so every run plans the
same rows; what already exists is found by a natural key and left alone, so a second run writes
nothing and adds no history. Writes go through the domain services where they exist, or through
`save_with_history` after `full_clean()` where they do not yet, so the demo obeys the same rules
and leaves the same audit trail as real work.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from accounts.roles import AUDITOR, PRIVACY_OFFICER, STAFF, roles_sync
from common.history import save_valid_with_history
from common.personal_data import DataCategory
from common.workdays import ALMATY
from consents.models import (
    Consent,
    ConsentState,
    DocumentKind,
    PolicyVersion,
    Purpose,
    WithdrawalChannel,
)
from consents.services import consent_give, consent_withdraw
from demo import data
from demo.plans import ConsentPlan, PersonPlan, plan_people
from incidents.models import AffectedSource, Incident, IncidentKind, RiskLevel
from incidents.selectors import subjects_with_category_at_processor
from incidents.services import incident_measure_add, incident_open, incident_subjects_add
from organisation.models import OperatorProfile
from processors.models import Processor
from requests.models import AnswerVia, RequestChannel, RequestStatus, SubjectRequest
from requests.services.deadlines import rule_apply
from subjects.models import ContactHandle, Subject
from subjects.services import SubjectSuppressed, handle_add, subject_create, subject_update

# Published on purpose: the demo prints it, and the command refuses to run outside debug mode.
PASSWORD = "derbes-demo-2026"  # noqa: S105
REASON = "Demo data"
WITHDRAWAL_CHANNELS = {
    RequestChannel.EMAIL: WithdrawalChannel.EMAIL_REQUEST,
    RequestChannel.LETTER: WithdrawalChannel.LETTER,
    RequestChannel.IN_PERSON: WithdrawalChannel.IN_PERSON,
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    is_superuser: bool = False


DEMO_USERS = (
    DemoUser("officer", PRIVACY_OFFICER, is_superuser=True),
    DemoUser("staff", STAFF),
    DemoUser("auditor", AUDITOR),
)


@dataclass(frozen=True)
class Tally:
    total: int
    created: int


@dataclass(frozen=True)
class SeedSummary:
    operator_created: bool
    subjects: Tally
    handles: Tally
    consents: Tally
    processors: Tally
    requests: Tally
    users: tuple[DemoUser, ...] = DEMO_USERS


@transaction.atomic
def demo_seed(*, now: datetime | None = None) -> SeedSummary:
    """Fill the registers with demo data; rows that already exist are never changed or duplicated.

    Handles and consents are written only for subjects this run creates, so a rerun does not bring
    back what someone removed or withdrew by hand while trying the demo.
    """
    now = now or timezone.now()
    # Plan everything before reading the database: the random stream must not depend on its state.
    people = plan_people()

    roles_sync()
    users = _users_ensure()
    officer = users["officer"]
    operator_created = _operator_ensure(actor=officer)
    subjects, new_subjects = _subjects_ensure(people, actor=officer)
    handles_created = _handles_add(people, subjects, new_subjects, actor=officer)
    consents_created = _consents_add(people, subjects, new_subjects, actor=officer, now=now)
    processors_created = _processors_ensure(actor=officer)
    requests_created = _requests_ensure(people, subjects, users=users, actor=officer, now=now)
    _incident_ensure(actor=officer, now=now)

    return SeedSummary(
        operator_created=operator_created,
        subjects=Tally(len(subjects), len(new_subjects)),
        handles=Tally(
            ContactHandle.objects.filter(subject__in=subjects.values()).count(), handles_created
        ),
        consents=Tally(
            Consent.objects.filter(subject__in=subjects.values()).count(), consents_created
        ),
        processors=Tally(len(data.PROCESSORS), processors_created),
        requests=Tally(len(data.REQUESTS), requests_created),
    )


def _moment(now: datetime, *, days_ago: int, minute: int) -> datetime:
    """A time `days_ago` whole days before today in Almaty, at `minute` of that day."""
    day = timezone.localtime(now, ALMATY).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(), tzinfo=ALMATY) + timedelta(minutes=minute)


# --- Writes ----------------------------------------------------------------------------------
def _users_ensure() -> dict[str, User]:
    """The three demo logins, each with its role and the printed password (set only if changed)."""
    user_model = get_user_model()
    groups = {
        group.name: group
        for group in Group.objects.filter(name__in=[PRIVACY_OFFICER, STAFF, AUDITOR])
    }
    existing = {
        user.username: user
        for user in user_model.objects.filter(username__in=[u.username for u in DEMO_USERS])
    }
    users = {}
    for spec in DEMO_USERS:
        user = existing.get(spec.username) or user_model(
            username=spec.username, email=f"{spec.username}@example.org"
        )
        wanted = {"is_active": True, "is_staff": True, "is_superuser": spec.is_superuser}
        changed = user.pk is None
        for name, value in wanted.items():
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed = True
        # Hashes are salted: setting the same password again would rewrite the row every run.
        if not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            changed = True
        if changed:
            user.save()
        user.groups.set([groups[spec.role]])
        users[spec.username] = user
    return users


def _operator_ensure(*, actor: User) -> bool:
    if OperatorProfile.objects.exists():
        return False
    profile = OperatorProfile(
        name_kk="«Дербес Демо» қоғамдық қоры",
        name_ru="Общественный фонд «Дербес Демо»",
        name_en="Public Foundation “Derbes Demo”",
        bin="250140000007",
        address_kk="Қазақстан, Алматы қ., Демо көшесі, 1",
        address_ru="Казахстан, г. Алматы, ул. Демо, 1",
        address_en="1 Demo Street, Almaty, Kazakhstan",
        privacy_email="privacy@example.org",
        website="https://example.org/",
        responsible_person="Әлиева Дана Бекқызы (демо)",
        responsible_person_email="dpo@example.org",
        responsible_person_phone="+7 727 000 00 00",
    )
    save_valid_with_history(profile, actor=actor, reason=REASON)
    return True


def _subjects_ensure(
    people: list[PersonPlan], *, actor: User
) -> tuple[dict[str, Subject], set[str]]:
    """E-mail -> subject for every planned person, and the e-mails of those created now."""
    subjects = {s.email: s for s in Subject.objects.filter(email__in=[p.email for p in people])}
    created = set()
    for person in people:
        if person.email not in subjects:
            try:
                subject = subject_create(actor=actor, reason=REASON, data=person.fields)
            except SubjectSuppressed:
                continue  # erased or unsubscribed while trying the demo: never brought back
            subjects[person.email] = subject
            created.add(person.email)
    return subjects, created  # type: ignore[return-value]


def _handles_add(
    people: list[PersonPlan],
    subjects: dict[str, Subject],
    new_subjects: set[str],
    *,
    actor: User,
) -> int:
    created = 0
    for person in people:
        if person.email in new_subjects:
            for kind, value in person.handles:
                handle_add(
                    subject=subjects[person.email],
                    actor=actor,
                    reason=REASON,
                    kind=kind,
                    value=value,
                )
                created += 1
    return created


def _consents_add(
    people: list[PersonPlan],
    subjects: dict[str, Subject],
    new_subjects: set[str],
    *,
    actor: User,
    now: datetime,
) -> int:
    if not new_subjects:
        return 0
    purposes = {p.code: p for p in Purpose.objects.filter(code__in=data.PURPOSE_PLANS)}
    policy = PolicyVersion.objects.get(kind=DocumentKind.PRIVACY_POLICY, version_label="1")
    created = 0
    for person in people:
        if person.email not in new_subjects:
            continue
        for plan in person.consents:
            common = {
                "subject": subjects[person.email],
                "purpose": purposes[plan.purpose],
                "policy_version": policy,
                "method": plan.method,
                "evidence": plan.evidence,
                "evidence_payload": plan.payload,
                "data_categories": plan.categories,
                **_transfer_terms(plan.purpose),
            }
            _planned_give(plan, common, days_ago=plan.given_days_ago, now=now, actor=actor)
            created += 1
            if plan.withdrawn_days_ago is None:
                continue
            consent_withdraw(
                subject=common["subject"],
                purposes=[common["purpose"]],
                withdrawn_at=_moment(now, days_ago=plan.withdrawn_days_ago, minute=plan.minute),
                channel=plan.withdrawal_channel,  # type: ignore[arg-type]
                actor=actor,
                reason=f"{REASON}: consent withdrawn",
            )
            if plan.regiven_days_ago is not None:
                _planned_give(plan, common, days_ago=plan.regiven_days_ago, now=now, actor=actor)
                created += 1
    return created


def _planned_give(
    plan: ConsentPlan, terms: dict[str, Any], *, days_ago: int, now: datetime, actor: User
) -> None:
    """Give the planned consent `days_ago` days before `now` (the first time, or again)."""
    given_at = _moment(now, days_ago=days_ago, minute=plan.minute)
    valid_until = _valid_until(plan, given_at)
    consent_give(**terms, given_at=given_at, valid_until=valid_until, actor=actor, reason=REASON)


def _valid_until(plan: ConsentPlan, given_at: datetime) -> date | None:
    # Research consents are the demo's fixed-term ones; the rest last until the purpose is met.
    if plan.purpose == "product_research":
        return timezone.localtime(given_at, ALMATY).date() + timedelta(days=2 * 365)
    return None


def _transfer_terms(code: str) -> dict[str, Any]:
    plan = data.PURPOSE_PLANS[code]
    return {
        "third_party_transfer": plan.third_party,
        "cross_border_transfer": bool(plan.countries),
        "cross_border_countries": list(plan.countries),
    }


def _processors_ensure(*, actor: User) -> int:
    names = [spec.legal_name for spec in data.PROCESSORS]
    existing = set(
        Processor.objects.filter(legal_name__in=names).values_list("legal_name", flat=True)
    )
    purposes = {p.code: p for p in Purpose.objects.all()}
    created = 0
    for spec in data.PROCESSORS:
        if spec.legal_name in existing:
            continue
        processor = Processor(
            legal_name=spec.legal_name,
            registration_number=spec.registration_number,
            country=spec.country,
            contact=spec.contact,
            services=list(spec.services),
            actions=list(spec.actions),
            data_categories=list(spec.data_categories),
            agreement_number=spec.agreement_number,
            agreement_date=date.fromisoformat(spec.agreement_date),
            active_from=date.fromisoformat(spec.active_from),
            active_to=date.fromisoformat(spec.active_to) if spec.active_to else None,
            stores_data_in_kazakhstan=spec.in_kazakhstan,
        )
        save_valid_with_history(processor, actor=actor, reason=REASON)
        processor.purposes.set([purposes[code] for code in spec.purposes])
        created += 1
    return created


DEMO_INCIDENT = (
    "Демо: курьерская служба сообщила, что выгрузка заказов с телефонами получателей была "
    "доступна по открытой ссылке."
)


def _incident_ensure(*, actor: User, now: datetime) -> bool:
    """One open breach: the courier's subjects with a phone, a measure, the deadline running."""
    if Incident.objects.filter(description=DEMO_INCIDENT).exists():
        return False
    courier = Processor.objects.get(legal_name="Demo Courier LLP")
    incident = incident_open(
        actor=actor,
        reason=REASON,
        data={
            "detected_at": now - timedelta(hours=3),
            "detected_by": "Demo Courier LLP",
            "detection_method": "Письмо обработчика",
            "kind": IncidentKind.DISCLOSURE,
            "description": DEMO_INCIDENT,
            "data_categories": [DataCategory.NAME, DataCategory.PHONE],
            "risk_level": RiskLevel.MEDIUM,
        },
        processors=[courier],
    )
    incident_subjects_add(
        incident=incident,
        subject_ids=subjects_with_category_at_processor(
            category=DataCategory.PHONE, processor=courier
        ).values_list("pk", flat=True),
        source=AffectedSource.SELECTOR,
        actor=actor,
    )
    incident_measure_add(
        incident=incident,
        actor=actor,
        description="Ссылка закрыта, обработчик удалил выгрузку.",
        taken_at=now - timedelta(hours=2),
    )
    return True


def _requests_ensure(
    people: list[PersonPlan],
    subjects: dict[str, Subject],
    *,
    users: dict[str, User],
    actor: User,
    now: datetime,
) -> int:
    """The demo requests, found again by their content (unique among them)."""
    contents = [spec.content for spec in data.REQUESTS]
    existing = set(
        SubjectRequest.objects.filter(content__in=contents).values_list("content", flat=True)
    )
    created = 0
    for number, spec in enumerate(data.REQUESTS):
        if spec.content in existing:
            continue
        if spec.subject is not None and people[spec.subject].email not in subjects:
            continue  # their subject was erased: the request was erased with them
        subject_request = SubjectRequest(
            kind=spec.kind,
            channel=spec.channel,
            status=spec.status,
            # Spread over the working day so the list does not show one time for everything.
            received_at=_moment(now, days_ago=spec.days_ago, minute=9 * 60 + (37 * number) % 540),
            content=spec.content,
            reply_postal_address=spec.postal_address,
            refusal_reason=spec.refusal_reason,
            assignee=_assignee(spec, users),
            **_requester(spec, people, subjects),
        )
        # Staff confirmed the kind; the deadline follows its rule from receipt; a closed request
        # was answered (a request closes only with its answer sent).
        subject_request.suggested_kind, subject_request.kind_confirmed_at = (
            spec.kind,
            subject_request.received_at,
        )
        rule_apply(subject_request)
        if spec.status in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
            subject_request.answered_at = subject_request.received_at + timedelta(days=2)
            subject_request.answered_via = (
                AnswerVia.POST if spec.channel == RequestChannel.LETTER else AnswerVia.EMAIL
            )
        save_valid_with_history(subject_request, actor=actor, reason=REASON)
        if subject_request.subject is not None:
            _request_fulfil(spec, subject_request, subject=subject_request.subject, actor=actor)
        created += 1
    return created


def _request_fulfil(
    spec: data.RequestSpec, subject_request: SubjectRequest, *, subject: Subject, actor: User
) -> None:
    """Leave the trace a completed request leaves on its subject, so the demo tells one story."""
    if spec.status != RequestStatus.COMPLETED:
        return
    reason = f"{REASON}: request #{subject_request.pk}"
    if spec.rectifies:
        subject_update(subject=subject, actor=actor, reason=reason, data=dict(spec.rectifies))
    if not spec.withdraws:
        return
    channel = WITHDRAWAL_CHANNELS.get(spec.channel, WithdrawalChannel.EMAIL_REQUEST)  # type: ignore[call-overload]
    withdrawn_at = subject_request.received_at + timedelta(days=1)
    live = Consent.objects.filter(
        subject=subject,
        purpose__code__in=spec.withdraws,
        state=ConsentState.GIVEN,
        given_at__lt=withdrawn_at,
    )
    consent_withdraw(
        subject=subject,
        purposes=[consent.purpose for consent in live.select_related("purpose")],
        withdrawn_at=withdrawn_at,
        channel=channel,
        actor=actor,
        reason=reason,
    )


def _requester(
    spec: data.RequestSpec, people: list[PersonPlan], subjects: dict[str, Subject]
) -> dict[str, Any]:
    """The requester as they wrote themselves: a known subject's own details, or a stranger's."""
    if spec.subject is None:
        last_name, first_name, patronymic = spec.requester
        return {
            "requester_last_name": last_name,
            "requester_first_name": first_name,
            "requester_patronymic": patronymic,
            "reply_email": spec.reply_email,
        }
    subject = subjects[people[spec.subject].email]
    return {
        "subject": subject,
        "requester_last_name": subject.last_name,
        "requester_first_name": subject.first_name,
        "requester_patronymic": "" if spec.drop_patronymic else subject.patronymic,
        # A letter is answered by post; everything else to the address we hold.
        "reply_email": "" if spec.channel == RequestChannel.LETTER else (subject.email or ""),
    }


def _assignee(spec: data.RequestSpec, users: dict[str, User]) -> User | None:
    if spec.assign_staff:
        return users["staff"]
    if spec.status in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
        return users["officer"]  # the privacy officer signs answers and refusals
    return None
