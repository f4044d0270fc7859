from django.contrib import admin

from .models import Formation, Niveau


@admin.register(Niveau)
class NiveauAdmin(admin.ModelAdmin):
    list_display = ["libelle", "rang", "slug"]
    prepopulated_fields = {"slug": ["libelle"]}
    search_fields = ["libelle"]


@admin.register(Formation)
class FormationAdmin(admin.ModelAdmin):
    list_display = ["libelle", "onisep_id", "type", "niveau", "etablissement"]
    list_filter = ["type", "niveau"]
    list_select_related = ["niveau"]
    search_fields = ["libelle", "onisep_id", "etablissement"]
    prepopulated_fields = {"slug": ["libelle"]}
    autocomplete_fields = ["sources"]
    readonly_fields = ["cree_le", "modifie_le"]
