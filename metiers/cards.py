"""A page of the métiers listing read in plain SQL when only its menus and its order apply.

Through django-filter and the ORM, a listing page built its queryset filter by filter
(a copy of the query at each step), then Django compiled it: about a millisecond of
every page, where PostgreSQL answers in a tenth of that. Without a search, what the
listing asks is a handful of conditions on the métier and its link tables, written
here once per process from the models' tables and columns (see `portal.rows`); each
request fills in its values. The rows are the same model instances as the queryset's,
with their level attached.

A search, with its index walk, its respelling and its fallbacks, stays with the
queryset (`MetierFilterSet.results`), as do the exports and the API. Each condition
here mirrors a filter method of `MetierFilterSet`; `tests/metiers/test_cards.py`
compares both, filter by filter and together, on every database the tests run on.
"""

from functools import cache

from django.db import connections
from django_filters.constants import EMPTY_VALUES

from formations.models import Niveau
from portal.cache import count_for_catalogue
from portal.listing import DEEP_OFFSET
from portal.rows import Columns, Names

from .models import Metier
from .references import LINKS

# The filter linking a métier to one formation, beside the kinds of LINKS.
FORMATION = "formation"


class _Statements:
    def __init__(self, connection):
        names = Names(connection)
        col, quote = names.col, connection.ops.quote_name
        self.card = Columns(connection, Metier, only=Metier.CARD_COLUMNS)
        self.niveau = Columns(connection, Niveau)
        table = names.table(Metier)
        self.select = (
            f"SELECT {self.card.sql}, {self.niveau.sql} FROM {table} "
            f"{names.with_niveau(Niveau, Metier, 'niveau_acces')} WHERE "
        )
        self.count = f"SELECT COUNT(*) FROM {table} WHERE "
        self.ids = f"{col(Metier, 'id')} IN (SELECT {col(Metier, 'id')} FROM {table} WHERE "
        self.published = f"{col(Metier, 'publication')} = %s"
        self.niveau_exact = f"{col(Metier, 'niveau_acces')} = %s"
        self.niveau_au_plus = f"{col(Metier, 'niveau_acces')} <= %s"
        self.demande = f"{col(Metier, 'demande')} IN ({{}})"
        self.salaire_min = f"{col(Metier, 'salaire_debutant')} >= %s"
        # Whether the métier is linked to one of some options: EXISTS, as the FilterSet
        # writes it, so that a métier linked to two of them comes once.
        self.linked = {}
        for kind, name in [*LINKS.items(), (FORMATION, "formations")]:
            field = Metier._meta.get_field(name)
            through = names.table(field.remote_field.through)
            self.linked[kind] = (
                f"EXISTS (SELECT 1 FROM {through} WHERE {through}.{quote(field.m2m_column_name())} = "
                f"{col(Metier, 'id')} AND {through}.{quote(field.m2m_reverse_name())} IN ({{}}))"
            )
        titre = f"{col(Metier, 'titre')}, {col(Metier, 'id')}"
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


class CardRows:
    """The published métiers a `MetierFilterSet` without a search selects, in its order,
    sliced like a queryset for the paginator (`count()`, ``rows[start:stop]``)."""

    def __init__(self, where, params, order, count_key, using):
        self.where, self.params, self.order = where, params, order
        self.count_key = count_key
        self.using = using

    @classmethod
    def of(cls, filterset, count_key, using="default"):
        """The rows of ``filterset``, or None when a filter applied has no SQL here (a
        search). Its invalid filters are left out, as its queryset leaves them out."""
        statements = _statements(using)
        where, params = [statements.published], [Metier.Publication.PUBLIE]
        filterset.errors  # validates the form, as reading `qs` does
        for name, value in filterset.form.cleaned_data.items():
            if name == "tri" or value in EMPTY_VALUES:
                continue
            if name in ("niveau", "niveau_max"):
                template = statements.niveau_exact if name == "niveau" else statements.niveau_au_plus
                where.append(template)
                params.append(filterset.rang(value))
            elif name in ("secteur", "statut", "centre_interet"):
                slugs = set(value) if name == "centre_interet" else {value}
                ids = [option.pk for option in filterset.options[name] if option.slug in slugs]
                where.append(statements.linked[name].format(_placeholders(ids)) if ids else "1 = 0")
                params.extend(ids)
            elif name == FORMATION:
                where.append(statements.linked[FORMATION].format("%s"))
                params.append(value.pk)
            elif name == "demande":
                values = Metier.Demande.au_moins(value)
                where.append(statements.demande.format(_placeholders(values)))
                params.extend(values)
            elif name == "salaire_min":
                where.append(statements.salaire_min)
                params.append(value)
            else:
                return None
        order = statements.orders.get(filterset.tri_effectif())
        if order is None:
            return None
        return cls(" AND ".join(where), params, order, count_key, using)

    @classmethod
    def of_option(cls, kind, pk, count_key, using="default"):
        """The published métiers of one level (``kind`` "niveau", ``pk`` its rank) or linked
        to one option of LINKS, in title order: the pages of a level and of an interest."""
        statements = _statements(using)
        condition = statements.niveau_exact if kind == "niveau" else statements.linked[kind].format("%s")
        return cls(
            f"{statements.published} AND {condition}", [Metier.Publication.PUBLIE, pk], statements.orders["titre"],
            count_key, using,
        )

    def count(self):
        def read():
            with connections[self.using].cursor() as cursor:
                cursor.execute(_statements(self.using).count + self.where, self.params)
                return cursor.fetchone()[0]

        return count_for_catalogue(self.using, self.count_key, read)

    def __getitem__(self, window):
        start = window.start or 0
        if window.step is not None or start < 0 or window.stop is None or window.stop < start:
            raise ValueError("seules les tranches [début:fin] sont lues")
        statements = _statements(self.using)
        connection = connections[self.using]
        sql = f"{self.where} ORDER BY {self.order} LIMIT %s OFFSET %s"
        if start >= DEEP_OFFSET:
            # The rows skipped are walked by their ids alone: joined to their level and
            # read whole, the 1 000 rows before page 50 cost 0.6 ms more of PostgreSQL.
            sql = f"{statements.ids}{sql}) ORDER BY {self.order}"
        with connection.cursor() as cursor:
            cursor.execute(statements.select + sql, [*self.params, window.stop - start, start])
            rows = cursor.fetchall()
        return statements.card.instances(connection, rows, related=statements.niveau, attribute="niveau_acces")
