"""Which database errors the write retry loop treats as a conflict worth another attempt."""

import sqlite3

import pytest

from authsite.db import is_serialization_failure


def sqlite_error(tmp_path, sql_of_the_second_writer: str) -> sqlite3.OperationalError:
    """The error a second SQLite writer really gets while a first one holds the write lock."""
    path = tmp_path / "db.sqlite3"
    first = sqlite3.connect(path, isolation_level=None)
    second = sqlite3.connect(path, isolation_level=None, timeout=0.05)
    first.execute("CREATE TABLE t (x)")
    first.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            second.execute(sql_of_the_second_writer)
        return raised.value
    finally:
        first.execute("ROLLBACK")
        first.close()
        second.close()


def test_a_writer_that_waited_out_the_busy_timeout_is_retried(tmp_path):
    error = sqlite_error(tmp_path, "BEGIN IMMEDIATE")
    assert str(error) == "database is locked"
    assert is_serialization_failure(error)


def test_other_operational_errors_are_not(tmp_path):
    assert not is_serialization_failure(sqlite_error(tmp_path, "SELECT * FROM no_such_table"))
