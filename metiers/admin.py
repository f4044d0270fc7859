from django.contrib import admin

from portal.cache import bump_catalogue_version

from .models import (
    Appellation,
    CentreInteret,
    LienEnAttente,
    Metier,
    Salaire,
    Secteur,
    Statut,
)


class AppellationInline(admin.TabularInline):
    model = Appellation
    extra = 1


class SalaireInline(admin.TabularInline):
    model = Salaire
    extra = 0
    autocomplete_fields = ["source"]


class LienEnAttenteInline(admin.TabularInline):
    model = LienEnAttente
    extra = 0
    verbose_name_plural = "métiers associés pas encore présents dans le portail"


@admin.register(Metier)
class MetierAdmin(admin.ModelAdmin):
    list_display = ["titre", "onisep_id", "niveau_acces", "publication", "modifie_le"]
    list_filter = ["publication", "niveau_acces", "centres_interet", "secteurs", "statuts"]
    list_select_related = ["niveau_acces"]
    search_fields = ["titre", "onisep_id", "appellations__libelle"]
    prepopulated_fields = {"slug": ["titre"]}
    autocomplete_fields = ["formations", "metiers_associes", "sources"]
    filter_horizontal = ["statuts", "secteurs", "centres_interet"]
    inlines = [AppellationInline, SalaireInline, LienEnAttenteInline]
    readonly_fields = ["cree_le", "modifie_le", "import_fichier", "import_date"]
    date_hierarchy = "modifie_le"
    actions = ["publier", "depublier"]
    fieldsets = [
        (None, {"fields": ["titre", "slug", "onisep_id", "publication"]}),
        (
            "Contenu de la fiche",
            {"fields": list(Metier.SECTIONS) + ["demande", "perspectives"]},
        ),
        (
            "Classement",
            {"fields": ["niveau_acces", "statuts", "secteurs", "centres_interet"]},
        ),
        ("Liens", {"fields": ["formations", "metiers_associes", "sources"]}),
        (
            "Suivi",
            {"fields": ["cree_le", "modifie_le", "import_fichier", "import_date"], "classes": ["collapse"]},
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Appellations and formations are saved here, after the métier itself.
        Metier.objects.filter(pk=form.instance.pk).refresh_search_index()

    @admin.action(description="Publier les métiers sélectionnés")
    def publier(self, request, queryset):
        updated = queryset.update(publication=Metier.Publication.PUBLIE)
        bump_catalogue_version()
        self.message_user(request, f"{updated} métier(s) publié(s).")

    @admin.action(description="Repasser en brouillon les métiers sélectionnés")
    def depublier(self, request, queryset):
        updated = queryset.update(publication=Metier.Publication.BROUILLON)
        bump_catalogue_version()
        self.message_user(request, f"{updated} métier(s) repassé(s) en brouillon.")


class ReferentielAdmin(admin.ModelAdmin):
    list_display = ["libelle", "onisep_id", "slug"]
    search_fields = ["libelle", "onisep_id"]
    prepopulated_fields = {"slug": ["libelle"]}


admin.site.register(CentreInteret, ReferentielAdmin)
admin.site.register(Secteur, ReferentielAdmin)
admin.site.register(Statut, ReferentielAdmin)
