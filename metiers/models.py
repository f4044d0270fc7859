from django.contrib.postgres.search import (
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Case, Exists, F, Func, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse

from core import collation
from core.search import CONFIG, flush_pending_entries, search_words, sqlite_search, tsquery
from formations.models import Formation, Niveau

from .search import html_to_text, misspelt_titles, normalise

METIER_ID_REGEX = r"^MET\.[1-9][0-9]*$"
# Addresses under /metiers/ that are pages of their own, not fiches (see metiers/urls.py).
RESERVED_SLUGS = frozenset({"comparer"})
# Rows per statement when the search columns are recomputed.
INDEX_BATCH = 500


def validate_not_reserved(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            "« %(slug)s » est l'adresse d'une autre page du portail : choisissez un autre slug.",
            code="reserved", params={"slug": slug},
        )


class ReferentielQuerySet(models.QuerySet):
    def public(self):
        """Those a published fiche uses. The new ones of a draft (an import not yet reviewed
        brings them in) stay out of the menus, the pages and the sitemap until then."""
        links = self.model.metiers.through.objects.filter(
            **{self.model._meta.model_name: OuterRef("pk")}, metier__publication=Metier.Publication.PUBLIE
        )
        return self.filter(Exists(links))


class Referentiel(models.Model):
    """Common shape of the small reference tables (interests, sectors, statuses)."""

    libelle = models.CharField("libellé", max_length=200, unique=True, db_collation=collation.NAME)
    slug = models.SlugField("slug", max_length=200, unique=True)
    onisep_id = models.CharField(
        "identifiant ONISEP", max_length=40, unique=True, null=True, blank=True
    )

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["libelle", "pk"]

    def __str__(self):
        return self.libelle


class CentreInteret(Referentiel):
    class Meta(Referentiel.Meta):
        verbose_name = "centre d'intérêt"
        verbose_name_plural = "centres d'intérêt"

    def get_absolute_url(self):
        return reverse("metiers:centre_interet", args=[self.slug])


class Secteur(Referentiel):
    class Meta(Referentiel.Meta):
        verbose_name = "secteur d'activité"
        verbose_name_plural = "secteurs d'activité"


class Statut(Referentiel):
    class Meta(Referentiel.Meta):
        verbose_name = "statut"
        verbose_name_plural = "statuts"


# The many-to-many field of Metier behind each kind a métier is tagged with.
LINKS = {"secteur": "secteurs", "statut": "statuts", "centre_interet": "centres_interet"}


def tag_prefetches():
    """What `Metier.etiquettes`, `Metier.sources_citees` and `Metier.codes_sources` read,
    as prefetches: a fiche, a page of the API and a chunk of an export read each in one
    query for all their métiers."""
    return [
        *(Prefetch(name, queryset=model.objects.only("slug", "libelle"))
          for name, model in (("secteurs", Secteur), ("statuts", Statut), ("centres_interet", CentreInteret))),
        "sources",
        Prefetch("salaires", queryset=Salaire.objects.select_related("source")),
    ]


class MetierQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication=Metier.Publication.PUBLIE)

    def for_fiche(self):
        """Everything a fiche shows, in a number of queries that does not grow with the
        catalogue: its level, appellations, salaries with their source, formations with
        their level, published related métiers as cards, and its tags and sources."""
        return (
            self.select_related("niveau_acces")
            .defer(*Metier.HIDDEN_COLUMNS)
            .prefetch_related(
                "appellations",
                Prefetch(
                    "formations",
                    queryset=Formation.objects.select_related("niveau").only(*Formation.LINK_COLUMNS),
                ),
                Prefetch("metiers_associes", queryset=Metier.objects.published().for_cards()),
                *tag_prefetches(),
            )
        )

    def with_tags(self):
        """These métiers with what their tags and cited sources read (see `tag_prefetches`)."""
        return self.prefetch_related(*tag_prefetches())

    def for_cards(self):
        """What a listing card shows, and nothing more: its title, summary, level and
        starting salary. The long sections, the search columns, the import record and the
        dates weigh more than the card itself, and a listing reads twenty rows a page."""
        return self.select_related("niveau_acces").only(*Metier.CARD_COLUMNS)

    def for_summaries(self):
        """A card's columns and what the open data adds to them (the exports, the API):
        the ONISEP id, the demand and the date of the last change."""
        return self.select_related("niveau_acces").only(*Metier.CARD_COLUMNS, "onisep_id", "demande", "modifie_le")

    def refresh_salaire_debutant(self):
        """Recompute the stored ``salaire_debutant`` of these métiers (see `salaire_debutant()`).

        Saving or deleting one salary does it for its métier (signals below); writes in
        bulk (import, fixtures, synthetic catalogue) call it, through
        `refresh_derived_columns()`, once they are done.
        """
        pks = list(self.values_list("pk", flat=True))
        # In batches, like the search columns, so that no statement outlives the timeout.
        for start in range(0, len(pks), INDEX_BATCH):
            Metier.objects.filter(pk__in=pks[start : start + INDEX_BATCH]).update(
                salaire_debutant=salaire_debutant(Salaire)
            )
        return len(pks)

    def refresh_derived_columns(self):
        """Recompute every column derived from the fiche and its salaries; returns how many
        métiers were refreshed."""
        self.refresh_salaire_debutant()
        return self.refresh_search_index()

    def refresh_search_index(self):
        """Recompute the derived search columns of these métiers.

        Called after anything that changes what a fiche says: an admin save, an
        import, a fixture load. Titles (with every appellation) and body are kept
        apart so that title matches can rank first.
        """
        metiers = list(self.prefetch_related("appellations", "formations"))
        for metier in metiers:
            metier.texte_titres = normalise(
                " ".join([metier.titre, *(a.libelle for a in metier.appellations.all())])
            )
            metier.texte_corps = normalise(
                " ".join(
                    [
                        *(html_to_text(getattr(metier, name)) for name in Metier.SECTIONS),
                        metier.perspectives,
                        *(f.libelle for f in metier.formations.all()),
                    ]
                )
            )
        Metier.objects.bulk_update(metiers, ["texte_titres", "texte_corps"], batch_size=INDEX_BATCH)
        if connections[self.db].vendor == "postgresql":
            vector = SearchVector("texte_titres", weight="A", config=CONFIG) + SearchVector(
                "texte_corps", weight="B", config=CONFIG
            )
            pks = [metier.pk for metier in metiers]
            # In batches, like the update above, so that no statement outlives the timeout.
            for start in range(0, len(pks), INDEX_BATCH):
                Metier.objects.filter(pk__in=pks[start : start + INDEX_BATCH]).update(
                    vecteur_recherche=vector, vecteur_titres=title_vector()
                )
        flush_pending_entries(Metier, self.db)
        return len(metiers)

    def search(self, query):
        """Métiers matching every word of ``query``, with a ``rank`` (higher is better).

        Titles and appellations weigh more than the body, so title matches come first.
        On PostgreSQL, French stemming; when that finds nothing, titles close to every
        word, for misspellings.
        """
        words = search_words(query)
        if not words:
            return self.none().annotate(rank=Value(0.0))
        if connections[self.db].vendor != "postgresql":
            return sqlite_search(self, words, titles=F("texte_titres"), body=F("texte_corps"))
        found = self.search_full_text(words)
        if not found.exists():
            return self.search_misspelt(words)
        return found

    def with_title_words(self, words):
        """Métiers whose title or one of its appellations has a word beginning with each of
        ``words`` (normalised, see `core.search.search_words`): what the search
        field suggests as one types. Beginnings of words, not stems: « environnem » finds
        « environnement », whose stem is shorter. On PostgreSQL the trigram index of the
        titles serves it; a word under three letters alone is checked row by row, cheaply."""
        condition = Q()
        for word in words:
            condition &= Q(texte_titres__startswith=word) | Q(texte_titres__contains=f" {word}")
        return self.filter(condition)

    def search_full_text(self, words):
        """PostgreSQL: métiers holding every word (French stemming, accents ignored);
        a title match scores at least 1, a body match less."""
        matches = tsquery(words)
        rank = Case(When(in_titles(matches), then=1.0), default=0.0) + SearchRank(
            F("vecteur_recherche"), matches, normalization=32
        )
        return self.filter(vecteur_recherche=matches).annotate(rank=rank)

    def search_misspelt(self, words):
        """PostgreSQL: titles close to every word, ranked by closeness. Only worth asking
        when full text finds nothing: planning trigram conditions costs milliseconds per word."""
        return self.filter(misspelt_titles(words)).annotate(
            rank=TrigramWordSimilarity(" ".join(words), "texte_titres")
        )


