from django.contrib import admin

from .models import Source

admin.site.site_header = "Cap Ingé · administration des fiches"
admin.site.site_title = "Cap Ingé"
admin.site.index_title = "Fiches, formations et référentiels"


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["titre", "code", "nature", "editeur", "licence"]
    list_filter = ["nature"]
    search_fields = ["titre", "code", "editeur"]
    prepopulated_fields = {"code": ["titre"]}
