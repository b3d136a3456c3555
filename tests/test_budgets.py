"""SQL statements per API request, exactly, on SQLite and on PostgreSQL alike (see tests/budgets.py)."""

import pytest

from tests.budgets import BUDGETS, COLD_PROFILE, LOGIN_REPEATED, budgeted_request


def assert_sql_budget(budget, request, django_assert_num_queries, django_capture_on_commit_callbacks):
    call = budgeted_request(budget, request)
    call.warm()
    with django_assert_num_queries(budget.sql), django_capture_on_commit_callbacks(execute=True):
        response = call.send()
    assert response.status_code == budget.status, response.content
    return call


@pytest.mark.parametrize("name", BUDGETS)
def test_sql_statements_per_request(db, name, request, django_assert_num_queries, django_capture_on_commit_callbacks):
    assert_sql_budget(BUDGETS[name], request, django_assert_num_queries, django_capture_on_commit_callbacks)


def test_a_tokens_first_request_reads_its_version_once(
    db, request, django_assert_num_queries, django_capture_on_commit_callbacks
):
    call = budgeted_request(COLD_PROFILE, request)
    with django_assert_num_queries(COLD_PROFILE.sql), django_capture_on_commit_callbacks(execute=True):
        assert call.send().status_code == 200
    with django_assert_num_queries(BUDGETS["profile"].sql):
        assert call.send().status_code == 200


def test_a_repeated_login_costs_the_same_sql(
    db, request, django_assert_num_queries, django_capture_on_commit_callbacks
):
    call = assert_sql_budget(BUDGETS["login"], request, django_assert_num_queries, django_capture_on_commit_callbacks)
    with django_assert_num_queries(LOGIN_REPEATED.sql), django_capture_on_commit_callbacks(execute=True):
        assert call.send().status_code == 200
