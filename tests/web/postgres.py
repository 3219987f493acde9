"""A throw-away PostgreSQL database for tests that start `pingjian` in a subprocess (serve, restore):
created with a unique name on the server of PINGJIAN_TEST_POSTGRES (default the local one), dropped
afterwards; None when no server answers (the test skips)."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

SERVER = os.environ.get("PINGJIAN_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")


@contextlib.contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str | None]:
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(f"{SERVER}/postgres", connect_timeout=3, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        yield None
        return
    try:
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