def title_vector():
    """PostgreSQL: the search vector of a métier's titles and appellations alone; a
    query's words are all in it exactly when they are all among the words of weight A of
    `vecteur_recherche`."""
    return SearchVector("texte_titres", config=CONFIG)


# The function behind ``tsvector @@ tsquery``; see `in_titles()`.
TITLES_HOLD = "ts_match_vq"


def in_titles(query):
    """PostgreSQL: whether a métier's titles hold every word of ``query`` (a tsquery
    expression), for the relevance order: title matches first.

    Asked with the function behind ``@@`` rather than the operator, for the planner's
    sake. It estimates ``@@`` from the column's most common words, and for a prefix (the
    last word typed) falls back on a small fixed share of the rows when it knows few of
    them, as titles repeat few words: it then took a common word's title matches for a
    few, and sorted them all instead of walking the title index. A function is estimated
    to hold for a third of the rows, which keeps the walk that
    `core.listing.TitleFirstResults` plans for from the true sizes of the groups.
    """
    return Q(Func(F("vecteur_titres"), query, function=TITLES_HOLD, output_field=models.BooleanField()))


def salaire_debutant(salaire_model):
    """The best beginner gross monthly salary in France of the outer métier, in €.

    Each source's figure counts on its own (none are averaged): the highest lower bound
    among beginner gross salaries, yearly amounts divided by 12. A range with no lower
    bound ("up to …") promises nothing, so it is left out. ``salaire_model``: the
    `Salaire` model, or its historical version in a migration.
    """
    mensuel = Case(
        When(periode="annuel", then=F("montant_min") / 12),
        default=F("montant_min"),
        output_field=models.IntegerField(),
    )
    best = (
        salaire_model.objects.filter(
            metier=OuterRef("pk"), experience="debutant", nature="brut", devise="EUR", pays="FR",
            montant_min__isnull=False,
        )
        .annotate(mensuel=mensuel)
        .order_by("-mensuel")
        .values("mensuel")[:1]
    )
    return Subquery(best)


