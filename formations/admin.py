from django.contrib import admin

from core.admin import CheckedChoices, SearchIgnoringAccents, SearchLikeThePortal

from .models import Formation, Niveau


@admin.register(Niveau)
class NiveauAdmin(SearchIgnoringAccents, admin.ModelAdmin):
    list_display = ["libelle", "rang", "slug"]
    prepopulated_fields = {"slug": ["libelle"]}
    search_fields = ["libelle"]


@admin.register(Formation)
class FormationAdmin(SearchLikeThePortal, CheckedChoices, admin.ModelAdmin):
    list_display = ["libelle", "onisep_id", "type", "niveau", "etablissement"]
    list_filter = ["type", "niveau"]
    list_select_related = ["niveau"]
    # Labels and schools are searched as on the portal (see SearchLikeThePortal).
    search_fields = ["onisep_id"]
    prepopulated_fields = {"slug": ["libelle"]}
    autocomplete_fields = ["sources"]
    readonly_fields = ["cree_le", "modifie_le"]
