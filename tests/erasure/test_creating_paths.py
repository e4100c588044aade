"""Nothing brings an erased person back: creating paths ask the suppression list, under the
person's lock, and an import or a creation that meets a running erasure waits for it."""

import io

import pytest

from erasure.services import subject_erase
from subjects import services as subject_services
from subjects.models import Subject
from subjects.services import SubjectSuppressed
from tests.subjects.factories import SubjectFactory
from tests.subjects.test_admin import ADD_URL, _form

EMAIL, PHONE = "bekov@example.kz", "+77471234567"


def _erased(officer) -> Subject:
    subject: Subject = SubjectFactory.create(email=EMAIL, phone=PHONE, last_name="Беков")
    subject_erase(subject=subject, actor=officer, reason="Asked")
    return subject


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{"email": "BEKOV@example.kz"}, {"phone": "8 747 123 45 67"}])
def test_the_service_refuses_to_create_an_erased_person_again(officer, media, data):
    _erased(officer)

    with pytest.raises(SubjectSuppressed):
        subject_services.subject_create(
            actor=officer, reason="x", data={"source": "phone_call", **data}
        )

    assert Subject.objects.count() == 1


@pytest.mark.django_db
def test_the_service_creates_them_again_with_the_new_act_recorded(officer, media):
    _erased(officer)

    subject = subject_services.subject_create(
        actor=officer,
        reason="Registered",
        data={"source": "email", "email": EMAIL},
        renewed_by="Wrote on 3 March asking to be registered",
    )

    assert subject.history.get().history_change_reason == (
        "Registered. On the suppression list; given anew: Wrote on 3 March asking to be registered"
    )


@pytest.mark.django_db
def test_the_admin_add_form_warns_and_records_the_new_act(officer_client, officer, media):
    _erased(officer)

    warned = officer_client.post(ADD_URL, _form(last_name="Беков", email=EMAIL))
    added = officer_client.post(
        ADD_URL, _form(last_name="Беков", email=EMAIL, renewed_by="Signed a contract today")
    )

    assert warned.status_code == 200
    assert "suppression list" in str(warned.context["adminform"].form.errors["renewed_by"])
    assert added.status_code == 302
    again = Subject.objects.get(email=EMAIL)
    assert "given anew: Signed a contract today" in again.history.get().history_change_reason


@pytest.mark.django_db
def test_the_add_form_asks_nothing_for_a_new_person(officer_client):
    page = officer_client.get(ADD_URL)
    added = officer_client.post(ADD_URL, _form(last_name="Новая", email="new@example.kz"))

    assert "renewed_by" in page.context["adminform"].form.fields
    assert added.status_code == 302


@pytest.mark.django_db
def test_the_seed_run_again_does_not_bring_an_erased_person_back(officer, media):
    from django.core.management import call_command

    from demo.plans import plan_people

    call_command("seed_demo", "--force", stdout=io.StringIO())
    email = plan_people()[0].email
    subject = Subject.objects.get(email=email)
    subject_erase(subject=subject, actor=officer, reason="Asked")
    count = Subject.objects.count()

    call_command("seed_demo", "--force", stdout=io.StringIO())

    assert Subject.objects.count() == count
    assert not Subject.objects.filter(email=email).exists()
    subject.refresh_from_db()
    assert (subject.state, subject.last_name) == ("erased", "")