class Metier(models.Model):
    class Publication(models.TextChoices):
        BROUILLON = "brouillon", "brouillon"
        PUBLIE = "publie", "publié"

    class Demande(models.TextChoices):
        TRES_FORTE = "tres_forte", "très forte"
        FORTE = "forte", "forte"
        MOYENNE = "moyenne", "moyenne"
        FAIBLE = "faible", "faible"

        @classmethod
        def at_least(cls, value):
            """The values at least as strong as ``value`` (the members go from the strongest)."""
            values = list(cls.values)
            return values[: values.index(value) + 1]

    # Columns no page shows: the search index and the import record, which weigh more
    # than a whole card.
    HIDDEN_COLUMNS = ("texte_titres", "texte_corps", "vecteur_recherche", "vecteur_titres", "import_valeurs")

    # What a card shows (`MetierQuerySet.for_cards`); its level is read with it.
    CARD_COLUMNS = ("titre", "slug", "accroche", "niveau_acces", "salaire_debutant")

    # Text sections of a fiche, in reading order.
    SECTIONS = (
        "accroche",
        "nature_travail",
        "competences",
        "conditions_travail",
        "vie_professionnelle",
        "acces_metier",
        "duree_etudes",
    )

    titre = models.CharField(
        "intitulé", max_length=300, db_collation=collation.NAME,
        help_text="Forme neutre et inclusive, par exemple « ingénieur/e traitement de l'image ».",
    )
    slug = models.SlugField("slug", max_length=220, unique=True, validators=[validate_not_reserved])
    onisep_id = models.CharField(
        "identifiant ONISEP", max_length=20, unique=True, null=True, blank=True,
        help_text="De la forme MET.612, seulement quand la source le donne.",
    )
    accroche = models.TextField("en bref", blank=True)
    nature_travail = models.TextField("nature du travail", blank=True)
    competences = models.TextField("compétences requises", blank=True)
    conditions_travail = models.TextField("conditions de travail", blank=True)
    vie_professionnelle = models.TextField("vie professionnelle", blank=True)
    acces_metier = models.TextField("accès au métier", blank=True)
    duree_etudes = models.TextField("durée des études", blank=True)
    niveau_acces = models.ForeignKey(
        Niveau, verbose_name="niveau d'accès minimum", on_delete=models.PROTECT,
        null=True, blank=True, related_name="metiers",
    )
    statuts = models.ManyToManyField(Statut, verbose_name="statuts", blank=True, related_name="metiers")
    secteurs = models.ManyToManyField(
        Secteur, verbose_name="secteurs d'activité", blank=True, related_name="metiers"
    )
    centres_interet = models.ManyToManyField(
        CentreInteret, verbose_name="centres d'intérêt", blank=True, related_name="metiers"
    )
    formations = models.ManyToManyField(
        Formation, verbose_name="formations recommandées", blank=True, related_name="metiers"
    )
    metiers_associes = models.ManyToManyField(
        "self", verbose_name="métiers associés", blank=True, symmetrical=True
    )
    demande = models.CharField(
        "niveau de demande", max_length=20, choices=Demande.choices, blank=True
    )
    perspectives = models.TextField("perspectives", blank=True)
    publication = models.CharField(
        "état de publication", max_length=10, choices=Publication.choices,
        default=Publication.BROUILLON, db_index=True,
    )
    sources = models.ManyToManyField(
        "sources.Source", verbose_name="sources", blank=True, related_name="metiers"
    )
    # Provenance of the last import, so that a re-import can tell editors' changes apart.
    import_fichier = models.CharField("fichier importé", max_length=500, blank=True, editable=False)
    import_date = models.DateTimeField("date d'import", null=True, blank=True, editable=False)
    import_valeurs = models.JSONField("valeurs importées", default=dict, blank=True, editable=False)
    # Derived from the salaries, and stored so that a listing can sort and filter on it
    # from an index; see `salaire_debutant()` and `refresh_salaire_debutant()`.
    salaire_debutant = models.PositiveIntegerField(
        "salaire brut débutant (€ par mois)", null=True, blank=True, editable=False,
        help_text="Calculé à partir des salaires de la fiche.",
    )
    # Search columns, derived from the fiche by `refresh_search_index()`.
    texte_titres = models.TextField(editable=False, blank=True)
    texte_corps = models.TextField(editable=False, blank=True)
    vecteur_recherche = SearchVectorField(null=True, editable=False)
    # The titles' words alone (`title_vector()`): whether a match holds every word in its
    # title, which orders the results, is read from this small vector kept in the row.
    # The same question asked of `vecteur_recherche` (its words of weight A) reads the
    # whole vector, stored out of line, for each match.
    vecteur_titres = SearchVectorField(null=True, editable=False)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    objects = MetierQuerySet.as_manager()

    class Meta:
        verbose_name = "métier"
        verbose_name_plural = "métiers"
        ordering = ["titre", "pk"]
        # The listing's default order: its pages are read from the index, not sorted. With
        # the publication in it (PostgreSQL), a page's ids need no row of the table: without
        # it, at a few thousand métiers, the planner sorted every title (one collation
        # comparison each) for page 50. The salary order has its index on PostgreSQL
        # (migration 0005).
        # The recruitment-demand filter: a rare value is found from this index, a common one
        # by walking the titles. Only the fiches that state a demand are in it.
        indexes = [
            models.Index(fields=["titre", "id"], include=["publication"], name="metier_titre_idx"),
            models.Index(fields=["demande"], condition=~Q(demande=""), name="metier_demande_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(onisep_id__isnull=True) | Q(onisep_id__regex=METIER_ID_REGEX),
                name="metier_onisep_id_forme",
            ),
        ]

    def __str__(self):
        if self.onisep_id:
            return f"{self.titre} ({self.onisep_id})"
        return self.titre

    @property
    def etiquettes(self):
        """{kind: its options} for each kind of LINKS, in label order."""
        return {kind: list(getattr(self, name).all()) for kind, name in LINKS.items()}

    @property
    def sources_citees(self):
        """The sources its fiche and its salaries cite, each once."""
        cited = {source.pk: source for source in self.sources.all()}
        cited.update((salaire.source_id, salaire.source) for salaire in self.salaires.all())
        return list(cited.values())

    @property
    def codes_sources(self):
        return sorted(source.code for source in self.sources_citees)

    def get_absolute_url(self):
        return reverse("metiers:detail", args=[self.slug])


