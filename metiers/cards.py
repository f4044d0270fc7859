"""A page of the métiers listing read in plain SQL, for the menus, the orders and a search
whose words are found.

Through django-filter and the ORM, a listing page built its queryset filter by filter
(a copy of the query at each step), then Django compiled it: about a millisecond of
every page, where PostgreSQL answers in a tenth of that. What the listing asks is a
handful of conditions on the métier and its link tables, and on PostgreSQL a full-text
match: written here once per process from the models' tables and columns (see
`portal.rows`), each request fills in its values. The rows are the same model
instances as the queryset's, with their level attached.

A search that finds nothing (its respelling, the titles close to its words) and any
search on SQLite stay with the FilterSet's queryset, as do the exports and the API.
Each condition here mirrors a filter method of `MetierFilterSet`;
`tests/metiers/test_cards.py` compares both, filter by filter and together.
"""

from functools import cache, cached_property

from django.db import connections
from django_filters.constants import EMPTY_VALUES

from formations.models import Niveau
from formations.search import CONFIG, search_words, tsquery_text
from portal.cache import cached_for_catalogue, count_for_catalogue
from portal.listing import DEEP_OFFSET, title_first_parts
from portal.rows import Columns, Names, fetch

from .models import TITLES_HOLD, Metier
from .references import LINKS

# The filter linking a métier to one formation, beside the kinds of LINKS.
FORMATION = "formation"


class _Statements:
    def __init__(self, connection):
        names = Names(connection)
        col, quote = names.col, connection.ops.quote_name
        self.card = Columns(connection, Metier, only=Metier.CARD_COLUMNS)
        self.niveau = Columns(connection, Niveau)
        self.table = table = names.table(Metier)
        self.id = col(Metier, "id")
        self.titre = col(Metier, "titre")
        self.select = (
            f"SELECT {self.card.sql}, {self.niveau.sql} FROM {table} "
            f"{names.with_niveau(Niveau, Metier, 'niveau_acces')} WHERE "
        )
        self.published = f"{col(Metier, 'publication')} = %s"
        self.niveau_exact = f"{col(Metier, 'niveau_acces')} = %s"
        self.niveau_au_plus = f"{col(Metier, 'niveau_acces')} <= %s"
        self.demande = f"{col(Metier, 'demande')} IN ({{}})"
        self.salaire_min = f"{col(Metier, 'salaire_debutant')} >= %s"
        self.match = f"{col(Metier, 'vecteur_recherche')} @@ to_tsquery(%s::regconfig, %s)"
        # As `metiers.models.in_titles()` writes it, for the planner.
        self.title_match = f"{TITLES_HOLD}({col(Metier, 'vecteur_titres')}, to_tsquery(%s::regconfig, %s))"
        # Whether the métier is linked to one of some options: EXISTS, as the FilterSet
        # writes it, so that a métier linked to two of them comes once.
        self.linked = {}
        for kind, name in [*LINKS.items(), (FORMATION, "formations")]:
            field = Metier._meta.get_field(name)
            through = names.table(field.remote_field.through)
            self.linked[kind] = (
                f"EXISTS (SELECT 1 FROM {through} WHERE {through}.{quote(field.m2m_column_name())} = "
                f"{self.id} AND {through}.{quote(field.m2m_reverse_name())} IN ({{}}))"
            )
        titre = f"{self.titre}, {self.id}"
        self.orders = {
            "titre": titre,
            "niveau": f"{col(Metier, 'niveau_acces')} ASC NULLS LAST, {titre}",
            "salaire": f"{col(Metier, 'salaire_debutant')} DESC NULLS LAST, {titre}",
        }


@cache
def _statements(alias):
    return _Statements(connections[alias])


def _placeholders(values):
    return ", ".join(["%s"] * len(values))


