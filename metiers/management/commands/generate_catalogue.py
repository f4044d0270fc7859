"""A reproducible synthetic catalogue at national scale, for benchmarks only.

Every row it writes is tied to the source "catalogue-synthetique", its fiches say
they are fictitious, and `make run` never calls it.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify

from core.cache import bump_catalogue_version
from formations.models import Formation
from metiers.models import Appellation, CentreInteret, Metier, Salaire, Secteur, Statut
from sources.models import Source

SOURCE_CODE = "catalogue-synthetique"

# (neutral, feminine, masculine) job nouns.
NOUNS = [
    ("ingénieur/e", "ingénieure", "ingénieur"),
    ("technicien/ne", "technicienne", "technicien"),
    ("chef/fe de projet", "cheffe de projet", "chef de projet"),
    ("responsable", "responsable", "responsable"),
    ("architecte", "architecte", "architecte"),
    ("consultant/e", "consultante", "consultant"),
    ("développeur/euse", "développeuse", "développeur"),
    ("chargé/e d'études", "chargée d'études", "chargé d'études"),
    ("chercheur/euse", "chercheuse", "chercheur"),
    ("expert/e", "experte", "expert"),
]
DOMAINS = [
    "traitement du signal", "systèmes embarqués", "génie civil", "énergies renouvelables",
    "mécanique des structures", "électronique de puissance", "logistique", "qualité",
    "cybersécurité", "science des données", "robotique", "aérodynamique", "matériaux composites",
    "chimie des procédés", "biotechnologies", "télécommunications", "automatismes",
    "intelligence artificielle", "réseaux électriques", "hydraulique", "acoustique", "optique",
    "calcul scientifique", "maintenance industrielle", "sûreté nucléaire", "géotechnique",
    "environnement", "agroalimentaire", "informatique industrielle", "vision par ordinateur",
    "métrologie", "thermique du bâtiment", "production", "essais", "méthodes", "fiabilité",
    "cloud", "réalité virtuelle", "microélectronique", "photonique",
]
CONTEXTS = [
    "", " dans l'automobile", " dans l'aéronautique", " en milieu hospitalier", " dans le ferroviaire",
    " dans le spatial", " dans la défense", " dans l'énergie", " dans le BTP", " dans la pharmacie",
    " dans le naval", " dans les télécoms", " en laboratoire public", " en bureau d'études",
    " dans l'industrie du luxe",
]
FORMATION_KINDS = [
    ("master mention", Formation.Type.MASTER, 5),
    ("diplôme d'ingénieur spécialité", Formation.Type.DIPLOME_INGENIEUR, 5),
    ("mastère spécialisé", Formation.Type.MASTERE_SPECIALISE, 6),
    ("licence professionnelle", Formation.Type.LICENCE, 3),
    ("BUT", Formation.Type.AUTRE, 3),
    ("BTS", Formation.Type.AUTRE, 2),
    ("doctorat", Formation.Type.DOCTORAT, 8),
    ("bachelor", Formation.Type.BACHELOR, 3),
]
CITIES = [
    "Lille", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Nantes", "Rennes", "Strasbourg",
    "Grenoble", "Montpellier", "Nancy", "Clermont-Ferrand", "Rouen", "Brest", "Dijon", "Poitiers",
    "Pau", "Compiègne", "Belfort", "Valenciennes", "Saint-Étienne", "Orléans", "Tours", "Caen",
]
INSTITUTIONS = ["Université de {}", "École d'ingénieurs de {}", "IUT de {}", "Lycée technique de {}"]
INTERESTS = [
    "j'aime jongler avec les chiffres", "j'aime organiser, gérer",
    "je me passionne pour les nouvelles technologies", "j'aime bricoler", "j'aime le contact",
    "je veux protéger la nature", "j'ai la fibre artistique", "j'aime bouger",
    "je rêve de voyager", "je veux aider les autres", "j'aime les sciences",
    "je veux travailler avec des machines",
]
SECTORS = [
    "Aéronautique et spatial", "Automobile et transports", "Défense et sécurité",
    "Santé et dispositifs médicaux", "Télécommunications et réseaux", "Audiovisuel et multimédia",
    "Électronique et semi-conducteurs", "Robotique et objets connectés",
    "Services numériques et logiciels", "Recherche", "Industrie", "Banque, finance et assurance",
    "Commerce et marketing", "Énergie", "Bâtiment et travaux publics", "Chimie et pharmacie",
]
STATUSES = ["salarié", "fonctionnaire", "indépendant", "créateur d'entreprise"]


class Command(BaseCommand):
    help = "Génère un catalogue fictif et reproductible pour les mesures de performance."

    def add_arguments(self, parser):
        parser.add_argument("--metiers", type=int, default=2000)
        parser.add_argument("--formations", type=int, default=20000)
        parser.add_argument("--appellations", type=int, default=None,
                            help="Total d'appellations (défaut : 7,5 par métier, soit 15 000 pour 2 000).")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, metiers, formations, appellations, seed, **options):
        if metiers < 1 or formations < 30:
            raise CommandError("Il faut au moins 1 métier et 30 formations.")
        max_titles = len(NOUNS) * len(DOMAINS) * len(CONTEXTS) * 10
        if metiers > max_titles:
            raise CommandError(f"Au plus {max_titles} métiers fictifs distincts.")
        appellations = appellations if appellations is not None else round(metiers * 7.5)
        rng = random.Random(seed)
        started = time.monotonic()
        with transaction.atomic():
            self.delete_previous()
            # An editorial entry: its title, shown wherever a fiche credits it, says what it is.
            source = Source.objects.create(
                code=SOURCE_CODE, titre="Catalogue fictif pour les mesures de performance",
                nature=Source.Nature.SAISIE,
            )
            refs = self.reference_tables()
            formation_ids = self.create_formations(rng, formations, source)
            metier_ids = self.create_metiers(rng, metiers, appellations, source, refs, formation_ids)
            Metier.objects.filter(pk__in=metier_ids).refresh_derived_columns()
            bump_catalogue_version()
        built = time.monotonic()
        self.tidy_postgresql()
        self.stdout.write(self.style.SUCCESS(
            f"Catalogue fictif : {metiers} métiers, {formations} formations, "
            f"{Appellation.objects.filter(metier__sources=source).count()} appellations "
            f"en {built - started:.1f} s, index et statistiques à jour en {time.monotonic() - built:.1f} s."
        ))

    @staticmethod
    def tidy_postgresql():
        """Fold the rows just inserted into the GIN indexes and refresh the planner's
        statistics, so that the catalogue is served as fast as it will be once autovacuum
        has passed (bulk-inserted rows wait in each GIN index's pending list until then).
        Both work inside a transaction, unlike VACUUM."""
        if connection.vendor != "postgresql":
            return
        tables = [Metier, Appellation, Salaire, Formation, *(
            field.remote_field.through for field in Metier._meta.many_to_many
        ), *(field.remote_field.through for field in Formation._meta.many_to_many)]
        names = list(dict.fromkeys(model._meta.db_table for model in tables))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
                " WHERE a.amname = 'gin' AND i.indrelid::regclass::text = ANY(%s)",
                [names],
            )
            for name in names:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")

    def delete_previous(self):
        previous = Source.objects.filter(code=SOURCE_CODE)
        Metier.objects.filter(sources__in=previous).delete()
        Formation.objects.filter(sources__in=previous).delete()
        previous.delete()

    def reference_tables(self):
        def ensure(model, labels):
            existing = {obj.libelle: obj.pk for obj in model.objects.all()}
            missing = [model(libelle=label, slug=slugify(label.replace("'", " "))) for label in labels
                       if label not in existing]
            model.objects.bulk_create(missing)
            return list(model.objects.filter(libelle__in=labels).values_list("pk", flat=True))

        return {
            "centres": ensure(CentreInteret, INTERESTS),
            "secteurs": ensure(Secteur, SECTORS),
            "statuts": ensure(Statut, STATUSES),
        }

    def create_formations(self, rng, count, source):
        rows = []
        for index in range(count):
            prefix, kind, level = rng.choice(FORMATION_KINDS)
            domain = rng.choice(DOMAINS)
            city = rng.choice(CITIES)
            label = f"{prefix} {domain}"
            rows.append(Formation(
                libelle=label, slug=f"{slugify(label)}-fictif-{index + 1}", type=kind, niveau_id=level,
                etablissement=rng.choice(INSTITUTIONS).format(city),
                description="Formation fictive, générée pour les mesures de performance.",
            ))
        created = Formation.objects.bulk_create(rows, batch_size=2000)
        ids = [f.pk for f in created]
        Formation.objects.filter(pk__in=ids).refresh_search_vector()
        Formation.sources.through.objects.bulk_create(
            [Formation.sources.through(formation_id=pk, source_id=source.pk) for pk in ids], batch_size=5000
        )
        return ids

    def create_metiers(self, rng, count, appellation_total, source, refs, formation_ids):
        combos = [(n, d, c) for n in range(len(NOUNS)) for d in range(len(DOMAINS)) for c in range(len(CONTEXTS))]
        rng.shuffle(combos)
        titles = []
        for index in range(count):
            noun, domain, context = combos[index % len(combos)]
            rank = index // len(combos)
            suffix = f" (variante {rank + 1})" if rank else ""
            titles.append((noun, DOMAINS[domain] + CONTEXTS[context] + suffix))
        rows = []
        for index, (noun, rest) in enumerate(titles):
            title = f"{NOUNS[noun][0]} {rest}"
            rows.append(Metier(
                titre=title, slug=f"{slugify(title.replace('/', ' '))}-fictif-{index + 1}",
                accroche=f"<p>Fiche fictive : {title}, générée pour les mesures de performance.</p>",
                nature_travail=f"<p>Missions types d'un métier de {rest.strip()} : conception, essais, "
                               "suivi de production, relation avec les équipes.</p>",
                niveau_acces_id=rng.choices([2, 3, 5, 6, 8], weights=[1, 2, 6, 1, 1])[0],
                publication=Metier.Publication.PUBLIE,
            ))
        metiers = Metier.objects.bulk_create(rows, batch_size=2000)
        self.link(rng, metiers, source, refs, formation_ids)
        self.create_appellations(rng, metiers, titles, appellation_total)
        self.create_salaries(rng, metiers, source)
        return [m.pk for m in metiers]

    def link(self, rng, metiers, source, refs, formation_ids):
        batches = {
            "formations": [], "centres_interet": [], "secteurs": [], "statuts": [], "sources": [],
        }
        for metier in metiers:
            batches["formations"] += [(metier.pk, f) for f in rng.sample(formation_ids, rng.randint(5, 30))]
            batches["centres_interet"] += [(metier.pk, c) for c in rng.sample(refs["centres"], rng.randint(1, 3))]
            batches["secteurs"] += [(metier.pk, s) for s in rng.sample(refs["secteurs"], rng.randint(1, 4))]
            batches["statuts"] += [(metier.pk, s) for s in rng.sample(refs["statuts"], rng.randint(1, 2))]
            batches["sources"].append((metier.pk, source.pk))
        for field, pairs in batches.items():
            relation = getattr(Metier, field)
            model = relation.through
            target = relation.field.m2m_reverse_field_name()
            model.objects.bulk_create(
                [model(metier_id=left, **{f"{target}_id": right}) for left, right in pairs], batch_size=5000
            )

    def create_appellations(self, rng, metiers, titles, total):
        rows = []
        for metier, (noun, rest) in zip(metiers, titles):
            _, feminine, masculine = NOUNS[noun]
            rows.append(Appellation(metier=metier, libelle=f"{feminine} {rest}", genre="feminin", principale=True))
            if masculine != feminine:
                rows.append(Appellation(metier=metier, libelle=f"{masculine} {rest}", genre="masculin", principale=True))
        seen = {(a.metier.pk, a.libelle) for a in rows}
        pairs = list(zip(metiers, titles))
        # Each métier can take every form of every noun once: stop when none is left.
        capacity = len(pairs) * len({form for forms in NOUNS for form in forms})
        while len(rows) < min(total, capacity):
            metier, (noun, rest) = rng.choice(pairs)
            neutral, feminine, masculine = rng.choice(NOUNS)
            for label, genre in ((neutral, "neutre"), (feminine, "feminin"), (masculine, "masculin")):
                key = (metier.pk, f"{label} {rest}")
                if key not in seen and len(rows) < total:
                    seen.add(key)
                    rows.append(Appellation(metier=metier, libelle=key[1], genre=genre))
        Appellation.objects.bulk_create(rows, batch_size=5000)

    def create_salaries(self, rng, metiers, source):
        rows = []
        for metier in metiers:
            low = rng.randrange(1800, 3600, 50)
            rows.append(Salaire(metier=metier, experience="debutant", periode="mensuel", nature="brut",
                                montant_min=low, montant_max=low + rng.randrange(200, 1200, 50), source=source))
            if rng.random() < 0.5:
                high = low * 12 + rng.randrange(6000, 30000, 1000)
                rows.append(Salaire(metier=metier, experience="confirme", periode="annuel", nature="brut",
                                    montant_min=high, montant_max=high + 15000, source=source))
        Salaire.objects.bulk_create(rows, batch_size=5000)
