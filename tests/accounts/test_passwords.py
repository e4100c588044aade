"""Passwords: Argon2 in production, at least 12 characters, no common passwords."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.security.production import python


@pytest.mark.parametrize(
    "password",
    ["Short1!", "elevenchars", "qwerty123456", "1q2w3e4r5t6y", "123456789123", "qwertyqwerty"],
)
def test_short_and_common_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("Saryarqa-meadow-2026")


def test_production_hashes_passwords_with_argon2():
    printed = python(
        "from django.contrib.auth.hashers import make_password; "
        "print(make_password('Saryarqa-meadow-2026').split('$')[0])"
    )

    assert printed == "argon2"
