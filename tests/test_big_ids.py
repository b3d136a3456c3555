"""IDs are not small: on CockroachDB they exceed 2^53, which JSON numbers cannot carry exactly."""

import pytest

from accounts.tests.factories import UserFactory
from accounts.tokens import token_pair_issue
from moderation.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

BIG = 2**62 + 12345  # far past 2^53 = 9007199254740992


def test_a_big_post_id_round_trips_exactly_as_a_string(api):
    PostFactory(pk=BIG)
    listed = api.get("/api/posts").json()["results"][0]
    assert listed["id"] == str(BIG)
    assert api.get(f"/api/posts/{BIG}").json()["id"] == str(BIG)


def test_an_account_with_a_big_id_can_use_its_token(api):
    user = UserFactory(pk=BIG + 1)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_issue(user)['access']}")
    body = api.get("/api/profile").json()
    assert body["id"] == str(BIG + 1)


def test_ids_past_the_64_bit_range_are_simply_not_found(api):
    assert api.get(f"/api/posts/{2**63}").status_code == 404