def holds_a_row(using, sql, params):
    """Whether the full-text search ``sql`` (PostgreSQL) finds a row.

    Not ``EXISTS``: asked for one row, the planner takes a word it has no statistics
    for (a misspelling, a word no fiche holds) to be in a hundred rows, and walks the
    table for the first one; when there is none, the walk read every fiche (57 to 76 ms
    at ×10). Planned as a whole, in a CTE that the query reads up to its first row, the
    search starts from the text index: 0.1 ms, and no slower for a common word.
    """
    with connections[using].cursor() as cursor:
        cursor.execute(f"WITH m AS MATERIALIZED ({sql}) SELECT 1 FROM m LIMIT 1", params)
        return cursor.fetchone() is not None


def found_key(using, count_key, respelling=None):
    """The name under which whether a listing's full-text search finds anything is kept,
    for the words typed or for their ``respelling``."""
    suffix = "" if respelling is None else f":{respelling}"
    return f"existe:{using}:{count_key}#texte{suffix}"


class Condition:
    """Conditions on the métier joined by AND, with their parameters in order."""

    def __init__(self, sql=(), params=()):
        self.sql, self.params = list(sql), list(params)

    def __and__(self, other):
        return Condition(self.sql + other.sql, self.params + other.params)

    def __str__(self):
        return " AND ".join(self.sql)


class CardRows:
    """Published métiers in one order, sliced like a queryset for the paginator
    (`count()`, ``rows[start:stop]``)."""

    def __init__(self, where, order, count_key, using):
        self.where, self.order = where, order
        self.count_key = count_key
        self.using = using

    @classmethod
    def of(cls, filterset, count_key, using="default"):
        """The rows of ``filterset``, or None when they are the queryset's to read (a
        search that finds nothing, or on SQLite). Its invalid filters are left out, as
        its queryset leaves them out."""
        statements = _statements(using)
        scope, search = Condition([statements.published], [Metier.Publication.PUBLIE]), None
        filterset.errors  # validates the form, as reading `qs` does
        for name, value in filterset.form.cleaned_data.items():
            if name == "tri" or value in EMPTY_VALUES:
                continue
            if name == "q":
                search = search_words(value)
                if not search or connections[using].vendor != "postgresql":
                    return None
            elif name in ("niveau", "niveau_max"):
                template = statements.niveau_exact if name == "niveau" else statements.niveau_au_plus
                scope &= Condition([template], [filterset.rang(value)])
            elif name in ("secteur", "statut", "centre_interet"):
                slugs = set(value) if name == "centre_interet" else {value}
                ids = [option.pk for option in filterset.options[name] if option.slug in slugs]
                scope &= Condition([statements.linked[name].format(_placeholders(ids)) if ids else "1 = 0"], ids)
            elif name == FORMATION:
                scope &= Condition([statements.linked[FORMATION].format("%s")], [value.pk])
            elif name == "demande":
                values = Metier.Demande.au_moins(value)
                scope &= Condition([statements.demande.format(_placeholders(values))], values)
            elif name == "salaire_min":
                scope &= Condition([statements.salaire_min], [value])
            else:
                return None
        tri = filterset.tri_effectif()
        if search is None:
            return cls(scope, statements.orders[tri], count_key, using)
        matches = scope & Condition([statements.match], [CONFIG, tsquery_text(search)])
        if not SearchRows.finds_any(matches, count_key, using):
            return None
        if tri == "pertinence":
            in_title = Condition([statements.title_match], [CONFIG, tsquery_text(search)])
            return SearchRows(scope, matches, in_title, count_key, using)
        return cls(matches, statements.orders[tri], count_key, using)

    @classmethod
    def of_option(cls, kind, pk, count_key, using="default"):
        """The published métiers of one level (``kind`` "niveau", ``pk`` its rank) or linked
        to one option of LINKS, in title order: the pages of a level and of an interest."""
        statements = _statements(using)
        condition = statements.niveau_exact if kind == "niveau" else statements.linked[kind].format("%s")
        where = Condition([statements.published, condition], [Metier.Publication.PUBLIE, pk])
        return cls(where, statements.orders["titre"], count_key, using)

    @property
    def db(self):
        return self.using

    def _fetch(self, sql, params):
        return fetch(connections[self.using], sql, params)

    def count(self):
        def read():
            sql = f"SELECT COUNT(*) FROM {_statements(self.using).table} WHERE {self.where}"
            return self._fetch(sql, self.where.params)[0][0]

        return count_for_catalogue(self.using, self.count_key, read)

    def __getitem__(self, window):
        start = window.start or 0
        if window.step is not None or start < 0 or window.stop is None or window.stop < start:
            raise ValueError("seules les tranches [début:fin] sont lues")
        statements = _statements(self.using)
        connection = connections[self.using]
        rows = []
        for sql, params in self.statements(start, window.stop):
            rows += statements.card.instances(
                connection, self._fetch(sql, params), related=statements.niveau, attribute="niveau_acces"
            )
        return rows

    def statements(self, start, stop):
        """The (SQL, parameters) that read rows start:stop, in order."""
        return [self._statement(self.where, (self.order, []), start, stop)]

    def _statement(self, where, order, start, stop):
        """Rows start:stop of the métiers meeting ``where``, in ``order`` (SQL and its parameters)."""
        statements = _statements(self.using)
        order, order_params = order
        sql = f"{where} ORDER BY {order} LIMIT %s OFFSET %s"
        params = [*where.params, *order_params, stop - start, start]
        if start >= DEEP_OFFSET:
            # The rows skipped are walked by their ids alone: joined to their level and
            # read whole, the 1 000 rows before page 50 cost 0.6 ms more of PostgreSQL.
            sql = (
                f"{statements.id} IN (SELECT {statements.id} FROM {statements.table} WHERE {sql}) "
                f"ORDER BY {order}"
            )
            params += order_params
        return statements.select + sql, params


