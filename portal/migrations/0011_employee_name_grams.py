"""A GIN index on the characters and character pairs of each employee's name (PostgreSQL only),
so that the directory's search for Chinese text inside names (`name LIKE '%张伟%'`) reads the
index instead of every employee: a name holds the query only if it holds every character pair
of it (every character, for a query of one), which the index answers; LIKE then checks.

The function and the index are made by hand here, outside the models' state (an index on a
function of our own, on PostgreSQL only): SQLite keeps its scan, and `makemigrations` has
nothing to compare. The function names its built-ins with their schema, so that a restore
(which runs with an empty search_path) can build the index."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION portal_name_grams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT pg_catalog.array_agg(DISTINCT pg_catalog.substr(name, i, n))
    FROM pg_catalog.generate_series(1, pg_catalog.char_length(name)) AS i,
         (VALUES (1), (2)) AS grams(n)
    WHERE i + n - 1 <= pg_catalog.char_length(name)
$$
"""
INDEX = (
    "CREATE INDEX portal_employee_name_grams ON portal_employee"
    " USING gin (portal_name_grams(name))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS portal_employee_name_grams")
        schema_editor.execute("DROP FUNCTION IF EXISTS portal_name_grams(text)")


class Migration(migrations.Migration):
    dependencies = [("portal", "0010_user_directory_indexes")]

    operations = [migrations.RunPython(create, drop)]
