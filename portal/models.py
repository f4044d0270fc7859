import secrets

from django.db import models

from . import collation


class Source(models.Model):
    """A document the portal's facts come from, named on every page that uses it."""

    class Nature(models.TextChoices):
        FICHE_ONISEP = "fiche_onisep", "fiche métier ONISEP"
        EXPORT_ONISEP = "export_onisep", "export open data ONISEP"
        ARTICLE = "article", "article"
        SAISIE = "saisie", "saisie éditoriale"

    code = models.SlugField("code", max_length=80, unique=True)
    titre = models.CharField("titre", max_length=300, db_collation=collation.NAME)
    nature = models.CharField("nature", max_length=20, choices=Nature.choices)
    editeur = models.CharField("éditeur", max_length=200, blank=True)
    url = models.URLField("adresse", blank=True)
    licence = models.CharField("licence", max_length=200, blank=True)
    fichier = models.CharField(
        "fichier d'origine", max_length=300, blank=True,
        help_text="Nom du fichier dont les faits ont été tirés.",
    )
    consulte_le = models.DateField("consulté le", null=True, blank=True)

    class Meta:
        verbose_name = "source"
        verbose_name_plural = "sources"
        ordering = ["titre", "pk"]

    def __str__(self):
        return f"{self.titre} ({self.code})"


def new_catalogue_version():
    """A value no earlier version of any database is likely to have held (1 in 2**62)."""
    return 1 + secrets.randbelow(2**62)


class CatalogueVersion(models.Model):
    """A value replaced by every change to the catalogue; cached pages carry it in their key.

    It lives in the database so that every process and every app server sees a
    change at once, whatever the cache backend. It is drawn at random rather than
    counted: a counter starts again after a database is restored from a backup or
    created anew, and the next edits would then meet pages cached under the same
    numbers for another content (in a shared cache, or a process left running).
    """

    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = "version du catalogue"
        verbose_name_plural = "version du catalogue"

    def __str__(self):
        return f"version {self.version}"