class SearchRows(CardRows):
    """A search in relevance order, as `portal.listing.TitleFirstResults` reads it: the
    métiers holding every word in their title first, then the others, each group in
    title order, walked from the title index; a few matches sorted at once. The groups'
    sizes and first titles are those it keeps (the same cached entry)."""

    def __init__(self, scope, matches, in_title, count_key, using):
        statements = _statements(using)
        super().__init__(matches, statements.orders["titre"], count_key, using)
        self.scope, self.in_title = scope, in_title

    @staticmethod
    def finds_any(matches, count_key, using):
        """Whether ``matches`` holds a row, kept under the name the FilterSet keeps it by."""
        statements = _statements(using)
        sql = f"SELECT {statements.id} FROM {statements.table} WHERE {matches}"

        def read():
            return holds_a_row(using, sql, matches.params)

        if count_key is None:
            return read()
        return cached_for_catalogue(found_key(using, count_key), read)

    @cached_property
    def sizes(self):
        statements = _statements(self.using)
        titre, in_title = statements.titre, str(self.in_title)

        def read():
            sql = (
                f"SELECT COUNT(*), COUNT(*) FILTER (WHERE {in_title}), MIN({titre}) FILTER (WHERE {in_title}), "
                f"MIN({titre}) FILTER (WHERE NOT ({in_title})) FROM {statements.table} WHERE {self.where}"
            )
            params = [*self.in_title.params * 3, *self.where.params]
            n, titres, debut_titres, debut_autres = self._fetch(sql, params)[0]
            return {"n": n, "titres": titres, "debut_titres": debut_titres, "debut_autres": debut_autres}

        if self.count_key is None:
            return read()
        return cached_for_catalogue(f"groupes:{self.using}:{self.count_key}", read)

    def count(self):
        return self.sizes["n"]

    def statements(self, start, stop):
        sizes = self.sizes
        statements = _statements(self.using)
        by_title = (self.order, [])
        parts = []
        for group, bottom, top in title_first_parts(sizes["n"], sizes["titres"], start, stop):
            if group == "together":
                first = (f"CASE WHEN {self.in_title} THEN 0 ELSE 1 END, {self.order}", self.in_title.params)
                parts.append(self._statement(self.where, first, bottom, top))
                continue
            if group == "titles":
                where, debut = self.scope & self.in_title, sizes["debut_titres"]
            else:
                where = self.where & Condition([f"NOT ({self.in_title})"], self.in_title.params)
                debut = sizes["debut_autres"]
            if debut is not None:
                where &= Condition([f"{statements.titre} >= %s"], [debut])
            parts.append(self._statement(where, by_title, bottom, top))
        return parts
