"""On PostgreSQL, a GIN index of the clauses' full-text search vector (drafting.search); nothing elsewhere."""

from django.db import migrations

NAME = "clause_text_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    from drafting.search import clause_vector

    schema_editor.add_index(apps.get_model("drafting", "Clause"), GinIndex(clause_vector(), name=NAME))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("drafting", "0019_undoable_actions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
