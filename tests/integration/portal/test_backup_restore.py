"""Backup and restore, as the README's "Backup and restore" runs them: `backup` of a seeded
portal, then `restore` (a separate process, as an operator runs it) into a different, empty
database and media folder; every table's row count and every file's checksum come back, and
the search indexes are rebuilt. On SQLite always; on PostgreSQL when DATABASE_URL points there
(into a fresh database `h_backup_restore_<random>` on the same server)."""

import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from portal.backup import MANIFEST, database_row_counts, media_checksums

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(settings.BASE_DIR)


def portal(*arguments, env):
    """`python -m portal …` in its own process, with the environment of another portal."""
    return subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "portal", *arguments],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def seeded_backup(tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    counts, files = database_row_counts(), media_checksums(Path(settings.MEDIA_ROOT))
    assert sum(counts.values()) > 1000 and len(files) > 0
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["database"]["tables"] == counts
    assert manifest["media"]["files"] == files
    assert manifest["code"]["git_commit"]
    assert {path.name for path in backup.iterdir()} == {
        MANIFEST,
        "media.tar",
        manifest["database"]["file"],
    }
    return backup, counts, files


def other_portal(tmp_path, database_url):
    return {
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "SEARCH_DIR": str(tmp_path / "restored-search"),
        "SEARCH_URL": "",
    }


def assert_restored(backup, env, tmp_path, files):
    restored = portal("restore", str(backup), env=env)
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "row counts and checksums match the manifest" in restored.stdout
    assert media_checksums(tmp_path / "restored-media") == files
    for face in ("intranet", "extranet"):
        assert any((tmp_path / "restored-search" / face).glob("*.toc")), face
    # A second restore would overwrite what is there now: refused with the reason.
    again = portal("restore", str(backup), env=env)
    assert again.returncode != 0
    assert "is not empty" in again.stderr and "--force" in again.stderr


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite variant; PostgreSQL has its own test"
)
def test_sqlite_backup_restores_into_another_database(tmp_path):
    backup, counts, files = seeded_backup(tmp_path)
    target = tmp_path / "restored.sqlite3"
    assert_restored(backup, other_portal(tmp_path, f"sqlite:///{target}"), tmp_path, files)
    with sqlite3.connect(target) as restored:
        tables = [
            name
            for (name,) in restored.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        restored_counts = {
            table: restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }
    assert restored_counts == counts


@pytest.mark.postgres
def test_postgres_backup_restores_into_another_database(tmp_path):
    import psycopg

    backup, counts, files = seeded_backup(tmp_path)
    database = connection.settings_dict
    server = {
        "host": database["HOST"] or None,
        "port": database["PORT"] or None,
        "user": database["USER"] or None,
        "password": database["PASSWORD"] or None,
    }
    name = f"h_backup_restore_{secrets.token_hex(4)}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        address = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{name}"
        env = other_portal(tmp_path, address)
        if database["PASSWORD"]:
            env["PGPASSWORD"] = database["PASSWORD"]
        assert_restored(backup, env, tmp_path, files)
        with psycopg.connect(dbname=name, **server) as restored:
            tables = [
                row[0]
                for row in restored.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            ]
            restored_counts = {
                table: restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables
            }
        assert restored_counts == counts
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
