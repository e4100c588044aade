"""The list of persons with access to personal data (Protection Rules No. 179/НҚ): who, in
which role, since when; the grants of roles recorded as they happen."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from openpyxl import load_workbook

from accounts.access_list import access_rows
from accounts.models import RoleGrant
from accounts.roles import AUDITOR, STAFF


@pytest.mark.django_db
def test_giving_and_taking_a_role_is_recorded_from_either_side():
    user = User.objects.create_user("clerk", is_staff=True)
    staff, auditor = Group.objects.get(name=STAFF), Group.objects.get(name=AUDITOR)

    user.groups.add(staff)
    auditor.user_set.add(user)
    user.groups.remove(staff)
    user.groups.clear()

    grants = RoleGrant.objects.filter(user=user)
    assert grants.count() == 2
    assert all(grant.revoked_at is not None for grant in grants)
    assert grants.get(group=staff).granted_at <= grants.get(group=staff).revoked_at


@pytest.mark.django_db
def test_the_users_page_records_who_gave_the_role(officer_client, officer):
    officer.is_superuser = True
    officer.save()
    user = User.objects.create_user("clerk", is_staff=True)
    staff = Group.objects.get(name=STAFF)
    page = reverse("admin:auth_user_change", args=[user.pk])

    officer_client.post(page, {
        "username": "clerk", "is_active": "on", "is_staff": "on", "groups": [staff.pk],
        "date_joined_0": "2026-01-05", "date_joined_1": "10:00:00",
    })  # fmt: skip

    grant = RoleGrant.objects.get(user=user, group=staff)
    assert grant.granted_by == officer
    assert grant.revoked_at is None


@pytest.mark.django_db
def test_the_list_has_each_role_since_its_grant_and_leaves_out_those_without_access(officer):
    user = User.objects.create_user("clerk", first_name="Айгүл", is_staff=True)
    user.groups.add(Group.objects.get(name=STAFF))
    User.objects.create_user("nobody", is_staff=True)  # no role: no access
    gone = User.objects.create_user("gone", is_staff=True, is_active=False)
    gone.groups.add(Group.objects.get(name=STAFF))

    rows = {(row.username, row.role): row for row in access_rows()}

    assert set(rows) == {("clerk", "Staff"), ("officer", "Privacy officer")}
    clerk = rows[("clerk", "Staff")]
    assert clerk.since_recorded
    assert clerk.since == RoleGrant.objects.get(user=user).granted_at
    # The fixture gave the officer's role through user.groups.add: recorded too.
    assert rows[("officer", "Privacy officer")].since_recorded


@pytest.mark.django_db
def test_a_role_given_before_grants_were_recorded_counts_from_the_account(officer):
    RoleGrant.objects.filter(user=officer).delete()

    (row,) = access_rows()

    assert not row.since_recorded
    assert row.since == officer.date_joined


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "header", "role"), [
    ("ru", "Имеет доступ с", "Ответственный за обработку персональных данных"),
    ("kk", "Қол жеткізу басталған күн", "Дербес деректерді өңдеуді ұйымдастыруға жауапты тұлға"),
])  # fmt: skip
def test_the_csv_has_translated_headers_and_roles(officer_client, language, header, role):
    url = reverse("admin:auth_user_persons_with_access")

    response = officer_client.get(url, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="persons-with-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header in rows[0]
    assert [row[0] for row in rows[1:]] == ["officer"]
    assert rows[1][3] == role


@pytest.mark.django_db
def test_the_xlsx_and_the_page(officer_client, security_log):
    url = reverse("admin:auth_user_persons_with_access")

    sheet = load_workbook(io.BytesIO(officer_client.get(url, {"format": "xlsx"}).content)).active
    page = officer_client.get(url)

    assert sheet.cell(row=2, column=1).value == "officer"
    assert page.status_code == 200
    assert "officer" in page.content.decode()
    assert security_log.events("export")[0]["rows"] == 1


@pytest.mark.django_db
def test_a_user_without_a_role_cannot_read_the_list(client, no_role_user):
    client.force_login(no_role_user)

    response = client.get(reverse("admin:auth_user_persons_with_access"))

    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("users", [2, 12])
def test_the_list_reads_in_the_same_queries_however_many_users(
    officer, users, django_assert_num_queries
):
    staff = Group.objects.get(name=STAFF)
    for index in range(users):
        User.objects.create_user(f"clerk{index}", is_staff=True).groups.add(staff)

    with django_assert_num_queries(3):  # users, their groups, their open grants
        rows = access_rows()

    assert len(rows) == users + 1
