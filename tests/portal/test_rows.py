"""Instances built from plain SQL rows (portal.rows.Columns) are the ORM's instances."""

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from formations.models import Formation, Niveau
from portal.rows import Columns

pytestmark = pytest.mark.django_db


@pytest.fixture
def formations():
    bac5 = Niveau.objects.get(rang=5)
    return Formation.objects.bulk_create([
        Formation(libelle="master essais", slug="master-essais", type=Formation.Type.MASTER, niveau=bac5,
                  onisep_id="FOR.1251", etablissement="Université d'essai"),
        Formation(libelle="certificat maison", slug="certificat", type=Formation.Type.MASTER),
    ])


def read(columns, related=None, attribute=None):
    """The formations' rows as the fiches read them, with their level joined when asked."""
    select = columns.sql + (f", {related.sql}" if related else "")
    join = 'LEFT JOIN "formations_niveau" ON "formations_niveau"."rang" = "formations_formation"."niveau_id"'
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT {select} FROM "formations_formation" {join if related else ""} '
                       'ORDER BY "formations_formation"."id"')
        return columns.instances(connection, cursor.fetchall(), related, attribute)


def test_an_instance_holds_what_the_orm_s_holds_and_defers_the_same_fields(formations):
    columns = Columns(connection, Formation, exclude=("vecteur", "description"))
    assert columns.plain()
    built = read(columns)
    expected = list(Formation.objects.defer("vecteur", "description").order_by("pk"))
    for instance, orm in zip(built, expected, strict=True):
        assert {k: v for k, v in vars(instance).items() if k != "_state"} == \
            {k: v for k, v in vars(orm).items() if k != "_state"}
        assert instance.get_deferred_fields() == orm.get_deferred_fields() == {"vecteur", "description"}
        assert (instance._state.adding, instance._state.db) == (False, "default")
        assert instance == orm and hash(instance) == hash(orm)


def test_a_deferred_field_is_read_on_use_and_a_save_updates_the_row(formations):
    instance = read(Columns(connection, Formation, only=("libelle",)))[0]
    with CaptureQueriesContext(connection) as queries:
        assert instance.slug == "master-essais"
    assert len(queries) == 1
    instance.libelle = "master essais et mesures"
    with CaptureQueriesContext(connection) as queries:
        instance.save(update_fields=["libelle"])
    assert queries[0]["sql"].startswith("UPDATE")
    assert Formation.objects.get(pk=instance.pk).libelle == "master essais et mesures"
    assert Formation.objects.count() == 2


def test_the_related_instance_is_attached_and_an_empty_outer_join_gives_none(formations):
    built = read(Columns(connection, Formation), Columns(connection, Niveau), "niveau")
    assert built[0].niveau.libelle == "bac + 5"
    assert (built[0].niveau._state.adding, built[0].niveau._state.db) == (False, "default")
    assert built[1].niveau is None
    with CaptureQueriesContext(connection) as queries:
        assert built[0].niveau_id == 5 and built[1].niveau_id is None
        assert built[0].niveau.rang == 5
    assert len(queries) == 0


def test_a_receiver_of_the_model_s_signals_still_sees_each_instance(formations):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.libelle)

    post_init.connect(receiver, sender=Formation)
    try:
        columns = Columns(connection, Formation)
        assert not columns.plain()
        read(columns)
    finally:
        post_init.disconnect(receiver, sender=Formation)
    assert seen == ["master essais", "certificat maison"]
    assert columns.plain()


def test_a_model_with_its_own_from_db_is_built_by_it(formations, monkeypatch):
    built_by = []
    default = Formation.from_db.__func__

    def from_db(cls, db, field_names, values):
        built_by.append(values[1])
        return default(cls, db, field_names, values)

    monkeypatch.setattr(Formation, "from_db", classmethod(from_db))
    columns = Columns(connection, Formation)
    assert not columns.plain()
    assert [formation.slug for formation in read(columns)] == ["master-essais", "certificat"]
    assert built_by == ["master essais", "certificat maison"]
