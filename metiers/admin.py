from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers

from core.admin import CheckedChoices, CheckedInline, SearchIgnoringAccents, SearchLikeThePortal
from core.cache import bump_catalogue_version
from core.methods import SAFE, allow_methods

from .importers import ImportRefuse, importer_fichiers
from .models import (
    Appellation,
    CentreInteret,
    LienEnAttente,
    Metier,
    Salaire,
    Secteur,
    Statut,
)


class AppellationInline(CheckedInline, admin.TabularInline):
    model = Appellation
    extra = 1


class SalaireInline(CheckedInline, admin.TabularInline):
    model = Salaire
    extra = 0
    autocomplete_fields = ["source"]


class LienEnAttenteInline(CheckedInline, admin.TabularInline):
    model = LienEnAttente
    extra = 0
    verbose_name_plural = "métiers associés pas encore présents dans le portail"


class FichiersInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FichiersField(forms.FileField):
    widget = FichiersInput

    def clean(self, data, initial=None):
        fichiers = data if isinstance(data, (list, tuple)) else [data]
        # An empty selection comes as []; cleaning None raises the "required" error.
        return [super(FichiersField, self).clean(fichier, initial) for fichier in fichiers or [None]]


class ImportForm(forms.Form):
    fichiers = FichiersField(
        label="Fichiers", help_text="Fiches au format texte ou export Idéo-Fiches métiers (XML), reconnus à leur contenu."
    )
    publication = forms.ChoiceField(
        label="Publication",
        choices=[
            ("", "garder l'état des métiers existants, nouveaux en brouillon"),
            (Metier.Publication.PUBLIE, "publier tous les métiers importés"),
            (Metier.Publication.BROUILLON, "mettre tous les métiers importés en brouillon"),
        ],
        required=False,
    )
    ecraser = forms.BooleanField(
        label="Écraser aussi les champs modifiés à la main depuis le dernier import", required=False
    )
    dry_run = forms.BooleanField(label="Essai à blanc : vérifier et compter sans rien écrire", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichiers"].help_text += f" {settings.IMPORT_UPLOAD_MAX_MB} Mo au plus par envoi."

    def clean_fichiers(self):
        # Above the limit, the import would hold a web worker close to its timeout; the command
        # on the server reads any size, a batch of fiches at a time.
        fichiers = self.cleaned_data["fichiers"]
        limite = settings.IMPORT_UPLOAD_MAX_MB
        if sum(f.size for f in fichiers) > limite * 1024 * 1024:
            raise forms.ValidationError(
                f"Trop volumineux : {limite} Mo au plus par envoi depuis cette page. Un fichier plus gros "
                "s'importe sur le serveur, par la commande « manage.py import_fiches FICHIER »."
            )
        return fichiers


@admin.register(Metier)
class MetierAdmin(SearchLikeThePortal, CheckedChoices, admin.ModelAdmin):
    list_display = ["titre", "onisep_id", "niveau_acces", "publication", "modifie_le"]
    list_filter = ["publication", "niveau_acces", "centres_interet", "secteurs", "statuts"]
    list_select_related = ["niveau_acces"]
    # Titles and appellations are searched as on the portal (see SearchLikeThePortal).
    search_fields = ["onisep_id"]
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

    def get_urls(self):
        return [
            path("importer/", self.admin_site.admin_view(self.importer_view), name="metiers_metier_importer"),
            # Before Django's own "<object_id>/" patterns, which would take it for an id.
            path("<path:object_id>/apercu/", self.admin_site.admin_view(allow_methods(SAFE)(self.apercu_view)),
                 name="metiers_metier_apercu"),
            *super().get_urls(),
        ]

    def view_on_site(self, obj):
        """« Voir sur le site »: the public page of a published fiche, the preview of a draft
        (whose public address is a 404)."""
        if obj.publication == Metier.Publication.PUBLIE:
            return obj.get_absolute_url()
        return reverse("admin:metiers_metier_apercu", args=[obj.pk])

    def apercu_view(self, request, object_id):
        """The fiche as the portal shows it, drafts included, with a banner saying what it
        is; for whoever may read it in the admin. Never cached nor indexed."""
        metier = self.get_object(request, unquote(object_id))
        if metier is None:
            raise Http404("Aucune fiche métier n'a cet identifiant.")
        if not self.has_view_permission(request, metier):
            raise PermissionDenied
        fiche = Metier.objects.for_fiche().get(pk=metier.pk)
        apercu = {
            "brouillon": fiche.publication != Metier.Publication.PUBLIE,
            "modifier": reverse("admin:metiers_metier_change", args=[fiche.pk]),
        }
        response = render(request, "metiers/metier_detail.html",
                          {"metier": fiche, "etiquettes": fiche.etiquettes, "apercu": apercu})
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def importer_view(self, request):
        """The "Importer des fiches" page: same code and summary as `manage.py import_fiches`."""
        if not request.user.has_perm("metiers.add_metier"):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        contexte = {**self.admin_site.each_context(request), "opts": self.model._meta,
                    "title": "Importer des fiches", "form": form}
        statut = 200
        if form.is_bound:
            statut = 400
            if form.is_valid():
                try:
                    contexte["rapport"], _ = importer_fichiers(
                        ((f.name, f, True) for f in form.cleaned_data["fichiers"]),
                        publication=form.cleaned_data["publication"] or None,
                        ecraser=form.cleaned_data["ecraser"], dry_run=form.cleaned_data["dry_run"],
                    )
                    contexte["dry_run"] = form.cleaned_data["dry_run"]
                    statut = 200
                except ImportRefuse as refus:
                    contexte["erreurs"] = refus.erreurs
        return TemplateResponse(request, "admin/metiers/metier/importer.html", contexte, status=statut)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Appellations, salaries and formations are saved here, after the métier itself.
        Metier.objects.filter(pk=form.instance.pk).refresh_derived_columns()

    # Without `permissions`, Django offers an action to whoever may view the list: a
    # counsellor could then unpublish the whole catalogue with one POST.
    @admin.action(description="Publier les métiers sélectionnés", permissions=["change"])
    def publier(self, request, queryset):
        updated = queryset.update(publication=Metier.Publication.PUBLIE)
        bump_catalogue_version()
        self.message_user(request, f"{updated} métier(s) publié(s).")

    @admin.action(description="Repasser en brouillon les métiers sélectionnés", permissions=["change"])
    def depublier(self, request, queryset):
        updated = queryset.update(publication=Metier.Publication.BROUILLON)
        bump_catalogue_version()
        self.message_user(request, f"{updated} métier(s) repassé(s) en brouillon.")


class ReferentielAdmin(SearchIgnoringAccents, admin.ModelAdmin):
    list_display = ["libelle", "onisep_id", "slug"]
    search_fields = ["libelle", "onisep_id"]
    prepopulated_fields = {"slug": ["libelle"]}


admin.site.register(CentreInteret, ReferentielAdmin)
admin.site.register(Secteur, ReferentielAdmin)
admin.site.register(Statut, ReferentielAdmin)