class Appellation(models.Model):
    class Genre(models.TextChoices):
        FEMININ = "feminin", "féminin"
        MASCULIN = "masculin", "masculin"
        NEUTRE = "neutre", "neutre (forme inclusive)"

    class Langue(models.TextChoices):
        FRANCAIS = "fr", "français"
        ANGLAIS = "en", "anglais"

    metier = models.ForeignKey(
        Metier, verbose_name="métier", on_delete=models.CASCADE, related_name="appellations"
    )
    libelle = models.CharField("libellé", max_length=300)
    genre = models.CharField("genre", max_length=10, choices=Genre.choices)
    principale = models.BooleanField(
        "intitulé principal", default=False,
        help_text="Coché pour les formes féminine et masculine de l'intitulé du métier ; "
        "décoché pour les autres appellations.",
    )
    langue = models.CharField("langue", max_length=2, choices=Langue.choices, default=Langue.FRANCAIS)

    class Meta:
        verbose_name = "appellation"
        verbose_name_plural = "appellations"
        ordering = ["-principale", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["metier", "libelle"], name="appellation_unique_par_metier"),
        ]

    def __str__(self):
        return self.libelle


class Salaire(models.Model):
    """One salary figure as a source states it; sources disagree, so none is averaged."""

    class Experience(models.TextChoices):
        DEBUTANT = "debutant", "débutant"
        CONFIRME = "confirme", "confirmé"
        CARRIERE = "carriere", "du début à l'expérience"
        NON_PRECISE = "non_precise", "expérience non précisée"

    class Periode(models.TextChoices):
        MENSUEL = "mensuel", "par mois"
        ANNUEL = "annuel", "par an"

    class Nature(models.TextChoices):
        BRUT = "brut", "brut"
        NET = "net", "net"
        NON_PRECISE = "non_precise", "brut ou net non précisé"

    metier = models.ForeignKey(
        Metier, verbose_name="métier", on_delete=models.CASCADE, related_name="salaires"
    )
    experience = models.CharField("expérience", max_length=12, choices=Experience.choices)
    periode = models.CharField("période", max_length=8, choices=Periode.choices)
    nature = models.CharField("brut ou net", max_length=12, choices=Nature.choices)
    montant_min = models.PositiveIntegerField("montant minimum", null=True, blank=True)
    montant_max = models.PositiveIntegerField("montant maximum", null=True, blank=True)
    devise = models.CharField("devise", max_length=3, default="EUR")
    pays = models.CharField("pays", max_length=2, default="FR", help_text="Code ISO 3166, par exemple FR.")
    source = models.ForeignKey(
        "sources.Source", verbose_name="source", on_delete=models.PROTECT, related_name="salaires"
    )
    remarque = models.CharField("remarque", max_length=300, blank=True)

    class Meta:
        verbose_name = "salaire"
        verbose_name_plural = "salaires"
        ordering = ["metier", "pays", "experience", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(montant_min__isnull=False) | Q(montant_max__isnull=False),
                name="salaire_au_moins_une_borne",
            ),
            models.CheckConstraint(
                condition=Q(montant_min__isnull=True)
                | Q(montant_max__isnull=True)
                | Q(montant_min__lte=F("montant_max")),
                name="salaire_min_inferieur_max",
            ),
            models.CheckConstraint(
                condition=Q(devise__regex=r"^[A-Z]{3}$"), name="salaire_devise_iso"
            ),
            models.CheckConstraint(condition=Q(pays__regex=r"^[A-Z]{2}$"), name="salaire_pays_iso"),
        ]

    def __str__(self):
        return f"{self.metier.titre} : {self.get_experience_display()} ({self.source.code})"

    @property
    def mensuel_min(self):
        return self._mensuel(self.montant_min)

    @property
    def mensuel_max(self):
        return self._mensuel(self.montant_max)

    def _mensuel(self, montant):
        if montant is None:
            return None
        return montant if self.periode == self.Periode.MENSUEL else round(montant / 12)


