from django.contrib import admin

from core.admin import SearchIgnoringAccents

from .models import Source


@admin.register(Source)
class SourceAdmin(SearchIgnoringAccents, admin.ModelAdmin):
    list_display = ["titre", "code", "nature", "editeur", "licence"]
    list_filter = ["nature"]
    search_fields = ["titre", "code", "editeur"]
    prepopulated_fields = {"code": ["titre"]}
