"""Passwords and tokens: the policy a newcomer meets at sign-up, and what is stored."""

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.core.security import (
    check_password_policy,
    hash_password,
    hash_token,
    new_token,
    verify_password,
)


def test_a_password_shorter_than_ten_characters_is_refused() -> None:
    with pytest.raises(InvalidInput, match="at least 10"):
        check_password_policy("nine-char")


@pytest.mark.parametrize("common", ["password123", "1234567890", "Qwertyuiop", "iloveyou123"])
def test_a_well_known_password_is_refused_whatever_its_case(common: str) -> None:
    with pytest.raises(InvalidInput, match="too common"):
        check_password_policy(common)


def test_the_e_mail_name_is_not_a_password() -> None:
    with pytest.raises(InvalidInput, match="e-mail"):
        check_password_policy("olivia.bennett", email="olivia.bennett@example.org")


def test_a_long_uncommon_password_passes() -> None:
    check_password_policy("spine-kettle-orbit-42")


def test_passwords_are_stored_as_argon2id_hashes_that_verify_only_the_original() -> None:
    stored = hash_password("spine-kettle-orbit-42")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "spine-kettle-orbit-42")
    assert not verify_password(stored, "spine-kettle-orbit-43")
    assert not verify_password(None, "spine-kettle-orbit-42")


def test_tokens_are_random_and_only_their_sha256_is_kept() -> None:
    raw_1, digest_1 = new_token()
    raw_2, _ = new_token()
    assert raw_1 != raw_2 and len(raw_1) >= 40
    assert digest_1 == hash_token(raw_1) and len(digest_1) == 64 and raw_1 not in digest_1
