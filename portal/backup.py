"""Backup and restore of a whole portal: the database, the uploaded (media) files and a
manifest that says what the backup holds, so that a restore can prove it got all of it back.

A backup directory holds:

* `database.dump` — PostgreSQL: `pg_dump --format=custom`, taken in the same snapshot as the
  manifest's row counts; SQLite: `database.sqlite3`, a copy made with SQLite's backup API
  (consistent while the portal runs);
* `media.tar` — every file under MEDIA_ROOT (uploads: attachments, images, photos, documents);
* `manifest.json` — when, which code (version, git commit), which database engine, the row
  count of every table, the SHA-256 of the two files above and of every media file.

The search indexes are not in a backup: a restore rebuilds them from the restored database.
`python -m portal backup <dir>` and `python -m portal restore <dir>` are the commands.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, dict]:
    """Every file under `root` by its relative path (POSIX), with its SHA-256 and size."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): {"sha256": sha256_of(path), "size": path.stat().st_size}
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def table_row_counts(cursor, tables) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - our own table names
        counts[table] = cursor.fetchone()[0]
    return counts


def database_row_counts() -> dict[str, int]:
    """The row count of every table of the portal's database, as it is now."""
    with connection.cursor() as cursor:
        return table_row_counts(cursor, connection.introspection.table_names(cursor))


