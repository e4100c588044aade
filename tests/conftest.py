import pytest
from django.contrib.auth.models import Group, User

from accounts.roles import AUDITOR, PRIVACY_OFFICER, STAFF, roles_sync


def _user_with_role(username: str, role: str | None) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-only", is_staff=True)
    if role:
        roles_sync()
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def officer(db) -> User:
    return _user_with_role("officer", PRIVACY_OFFICER)


@pytest.fixture
def staff_user(db) -> User:
    return _user_with_role("staffer", STAFF)


@pytest.fixture
def auditor(db) -> User:
    return _user_with_role("auditor", AUDITOR)


@pytest.fixture
def no_role_user(db) -> User:
    return _user_with_role("norole", None)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client