@receiver(post_save, sender=Salaire)
@receiver(post_delete, sender=Salaire)
def _salaire_modifie(sender, instance, origin=None, **kwargs):
    """A salary saved or deleted on its own (an admin inline, a script): its métier's
    stored beginner salary follows. A métier being deleted takes its salaries along."""
    if origin is not None:
        model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
        if model is not Salaire:
            return
    Metier.objects.filter(pk=instance.metier_id).refresh_salaire_debutant()


class LienEnAttente(models.Model):
    """A related métier named by an import before that métier exists in the portal.

    The importer links it as soon as a fiche with that id arrives.
    """

    metier = models.ForeignKey(
        Metier, verbose_name="métier", on_delete=models.CASCADE, related_name="liens_en_attente"
    )
    onisep_id = models.CharField("identifiant ONISEP attendu", max_length=20)
    libelle = models.CharField("libellé", max_length=300, blank=True)

    class Meta:
        verbose_name = "métier associé en attente"
        verbose_name_plural = "métiers associés en attente"
        constraints = [
            models.UniqueConstraint(fields=["metier", "onisep_id"], name="lien_en_attente_unique"),
            models.CheckConstraint(
                condition=Q(onisep_id__regex=METIER_ID_REGEX), name="lien_en_attente_id_forme"
            ),
        ]

    def __str__(self):
        return f"{self.metier.titre} → {self.onisep_id}"