def _code_version() -> dict:
    try:
        version = metadata.version("factory-portal")
    except metadata.PackageNotFoundError:
        # Run from a checkout, not installed: the version pyproject.toml gives.
        try:
            with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as stream:
                version = tomllib.load(stream)["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            version = ""
    commit = ""
    if shutil.which("git"):
        try:
            commit = subprocess.run(  # noqa: S603 - fixed arguments
                ["git", "rev-parse", "HEAD"],  # noqa: S607 - git from PATH
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            commit = ""
    return {"version": version, "git_commit": commit}


# PostgreSQL's client programs -------------------------------------------------------------


def _tool_major(path: str) -> int:
    output = subprocess.run(  # noqa: S603 - a PostgreSQL client program's path
        [path, "--version"], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    return int(output.split(")", 1)[1].strip().split(".")[0].split()[0])


def postgres_tool(name: str) -> str:
    """The path of `pg_dump` or `pg_restore` that can work with the server: the one of the
    server's major version (Debian installs each under /usr/lib/postgresql/<major>/bin), or
    the one on PATH when it is as new as the server. PG_BIN_DIR chooses the folder."""
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(str(Path(os.environ["PG_BIN_DIR"]) / name))
    candidates.append(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    if shutil.which(name):
        candidates.append(shutil.which(name))
    for candidate in candidates:
        if Path(candidate).is_file() and _tool_major(candidate) >= server_major:
            return candidate
    raise BackupError(
        f"No {name} for PostgreSQL {server_major} on this machine. Install the Debian package "
        f"postgresql-client-{server_major} (or postgresql-client when that is version "
        f"{server_major}), or set PG_BIN_DIR to the folder holding {name}."
    )


def _postgres_env() -> dict:
    from django.db.backends.postgresql.client import DatabaseClient

    database = connection.settings_dict
    _args, client_env = DatabaseClient.settings_to_cmd_args_env(database, [])
    env = {**os.environ, **(client_env or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if database.get(key):
            env[variable] = str(database[key])
    env["PGDATABASE"] = database["NAME"]
    return env


def _run(arguments: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 - PostgreSQL's client programs, our arguments
        arguments, env=_postgres_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()[-2000:]}")


# Backup -------------------------------------------------------------------------------------


def _backup_postgres(target: Path) -> dict[str, int]:
    pg_dump = postgres_tool("pg_dump")
    arguments = [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
    if connection.in_atomic_block:
        # Inside a transaction already (cannot start a snapshot): counts and dump may differ
        # by what is written in between.
        counts = database_row_counts()
        _run(arguments)
        return counts
    with transaction.atomic(), connection.cursor() as cursor:
        # The dump and the counts see the same moment: pg_dump joins this transaction's
        # snapshot while it stays open.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_row_counts(cursor, connection.introspection.table_names(cursor))
        _run([*arguments, f"--snapshot={snapshot}"])
    return counts


def _backup_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        tables = [
            name
            for (name,) in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        quote = connection.ops.quote_name
        counts = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - table names
            counts[table] = cursor.fetchone()[0]
        return counts
    finally:
        copy.close()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def backup_create(directory: Path) -> dict:
    """Write a backup of the database and the media files into `directory` (new or empty)
    and return its manifest."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: back up into a new or empty folder.")
    directory.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    database_file = directory / DATABASE_FILES[engine]
    write = _backup_postgres if engine == "postgresql" else _backup_sqlite
    counts = write(database_file)

    media_root = Path(settings.MEDIA_ROOT)
    files = media_checksums(media_root)
    archive = directory / MEDIA_ARCHIVE
    with tarfile.open(archive, "w") as tar:
        for relative in files:
            tar.add(media_root / relative, arcname=relative, recursive=False)

    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": _code_version(),
        "database": {
            "engine": engine,
            "server_version": connection.pg_version if engine == "postgresql" else None,
            "file": database_file.name,
            "sha256": sha256_of(database_file),
            "tables": counts,
        },
        "media": {"file": archive.name, "sha256": sha256_of(archive), "files": files},
        "search_index": "not included: `restore` rebuilds it from the database",
    }
    (directory / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


# Restore ------------------------------------------------------------------------------------


def manifest_read(directory: Path) -> dict:
    """The manifest of a backup, once the database file and the media archive match it."""
    directory = Path(directory)
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} holds no {MANIFEST}: not a portal backup.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        parts = [manifest["database"], manifest["media"]]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{path} cannot be read: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is of format {manifest.get('format')}, not {FORMAT}.")
    for part in parts:
        file = directory / part["file"]
        if not file.is_file():
            raise BackupError(f"{file} is missing from the backup.")
        if sha256_of(file) != part["sha256"]:
            raise BackupError(f"{file} does not match its checksum in the manifest: damaged.")
    return manifest


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _media_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.is_dir() else []


def _restore_postgres(dump: Path, *, force: bool) -> None:
    pg_restore = postgres_tool("pg_restore")
    arguments = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error"]
    if force:
        arguments += ["--clean", "--if-exists"]
    connection.close()
    database = connection.settings_dict["NAME"]
    _run([*arguments, "--single-transaction", f"--dbname={database}", str(dump)])


def _restore_sqlite(copy: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_media(directory: Path, manifest: dict) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / manifest["media"]["file"]) as tar:
        # The "data" filter refuses absolute paths, links out of the folder and devices.
        tar.extractall(media_root, filter="data")
    expected = manifest["media"]["files"]
    restored = media_checksums(media_root)
    wrong = [
        name
        for name, entry in expected.items()
        if restored.get(name, {}).get("sha256") != entry["sha256"]
    ]
    if wrong:
        raise BackupError(
            f"{len(wrong)} media files do not match the manifest after restoring, "
            f"e.g. {', '.join(wrong[:5])}."
        )
    return len(expected)


def backup_restore(directory: Path, *, force: bool = False) -> RestoreResult:
    """Restore a backup into this portal's database (which must be empty unless `force`) and
    MEDIA_ROOT (likewise), then check every table's row count and every file's checksum
    against the manifest. The caller rebuilds the search indexes."""
    directory = Path(directory)
    manifest = manifest_read(directory)
    engine = _engine()
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            f"The backup is of a {manifest['database']['engine']} database; this portal uses "
            f"{engine}. Restore it into a portal with the same kind of database."
        )
    if not force and not database_is_empty():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty "
            f"({len(connection.introspection.table_names())} tables). Restore into a new, "
            "empty database (do not run migrate first), or pass --force to replace its content."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not force and _media_files(media_root):
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) already holds files. Restore into an empty folder, or "
            "pass --force to add the backup's files to it (same names are overwritten)."
        )

    database_file = directory / manifest["database"]["file"]
    if engine == "postgresql":
        _restore_postgres(database_file, force=force)
    else:
        _restore_sqlite(database_file)
    files = _restore_media(directory, manifest)

    expected = manifest["database"]["tables"]
    counts = database_row_counts()
    different = {
        table: (rows, counts.get(table))
        for table, rows in expected.items()
        if counts.get(table) != rows
    }
    if different:
        details = ", ".join(
            f"{t}: {want} in the backup, {got}" for t, (want, got) in different.items()
        )
        raise BackupError(f"The restored database differs from the backup: {details}.")
    return RestoreResult(tables=len(expected), rows=sum(expected.values()), files=files)
