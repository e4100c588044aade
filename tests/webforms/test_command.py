"""process_tilda_submissions applies what the web workers only stored."""

import pytest
from django.core.management import call_command

from subjects.models import Subject
from webforms.models import SubmissionState, TildaSubmission

from .conftest import body, post


@pytest.mark.django_db
def test_the_command_applies_stored_submissions_once(tilda, volunteer_form, settings, capsys):
    settings.TILDA_WEBHOOK_APPLY_AFTER_RESPONSE = False
    post(tilda, body("registration_kk.txt"))
    post(tilda, body("registration_ru.txt"))
    assert set(TildaSubmission.objects.values_list("state", flat=True)) == {"received"}
    assert not Subject.objects.exists()

    call_command("process_tilda_submissions")
    call_command("process_tilda_submissions")

    assert capsys.readouterr().out.splitlines() == ["processed: 2", "Nothing to apply."]
    assert set(TildaSubmission.objects.values_list("state", flat=True)) == {
        SubmissionState.PROCESSED
    }
    assert Subject.objects.count() == 2
