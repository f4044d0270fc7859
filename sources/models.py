"""The documents the portal's facts come from."""

from django.db import models

from core import collation


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
        # The table it had when sources lived in the portal app.
        db_table = "portal_source"
        verbose_name = "source"
        verbose_name_plural = "sources"
        ordering = ["titre", "pk"]

    def __str__(self):
        return f"{self.titre} ({self.code})"

    def payload(self):
        """The source as the JSON payloads (API, exports) name it."""
        return {
            "code": self.code,
            "titre": self.titre,
            "nature": self.get_nature_display(),
            "editeur": self.editeur,
            "url": self.url,
            "licence": self.licence,
            "consulte_le": self.consulte_le.isoformat() if self.consulte_le else None,
        }


def cited_payloads(codes):
    """The sources with these codes, as the JSON payloads describe them."""
    return [source.payload() for source in Source.objects.filter(code__in=codes)]
