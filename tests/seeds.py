"""The seed fiches' addresses, and fixtures that make métiers and formations of a test's own."""

import pytest

from formations.models import Formation
from metiers.models import CentreInteret, Metier, Salaire
from sources.models import Source

IMAGE = "ingenieur-traitement-de-l-image"
IA = "ingenieur-en-intelligence-artificielle"
EMBARQUES = "ingenieur-systemes-embarques-et-ia"
CHIFFRES = "j-aime-jongler-avec-les-chiffres"
ORGANISER = "j-aime-organiser-gerer"
TECHNOS = "je-me-passionne-pour-les-nouvelles-technologies"


@pytest.fixture
def make_metier(db):
    """A métier of our own: published unless asked, at a level, with interests and salaries."""

    def make(slug, *, titre=None, publie=True, niveau=5, centres=(), salaires=(), formations=()):
        metier = Metier.objects.create(
            titre=titre or slug.replace("-", " "),
            slug=slug,
            niveau_acces_id=niveau,
            publication=Metier.Publication.PUBLIE if publie else Metier.Publication.BROUILLON,
            accroche="<p>Un métier d'essai.</p>",
        )
        metier.centres_interet.set(CentreInteret.objects.filter(slug__in=centres))
        metier.formations.set(formations)
        source = Source.objects.get_or_create(code="essai", defaults={"titre": "Source d'essai", "nature": "saisie"})[0]
        for salaire in salaires:
            Salaire.objects.create(metier=metier, source=source, **salaire)
        return metier

    return make


@pytest.fixture
def make_formation(db):
    def make(slug, **fields):
        return Formation.objects.create(libelle=slug.replace("-", " "), slug=slug, type="master", niveau_id=5, **fields)

    return make
