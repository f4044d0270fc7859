"""Writes parsed fiches into the database with a constant number of queries per kind of row.

The fiches come a batch at a time (LOT), read again from files already checked whole. For each
batch, existing rows are loaded into maps keyed by their ONISEP id or label; what changes is
computed in memory, then written with bulk_create / bulk_update / one delete per table. What
spans batches is small and kept for the whole import: the ids of its métiers, the reference
rows, the formations met so far, and the links between métiers, written last.

Editors' changes: `Metier.import_valeurs` keeps what the file said at the last import. A
field whose current value differs from it was changed by an editor and is kept (and
reported) unless `ecraser` is set. A métier that was never imported counts every non-empty
field as the editors'. Lists (titles, formations, interests…) are merged element by element:
what the file added since the last import is added, what it dropped is removed, what an
editor added or removed by hand stays as the editor left it.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.cache import bump_catalogue_version
from formations.models import Formation
from metiers.models import (
    RESERVED_SLUGS,
    Appellation,
    CentreInteret,
    LienEnAttente,
    Metier,
    Salaire,
    Secteur,
    Statut,
)
from metiers.search import normalise
from sources.models import Source

from .fiche import FicheInvalide

KINDS = (
    "métiers", "appellations", "formations", "centres d'intérêt", "secteurs", "statuts",
    "salaires", "liens", "sources",
)
REFERENTIELS = {"centres_interet": (CentreInteret, "centres d'intérêt"), "secteurs": (Secteur, "secteurs"),
                "statuts": (Statut, "statuts")}
# Many-to-many fields an import fills, with the kind of row they point to.
ENSEMBLES = ("formations", "statuts", "secteurs", "centres_interet")
PROGRESSION_PAS = 100
SUPPRESSION_PAR_LOT = 5000
# Fiches written together: what an import holds in memory at once, whatever the size of the file.
LOT = 500
_TYPES_FORMATION = (
    (r"^(diplome d ingenieur|ingenieur)", Formation.Type.DIPLOME_INGENIEUR, 5),
    (r"^mastere specialise|^ms ", Formation.Type.MASTERE_SPECIALISE, 6),
    (r"^master", Formation.Type.MASTER, 5),
    (r"^mba|\bmba\b", Formation.Type.MBA, None),
    (r"^licence", Formation.Type.LICENCE, 3),
    (r"^bachelor", Formation.Type.BACHELOR, 3),
    (r"^doctorat", Formation.Type.DOCTORAT, 8),
    (r"^graduate degree", Formation.Type.GRADUATE_DEGREE, 5),
    (r"^(certificat|certification)", Formation.Type.CERTIFICATION, None),
    (r"^but\b", Formation.Type.AUTRE, 3),
    (r"^(bts|dut)\b", Formation.Type.AUTRE, 2),
)


@dataclass
class Compte:
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    supprimes: int = 0


@dataclass
class Rapport:
    comptes: dict = field(default_factory=lambda: {kind: Compte() for kind in KINDS})
    conflits: list = field(default_factory=list)
    avertissements: list = field(default_factory=list)

    @property
    def inchange(self):
        return not any(c.crees or c.modifies or c.supprimes for c in self.comptes.values())

    def lignes(self):
        lignes = [f"{kind} : {c.crees} créé(s), {c.modifies} modifié(s), {c.inchanges} inchangé(s), "
                  f"{c.supprimes} supprimé(s)" for kind, c in self.comptes.items()]
        # A refused file stops the whole import, so a report that exists refused nothing.
        lignes.append("refusés : 0 fichier")
        if self.conflits:
            lignes.append(f"champs modifiés par un éditeur, conservés : {len(self.conflits)}")
        if self.inchange:
            lignes.append("Base inchangée : les fichiers ne contiennent rien de nouveau.")
        return lignes


def importer(fichiers, *, publication=None, ecraser=False, dry_run=False, progression=None):
    """Write the fiches of `fichiers` (FichierLu, checked whole) in one transaction, a batch
    at a time; return a Rapport.

    publication: None keeps the state of existing métiers and makes new ones drafts;
    "publie" or "brouillon" sets every imported métier to that state.
    With dry_run everything is computed and counted, then rolled back.
    """
    _refuser_doublons(fichiers)
    with transaction.atomic():
        rapport = Synchronisation(fichiers, publication, ecraser, progression).executer()
        if dry_run:
            transaction.set_rollback(True)
        elif not rapport.inchange:
            # Bulk writes send no signals: cached pages are made stale here.
            bump_catalogue_version()
    return rapport


def _refuser_doublons(fichiers):
    """The same métier twice in one import leaves no way to tell which fiche is right."""
    nombres = Counter(code for fichier in fichiers for code in fichier.codes)
    doublons = [code for code, nombre in nombres.items() if nombre > 1]
    if doublons:
        ou = sorted({f.nom for f in fichiers if doublons[0] in f.codes})
        raise FicheInvalide(", ".join(ou), f"fiche {doublons[0]}", "ce métier figure plusieurs fois dans l'import")


def nom_court(nom):
    """What is recorded of a file: its name, the same whether it was uploaded or read from a folder."""
    return PurePath(nom).name[:300]


def slugifier(texte, longueur=200):
    """"ingénieur/e traitement de l'image" → "ingenieur-traitement-de-l-image"."""
    return "-".join(normalise(re.sub(r"/\w+", "", texte)).split())[:longueur].strip("-") or "fiche"


def slug_unique(base, pris):
    slug, numero = base, 2
    while slug in pris:
        slug, numero = f"{base}-{numero}", numero + 1
    pris.add(slug)
    return slug


def _egal(a, b):
    if isinstance(a, str) and isinstance(b, str):
        return a.split() == b.split()
    return a == b


class Referentiel:
    """A reference table (interests, sectors or statuses), loaded once for the whole import:
    a label met in several batches maps to one row, counted once."""

    def __init__(self, model, compte):
        self.model, self.compte = model, compte
        rows = list(model.objects.all())
        self.par_id = {r.onisep_id: r for r in rows if r.onisep_id}
        self.par_libelle = {r.libelle.casefold(): r for r in rows}
        self.slugs = {r.slug for r in rows}
        self.pks = {}  # Reference → pk, for every reference of the import so far
        self.ecrits = []  # rows this import created or gave an ONISEP id

    def lier(self, references):
        """Map each new Reference to a row: by ONISEP id, else by label; create the rest."""
        nouveaux, completes, trouves = [], [], {}
        for ref in dict.fromkeys(references):
            if ref in self.pks:
                continue
            row = self.par_id.get(ref.onisep_id) or self.par_libelle.get(ref.libelle.casefold())
            if row is None:
                row = self.model(libelle=ref.libelle[:200], slug=slug_unique(slugifier(ref.libelle, 190), self.slugs),
                                 onisep_id=ref.onisep_id)
                nouveaux.append(row)
                self.ecrits.append(row)
            elif ref.onisep_id and not row.onisep_id:
                row.onisep_id = ref.onisep_id
                completes.append(row)
                self.ecrits.append(row)
            elif row not in self.ecrits:
                self.compte.inchanges += 1
            self.par_libelle[row.libelle.casefold()] = row
            if row.onisep_id:
                self.par_id[row.onisep_id] = row
            trouves[ref] = row
        self.model.objects.bulk_create(nouveaux)
        self.model.objects.bulk_update(completes, ["onisep_id"])
        self.compte.crees += len(nouveaux)
        self.compte.modifies += len(completes)
        self.pks.update((ref, row.pk) for ref, row in trouves.items())


def _paire(a, b):
    """A link between two métiers, whichever names the other."""
    return (a, b) if a < b else (b, a)


class Synchronisation:
    def __init__(self, fichiers, publication, ecraser, progression):
        self.fichiers = fichiers
        self.publication = publication
        self.ecraser = ecraser
        self.progression = progression
        self.maintenant = timezone.now()
        self.rapport = Rapport()
        # Every métier of the import, known before any is written: a link to one that a later
        # batch creates waits for it instead of becoming a pending link.
        self.codes_import = {code for fichier in fichiers for code in fichier.codes}
        self.total = sum(len(fichier.codes) for fichier in fichiers)

    def executer(self):
        self.sources = self._sources()
        self.references = {
            nom: Referentiel(model, self.rapport.comptes[kind]) for nom, (model, kind) in REFERENTIELS.items()
        }
        self.formations = {}
        self.slugs_formations = set(Formation.objects.values_list("slug", flat=True))
        self.slugs_metiers = set(Metier.objects.values_list("slug", flat=True)) | RESERVED_SLUGS
        # Links are written last, so that each batch reads them as they were before the import.
        self.liens_a_creer, self.liens_a_supprimer = set(), {}
        self.attendus = defaultdict(list)  # code of a métier a later batch creates → pks naming it
        self.faites = 0
        fiches = (fiche for fichier in self.fichiers for fiche in fichier.fiches())
        while lot := list(islice(fiches, LOT)):
            self._lot(lot)
        self._ecrire_liens()
        return self.rapport

    def _lot(self, fiches):
        self.fiches = fiches
        self.rapport.avertissements += [
            f"{fiche.fichier}, {message}" for fiche in fiches for message in fiche.avertissements
        ]
        for nom, referentiel in self.references.items():
            referentiel.lier(ref for fiche in fiches for ref in getattr(fiche, nom))
        self._formations()
        self.metiers, crees = self._metiers()
        self._charger_relations()
        self.ecritures = defaultdict(list)
        self.champs_modifies = set()
        self.touches = set()
        for fiche in fiches:
            self._fiche(fiche, fiche.onisep_id in crees)
            self.faites += 1
            if self.progression and self.faites % PROGRESSION_PAS == 0:
                self.progression(self.faites, self.total)
        self._resoudre_liens_en_attente(crees)
        self._ecrire()
        if self.touches:
            Metier.objects.filter(pk__in=self.touches).refresh_derived_columns()

    # Reference rows: sources, interests, sectors, statuses, formations.

    def _sources(self):
        noms = {nom_court(f.nom) for f in self.fichiers}
        existantes = {s.fichier: s for s in Source.objects.filter(fichier__in=noms)}
        self.rapport.comptes["sources"].inchanges += len(existantes)
        codes = set(Source.objects.values_list("code", flat=True))
        nouvelles = []
        for fichier in self.fichiers:
            if nom_court(fichier.nom) in existantes:
                continue
            source = Source(
                code=slug_unique(slugifier(f"import {nom_court(fichier.nom)}", 70), codes),
                titre=fichier.titre_source[:300],
                nature=Source.Nature.EXPORT_ONISEP if fichier.format == "ideo" else Source.Nature.FICHE_ONISEP,
                editeur="ONISEP", licence="ODbL (données ouvertes ONISEP)",
                fichier=nom_court(fichier.nom), consulte_le=timezone.localdate(),
            )
            existantes[source.fichier] = source
            nouvelles.append(source)
        Source.objects.bulk_create(nouvelles)
        self.rapport.comptes["sources"].crees += len(nouvelles)
        return existantes

    def _formations(self):
        """FOR. id → pk in self.formations, for the import so far. An existing formation is
        linked as it is; a new one gets a guessed type."""
        voulues = {}
        for fiche in self.fiches:
            for code, libelle in fiche.formations:
                if code not in self.formations:
                    voulues.setdefault(code, (libelle, self.sources[nom_court(fiche.fichier)]))
        existantes = dict(Formation.objects.filter(onisep_id__in=voulues).values_list("onisep_id", "pk"))
        slugs = self.slugs_formations
        nouvelles = []
        for code, (libelle, source) in voulues.items():
            if code in existantes:
                continue
            type_, niveau = _type_formation(libelle)
            formation = Formation(
                onisep_id=code, libelle=libelle[:400] or code, type=type_, niveau_id=niveau,
                slug=slug_unique(f"{slugifier(libelle, 90)}-{slugifier(code)}", slugs),
            )
            formation.source_import = source
            nouvelles.append(formation)
        Formation.objects.bulk_create(nouvelles)
        Formation.objects.filter(pk__in=[f.pk for f in nouvelles]).refresh_search_vector()
        Formation.sources.through.objects.bulk_create(
            Formation.sources.through(formation_id=f.pk, source_id=f.source_import.pk) for f in nouvelles
        )
        compte = self.rapport.comptes["formations"]
        compte.crees += len(nouvelles)
        compte.inchanges += len(existantes)
        self.formations.update(existantes)
        self.formations.update((f.onisep_id, f.pk) for f in nouvelles)

    # Métiers.

    def _valeurs(self, fiche):
        """Everything the file says about a métier, as recorded in import_valeurs."""
        return {
            "titre": fiche.titre[:300],
            "niveau_acces": fiche.niveau,
            **fiche.sections,
            "appellations": sorted(_appellations_voulues(fiche)),
            "salaire_debutant": fiche.salaire.valeurs() if fiche.salaire else None,
            "formations": sorted({self.formations[code] for code, _ in fiche.formations}),
            **{nom: sorted({self.references[nom].pks[ref] for ref in getattr(fiche, nom)}) for nom in REFERENTIELS},
            "metiers_associes": sorted({code for code, _ in fiche.metiers_associes} - {fiche.onisep_id}),
        }

    def _metiers(self):
        """Existing métiers by id; the missing ones are created whole, so that links can point to them."""
        codes = [fiche.onisep_id for fiche in self.fiches]
        metiers = {m.onisep_id: m for m in Metier.objects.filter(onisep_id__in=codes)}
        slugs = self.slugs_metiers
        self.valeurs = {fiche.onisep_id: self._valeurs(fiche) for fiche in self.fiches}
        nouveaux = [
            Metier(
                onisep_id=fiche.onisep_id, titre=fiche.titre[:300],
                slug=slug_unique(slugifier(fiche.titre), slugs),
                publication=self.publication or Metier.Publication.BROUILLON,
                niveau_acces_id=fiche.niveau, **fiche.sections,
                import_valeurs=self.valeurs[fiche.onisep_id], import_fichier=nom_court(fiche.fichier),
                import_date=self.maintenant,
            )
            for fiche in self.fiches if fiche.onisep_id not in metiers
        ]
        Metier.objects.bulk_create(nouveaux, batch_size=500)
        metiers.update((m.onisep_id, m) for m in nouveaux)
        self.rapport.comptes["métiers"].crees += len(nouveaux)
        return metiers, {m.onisep_id for m in nouveaux}

    def _charger_relations(self):
        """The current titles, links, salaries and pending links of the métiers being imported."""
        pks = [m.pk for m in self.metiers.values()]
        self.actuels = {}
        for nom in (*ENSEMBLES, "sources"):
            through, cible = _through(nom)
            actuel = defaultdict(dict)
            for pk, metier_id, cible_id in through.objects.filter(metier_id__in=pks).values_list(
                "pk", "metier_id", cible
            ):
                actuel[metier_id][cible_id] = pk
            self.actuels[nom] = actuel
        self.appellations = defaultdict(dict)
        for appellation in Appellation.objects.filter(metier_id__in=pks):
            self.appellations[appellation.metier_id].setdefault(appellation.libelle, appellation)
        self.salaires = {
            (s.metier_id, s.source_id): s
            for s in Salaire.objects.filter(
                metier_id__in=pks, experience=Salaire.Experience.DEBUTANT,
                source_id__in=[s.pk for s in self.sources.values()],
            ).order_by("-pk")
        }
        self.en_attente = defaultdict(dict)
        for lien in LienEnAttente.objects.filter(metier_id__in=pks):
            self.en_attente[lien.metier_id][lien.onisep_id] = lien
        self._charger_liens(pks)

    def _charger_liens(self, pks):
        through = Metier.metiers_associes.through
        self.liens = {
            (a, b): pk
            for pk, a, b in through.objects.filter(Q(from_metier_id__in=pks) | Q(to_metier_id__in=pks)).values_list(
                "pk", "from_metier_id", "to_metier_id"
            )
        }
        self.lies_a = defaultdict(set)
        for a, b in self.liens:
            self.lies_a[a].add(b)
        lies = set(self.lies_a)
        codes = {code for fiche in self.fiches for code, _ in fiche.metiers_associes}
        self.codes_metiers = {m.pk: m.onisep_id for m in self.metiers.values()}
        self.codes_metiers.update(
            Metier.objects.filter(Q(pk__in=lies - set(self.codes_metiers)) | Q(onisep_id__in=codes)).values_list(
                "pk", "onisep_id"
            )
        )
        self.pks_metiers = {code: pk for pk, code in self.codes_metiers.items() if code}

    def _fiche(self, fiche, cree):
        metier = self.metiers[fiche.onisep_id]
        # A métier created by this import holds the file's values already; nothing was imported before.
        self.fiche, self.metier, self.memorises = fiche, metier, {} if cree else metier.import_valeurs
        valeurs = self.valeurs[fiche.onisep_id]
        champs = [champ for champ in ("titre", "niveau_acces", *fiche.sections) if self._champ(champ, valeurs[champ])]
        relations = [
            self._appellations(), self._salaire(), *(self._ensemble(nom) for nom in ENSEMBLES),
            self._liens(), self._source(),
        ]
        if self.publication and metier.publication != self.publication:
            metier.publication = self.publication
            champs.append("publication")
        if metier.import_valeurs != valeurs or metier.import_fichier != nom_court(fiche.fichier):
            metier.import_valeurs, metier.import_fichier = valeurs, nom_court(fiche.fichier)
            champs += ["import_valeurs", "import_fichier"]
        if cree:
            self.touches.add(metier.pk)
        elif champs or any(relations):
            metier.import_date = metier.modifie_le = self.maintenant
            self.ecritures["metiers"].append(metier)
            self.champs_modifies.update(champs, ["import_date", "modifie_le"])
            self.touches.add(metier.pk)
            self.rapport.comptes["métiers"].modifies += 1
        else:
            self.rapport.comptes["métiers"].inchanges += 1

    def _champ(self, champ, nouveau):
        """Apply the file's value to one field unless an editor changed it; True if it changed."""
        attribut = "niveau_acces_id" if champ == "niveau_acces" else champ
        actuel = getattr(self.metier, attribut)
        retenu = self._fusion_champ(champ, actuel, nouveau)
        setattr(self.metier, attribut, retenu)
        return not _egal(retenu, actuel)

    def _fusion_champ(self, champ, actuel, nouveau):
        if _egal(actuel, nouveau):
            return nouveau
        if champ in self.memorises:
            libre = _egal(actuel, self.memorises[champ])
        else:
            libre = actuel in ("", None)
        if libre or self.ecraser:
            return nouveau
        self._conflit(champ)
        return actuel

    def _fusion_ensemble(self, champ, actuel, nouveau, signaler=True):
        if self.ecraser:
            return set(nouveau)
        memorise = set(self.memorises.get(champ, ()))
        retenu = (actuel - (memorise - nouveau)) | (nouveau - memorise)
        if signaler and retenu != nouveau:
            self._conflit(champ)
        return retenu

    def _conflit(self, champ):
        nom = _NOMS_CHAMPS.get(champ) or Metier._meta.get_field(champ).verbose_name
        self.rapport.conflits.append(
            f"{self.fiche.fichier} — {self.fiche.onisep_id} — {nom} : modifié par un éditeur, conservé"
        )

    def _appellations(self):
        voulues = _appellations_voulues(self.fiche)
        actuelles = self.appellations[self.metier.pk]
        retenues = self._fusion_ensemble("appellations", set(actuelles), set(voulues))
        compte = self.rapport.comptes["appellations"]
        change = False
        for libelle, appellation in actuelles.items():
            if libelle not in retenues:
                self.ecritures["appellations_supprimees"].append(appellation.pk)
                compte.supprimes += 1
                change = True
            elif libelle in voulues and (appellation.genre, appellation.principale) != voulues[libelle]:
                appellation.genre, appellation.principale = voulues[libelle]
                self.ecritures["appellations_modifiees"].append(appellation)
                compte.modifies += 1
                change = True
            else:
                compte.inchanges += 1
        for libelle in retenues - set(actuelles):
            genre, principale = voulues[libelle]
            self.ecritures["appellations_creees"].append(
                Appellation(metier=self.metier, libelle=libelle, genre=genre, principale=principale)
            )
            compte.crees += 1
            change = True
        return change

    def _salaire(self):
        cle = (self.metier.pk, self.sources[nom_court(self.fiche.fichier)].pk)
        actuel = self.salaires.get(cle)
        valeurs_actuelles = (
            [actuel.montant_min, actuel.montant_max, actuel.periode, actuel.nature] if actuel else None
        )
        nouveau = self.valeurs[self.fiche.onisep_id]["salaire_debutant"]
        retenu = self._fusion_champ("salaire_debutant", valeurs_actuelles, nouveau)
        compte = self.rapport.comptes["salaires"]
        if retenu == valeurs_actuelles:
            compte.inchanges += actuel is not None
            return False
        if retenu is None:
            self.ecritures["salaires_supprimes"].append(actuel.pk)
            compte.supprimes += 1
        elif actuel is None:
            self.ecritures["salaires_crees"].append(
                Salaire(metier=self.metier, source_id=cle[1], experience=Salaire.Experience.DEBUTANT,
                        montant_min=retenu[0], montant_max=retenu[1], periode=retenu[2], nature=retenu[3])
            )
            compte.crees += 1
        else:
            actuel.montant_min, actuel.montant_max, actuel.periode, actuel.nature = retenu
            self.ecritures["salaires_modifies"].append(actuel)
            compte.modifies += 1
        return True

    def _ensemble(self, nom):
        voulus = set(self.valeurs[self.fiche.onisep_id][nom])
        actuels = self.actuels[nom][self.metier.pk]
        retenus = self._fusion_ensemble(nom, set(actuels), voulus)
        self._ecrire_ensemble(nom, actuels, retenus)
        return retenus != set(actuels)

    def _source(self):
        """The file the fiche came from becomes one of the métier's sources (never removed)."""
        source = self.sources[nom_court(self.fiche.fichier)].pk
        actuelles = self.actuels["sources"][self.metier.pk]
        self._ecrire_ensemble("sources", actuelles, set(actuelles) | {source})
        return source not in actuelles

    def _ecrire_ensemble(self, nom, actuels, retenus):
        through, cible = _through(nom)
        self.ecritures[f"{nom}_supprimes"] += [pk for cible_id, pk in actuels.items() if cible_id not in retenus]
        self.ecritures[f"{nom}_crees"] += [
            through(metier_id=self.metier.pk, **{cible: cible_id}) for cible_id in retenus - set(actuels)
        ]

    def _liens(self):
        """Related métiers: linked when present, otherwise remembered by id until they arrive."""
        pk = self.metier.pk
        libelles = dict(self.fiche.metiers_associes)
        voulus = set(self.valeurs[self.fiche.onisep_id]["metiers_associes"])
        en_attente = self.en_attente[pk]
        lies = {self.codes_metiers[b] or f"#{b}": b for b in self.lies_a[pk]}
        actuels = set(lies) | set(en_attente)
        # A link is shared by both fiches, so a difference here is not necessarily an editor's.
        retenus = self._fusion_ensemble("metiers_associes", actuels, voulus, signaler=False)
        compte = self.rapport.comptes["liens"]
        for code in actuels - retenus:
            if code in lies:
                cible = lies[code]
                self.liens_a_supprimer[_paire(pk, cible)] = [
                    self.liens[sens] for sens in ((pk, cible), (cible, pk)) if sens in self.liens
                ]
            else:
                self.ecritures["en_attente_supprimes"].append(en_attente[code].pk)
            compte.supprimes += 1
        for code in retenus:
            cible = self.pks_metiers.get(code)
            if code in lies:
                compte.inchanges += 1
            elif cible is not None or code in self.codes_import:
                if code in en_attente:
                    self.ecritures["en_attente_supprimes"].append(en_attente[code].pk)
                if cible is None:
                    # A métier of this import that a later batch creates: linked then.
                    self.attendus[code].append(pk)
                else:
                    self._lier(pk, cible)
            elif code in en_attente:
                compte.inchanges += 1
            else:
                self.ecritures["en_attente_crees"].append(
                    LienEnAttente(metier_id=pk, onisep_id=code, libelle=libelles.get(code, "")[:300])
                )
                compte.crees += 1
        return retenus != actuels

    def _lier(self, a, b):
        # Two fiches naming each other make one link.
        self.rapport.comptes["liens"].crees += _paire(a, b) not in self.liens_a_creer
        self.liens_a_creer.add(_paire(a, b))

    def _resoudre_liens_en_attente(self, crees):
        """Links to the métiers created now: those of earlier batches, waiting for them, and
        the pending links of earlier imports, which become real links."""
        for code in crees:
            for pk in self.attendus.pop(code, ()):
                self._lier(pk, self.pks_metiers[code])
        en_attente = LienEnAttente.objects.filter(onisep_id__in=crees).values_list(
            "pk", "metier_id", "metier__onisep_id", "onisep_id"
        )
        for pk, metier_id, code_metier, code in en_attente:
            # A métier of this import says itself what becomes of its pending links.
            if code_metier not in self.codes_import:
                self.liens_a_creer.add(_paire(metier_id, self.pks_metiers[code]))
                self.ecritures["en_attente_supprimes"].append(pk)
                self.rapport.comptes["liens"].modifies += 1

    def _ecrire(self):
        e = self.ecritures
        # Only the columns that changed somewhere: bulk_update writes a CASE per column and row.
        if e["metiers"]:
            Metier.objects.bulk_update(e["metiers"], sorted(self.champs_modifies), batch_size=500)
        _supprimer(Appellation, e["appellations_supprimees"])
        Appellation.objects.bulk_update(e["appellations_modifiees"], ["genre", "principale"], batch_size=500)
        Appellation.objects.bulk_create(e["appellations_creees"], batch_size=500)
        _supprimer(Salaire, e["salaires_supprimes"])
        Salaire.objects.bulk_update(
            e["salaires_modifies"], ["montant_min", "montant_max", "periode", "nature"], batch_size=500
        )
        Salaire.objects.bulk_create(e["salaires_crees"], batch_size=500)
        for nom in (*ENSEMBLES, "sources"):
            through, _ = _through(nom)
            _supprimer(through, e[f"{nom}_supprimes"])
            through.objects.bulk_create(e[f"{nom}_crees"], batch_size=500)
        _supprimer(LienEnAttente, e["en_attente_supprimes"])
        LienEnAttente.objects.bulk_create(e["en_attente_crees"], batch_size=500)

    def _ecrire_liens(self):
        """Symmetrical links are stored in both directions; an addition wins over a removal."""
        through = Metier.metiers_associes.through
        _supprimer(through, [
            pk for paire, pks in self.liens_a_supprimer.items() if paire not in self.liens_a_creer for pk in pks
        ])
        paires = iter(self.liens_a_creer)
        while lot := list(islice(paires, LOT)):
            # A direction already stored is left as it is.
            through.objects.bulk_create(
                [through(from_metier_id=x, to_metier_id=y) for a, b in lot for x, y in ((a, b), (b, a))],
                ignore_conflicts=True,
            )


