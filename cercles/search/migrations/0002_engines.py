"""The text index of each engine, beside search_searchentry (see engines.py)."""

from django.db import migrations

POSTGRES = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DROP TEXT SEARCH CONFIGURATION IF EXISTS cercles_fr;
DROP TEXT SEARCH CONFIGURATION IF EXISTS cercles_en;
DROP TEXT SEARCH CONFIGURATION IF EXISTS cercles_simple;
CREATE TEXT SEARCH CONFIGURATION cercles_fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION cercles_fr
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION cercles_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION cercles_en
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION cercles_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION cercles_simple
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector);

CREATE FUNCTION search_entry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.vector :=
        setweight(to_tsvector('cercles_fr', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('cercles_fr', coalesce(NEW.text, '')), 'B')
        || setweight(to_tsvector('cercles_en', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('cercles_en', coalesce(NEW.text, '')), 'B')
        || setweight(to_tsvector('cercles_simple', coalesce(NEW.title, '')), 'C')
        || setweight(to_tsvector('cercles_simple', coalesce(NEW.text, '')), 'D');
    RETURN NEW;
END
$$;
CREATE TRIGGER search_entry_vector BEFORE INSERT OR UPDATE OF title, text
    ON search_searchentry FOR EACH ROW EXECUTE FUNCTION search_entry_vector();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS search_entry_vector ON search_searchentry;
DROP FUNCTION IF EXISTS search_entry_vector();
DROP TEXT SEARCH CONFIGURATION IF EXISTS cercles_fr;
DROP TEXT SEARCH CONFIGURATION IF EXISTS cercles_en;
DROP TEXT SEARCH CONFIGURATION IF EXISTS cercles_simple;
"""

SQLITE = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_fr, text_fr, title_en, text_en, title_raw, text_raw,
    tokenize = 'unicode61 remove_diacritics 2'
)
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
