from django.contrib import admin

admin.site.site_header = "Cap Ingé · administration des fiches"
admin.site.site_title = "Cap Ingé"
admin.site.index_title = "Fiches, formations et référentiels"
