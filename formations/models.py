from django.contrib.postgres.search import SearchRank, SearchVector, SearchVectorField
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from core import collation
from core.cache import cached_for_catalogue
from core.search import CONFIG, flush_pending_entries, search_words, sqlite_normalised, sqlite_search, tsquery

FORMATION_ID_REGEX = r"^FOR\.[1-9][0-9]*$"
# Rows per statement when the stored vectors are recomputed.
VECTOR_BATCH = 5000


class Niveau(models.Model):
    """A rung on the bac … bac + 8 scale; `rang` is the number of years after the bac.

    `rang` is the primary key, so "at least / at most" filters on a level are
    plain integer comparisons on the foreign-key column, without a join.
    """

    rang = models.PositiveSmallIntegerField("années après le bac", primary_key=True)
    libelle = models.CharField("libellé", max_length=20, unique=True)
    slug = models.SlugField("slug", max_length=20, unique=True)

    class Meta:
        verbose_name = "niveau"
        verbose_name_plural = "niveaux"
        ordering = ["rang"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rang__lte=8), name="niveau_rang_bac_a_bac_plus_8"
            ),
        ]

    def __str__(self):
        return self.libelle

    def get_absolute_url(self):
        return reverse("metiers:niveau", args=[self.slug])


def is_public():
    """Condition: a published fiche names the formation, or none does (see
    `FormationQuerySet.public`); for one formation looked up, as a filter's value is."""
    # The métiers, from the formations' side: formations do not import métiers.
    published = Formation._meta.get_field("metiers").related_model.objects.published()
    links = Formation.metiers.through.objects.filter(formation=OuterRef("pk"))
    return ~Exists(links) | Exists(links.filter(metier__in=published))


def draft_only_formations():
    """The ids of the formations that some fiches name, none of them published."""
    return list(Formation.objects.exclude(is_public()).values_list("pk", flat=True))


class FormationQuerySet(models.QuerySet):
    def public(self):
        """Those a visitor may see: the formations a published fiche recommends, and those no
        fiche names (the formations catalogue's own); not those that only drafts name, which
        an import not yet reviewed brought in.

        Those are few, and read once per catalogue version: left in every listing's
        query as a condition on each row, they cost a search its index walk."""
        return self.exclude(pk__in=cached_for_catalogue("formations:brouillons-seuls", draft_only_formations))

    def with_niveau(self):
        """What pages show of a formation, with its level; not its search vector, which
        only the database reads."""
        return self.select_related("niveau").defer(*Formation.HIDDEN_COLUMNS)

    def for_page(self):
        """A formation's page: the formation with its level and its sources."""
        return self.with_niveau().prefetch_related("sources")

    def search(self, query):
        """Formations matching every word of ``query`` in their label, school or description,
        with a ``rank`` (higher is better; label and school weigh more)."""
        words = search_words(query)
        if not words:
            return self.none().annotate(rank=Value(0.0))
        if connections[self.db].vendor != "postgresql":
            return sqlite_search(
                self,
                words,
                titles=sqlite_normalised(Concat("libelle", Value(" "), "etablissement")),
                body=sqlite_normalised("description"),
            )
        matches = tsquery(words)
        return self.filter(vecteur=matches).annotate(rank=SearchRank(F("vecteur"), matches, normalization=32))

    def refresh_search_vector(self):
        """Recompute the stored text vector of these formations, on PostgreSQL (SQLite
        searches the normalised text itself). Saving one formation does it (signal
        below); writes in bulk (import, fixtures, synthetic catalogue) call it."""
        if connections[self.db].vendor != "postgresql":
            return 0
        pks = list(self.values_list("pk", flat=True))
        # In batches, so that no statement outlives the timeout.
        for start in range(0, len(pks), VECTOR_BATCH):
            Formation.objects.filter(pk__in=pks[start : start + VECTOR_BATCH]).update(vecteur=search_vector())
        flush_pending_entries(Formation, self.db)
        return len(pks)


def search_vector():
    """A formation's label and school (weight A) and description (weight B) as a text
    vector: stored in ``vecteur``, so that a search reads it rather than computing it
    for every row it looks at."""
    return SearchVector("libelle", "etablissement", weight="A", config=CONFIG) + SearchVector(
        "description", weight="B", config=CONFIG
    )


class Formation(models.Model):
    class Type(models.TextChoices):
        DIPLOME_INGENIEUR = "diplome_ingenieur", "diplôme d'ingénieur"
        MASTER = "master", "master"
        MASTERE_SPECIALISE = "mastere_specialise", "mastère spécialisé"
        MBA = "mba", "MBA"
        GRADUATE_DEGREE = "graduate_degree", "graduate degree"
        LICENCE = "licence", "licence"
        BACHELOR = "bachelor", "bachelor"
        DOCTORAT = "doctorat", "doctorat"
        CERTIFICATION = "certification", "certification"
        AUTRE = "autre", "autre formation"

    libelle = models.CharField("libellé", max_length=400, db_collation=collation.NAME)
    slug = models.SlugField("slug", max_length=220, unique=True)
    onisep_id = models.CharField(
        "identifiant ONISEP", max_length=20, unique=True, null=True, blank=True,
        help_text="De la forme FOR.1251, seulement quand la source le donne.",
    )
    type = models.CharField("type de diplôme", max_length=30, choices=Type.choices)
    niveau = models.ForeignKey(
        Niveau, verbose_name="niveau", on_delete=models.PROTECT,
        null=True, blank=True, related_name="formations",
    )
    etablissement = models.CharField("établissement", max_length=300, blank=True)
    description = models.TextField("description", blank=True)
    sources = models.ManyToManyField(
        "sources.Source", verbose_name="sources", blank=True, related_name="formations"
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)
    # PostgreSQL only: see `search_vector()`; its GIN index comes with migration 0006.
    vecteur = SearchVectorField(null=True, editable=False)

    objects = FormationQuerySet.as_manager()

    # Columns no page shows: only the database reads the search vector.
    HIDDEN_COLUMNS = ("vecteur",)
    # What a fiche métier shows of each of its formations (grouped by type; its level, its
    # school), on the page and in the API: neither the description nor the dates.
    LINK_COLUMNS = ("libelle", "slug", "type", "niveau", "etablissement")

    class Meta:
        verbose_name = "formation"
        verbose_name_plural = "formations"
        ordering = ["libelle", "pk"]
        # The listing's order, and the same order within a type or a level: a filter on
        # either then reads its first page and stops, however many formations come
        # earlier in the alphabet (labels start with their type: « Master … »).
        indexes = [
            models.Index(fields=["libelle", "id"], name="formation_libelle_idx"),
            models.Index(fields=["type", "libelle", "id"], name="formation_type_libelle_idx"),
            models.Index(fields=["niveau", "libelle", "id"], name="formation_niveau_libelle_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(onisep_id__isnull=True) | Q(onisep_id__regex=FORMATION_ID_REGEX),
                name="formation_onisep_id_forme",
            ),
        ]

    @property
    def codes_sources(self):
        """The sorted codes of its sources (prefetched by the exports and the API)."""
        return sorted(source.code for source in self.sources.all())

    def __str__(self):
        if self.onisep_id:
            return f"{self.libelle} ({self.onisep_id})"
        return self.libelle

    def get_absolute_url(self):
        return reverse("formations:detail", args=[self.slug])


@receiver(post_save, sender=Formation)
def _formation_enregistree(sender, instance, **kwargs):
    Formation.objects.filter(pk=instance.pk).refresh_search_vector()
