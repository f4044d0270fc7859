"""Indexes of the métier search on PostgreSQL, and the search vectors of existing rows.

A GIN index on the stored vector serves the full-text match; a GIN trigram index on
the normalised titles serves misspellings ("traitemnt de l'image"). SQLite needs
neither: it searches the normalised columns directly.
"""

from django.db import migrations

from core.search import run_on_postgresql

FORWARD = [
    "CREATE INDEX metier_vecteur_recherche_gin ON metiers_metier USING gin (vecteur_recherche)",
    "CREATE INDEX metier_texte_titres_trgm ON metiers_metier USING gin (texte_titres gin_trgm_ops)",
    "UPDATE metiers_metier SET vecteur_recherche ="
    " setweight(to_tsvector('french_unaccent', texte_titres), 'A')"
    " || setweight(to_tsvector('french_unaccent', texte_corps), 'B')",
]
BACKWARD = [
    "DROP INDEX IF EXISTS metier_texte_titres_trgm",
    "DROP INDEX IF EXISTS metier_vecteur_recherche_gin",
]


class Migration(migrations.Migration):
    dependencies = [("metiers", "0001_initial"), ("formations", "0003_search")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
