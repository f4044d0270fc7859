from django.contrib import admin
from django.db.models import Q

from .models import Source

admin.site.site_header = "Cap Ingé · administration des fiches"
admin.site.site_title = "Cap Ingé"
admin.site.index_title = "Fiches, formations et référentiels"


class SearchLikeThePortal:
    """The admin's search box and its autocomplete fields find what the portal's search
    finds: every word, accents and case ignored (French stemming on PostgreSQL), the
    last one as the start of a word. ``search_fields`` apply besides, for identifiers
    (MET.612, FOR.1251).

    Django's own search compares the text as typed: « ingenieur » found no « ingénieur »,
    and on SQLite « école » no « École ». Searching the titles that way as well would
    cost a scan of every row: a second at 20 000 métiers.
    """

    def get_search_results(self, request, queryset, search_term):
        by_fields, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return by_fields, may_have_duplicates
        # By primary key, so that a row matched twice (two appellations) is listed once.
        found = queryset.search(search_term).values("pk")
        return queryset.filter(Q(pk__in=by_fields.values("pk")) | Q(pk__in=found)), False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["titre", "code", "nature", "editeur", "licence"]
    list_filter = ["nature"]
    search_fields = ["titre", "code", "editeur"]
    prepopulated_fields = {"code": ["titre"]}