# Fields that are not plain Metier fields, named for the report.
_NOMS_CHAMPS = {"appellations": "appellations", "salaire_debutant": "salaire du débutant"}


def _supprimer(model, pks):
    """Delete rows by primary key with plain DELETEs, in slices (SQLite limits query parameters).

    QuerySet.delete() would send post_delete for every row, each one bumping the page cache
    version with a query; these rows have no dependants and the import bumps the cache once.
    """
    table, colonne = (connection.ops.quote_name(n) for n in (model._meta.db_table, model._meta.pk.column))
    with connection.cursor() as cursor:
        for debut in range(0, len(pks), SUPPRESSION_PAR_LOT):
            lot = pks[debut:debut + SUPPRESSION_PAR_LOT]
            cursor.execute(f"DELETE FROM {table} WHERE {colonne} IN ({', '.join(['%s'] * len(lot))})", lot)


def _through(nom):
    champ = Metier._meta.get_field(nom)
    return champ.remote_field.through, champ.m2m_reverse_name()


def _appellations_voulues(fiche):
    """label → (gender, main title): main titles first, then each other title's forms.

    A label is kept once (a métier cannot hold the same title twice), the first time it appears.
    """
    genres = Appellation.Genre
    formes = [(fiche.feminin, genres.FEMININ, True), (fiche.masculin, genres.MASCULIN, True)]
    for neutre, feminin, masculin in fiche.autres_appellations:
        formes += [(neutre, genres.NEUTRE, False), (feminin, genres.FEMININ, False), (masculin, genres.MASCULIN, False)]
    voulues = {}
    for libelle, genre, principale in formes:
        if libelle:
            voulues.setdefault(libelle[:300], (genre, principale))
    return voulues


def _type_formation(libelle):
    """Guess the kind of diploma (and its usual level) from the label; "autre" when unsure."""
    cle = normalise(libelle)
    for motif, type_, niveau in _TYPES_FORMATION:
        if re.search(motif, cle):
            return type_, niveau
    return Formation.Type.AUTRE, None
