"""The two staff roles, as data: which model permissions each group holds."""

EDITEURS = "Éditeurs"
CONSEILLERS = "Conseillers"

CONTENT_MODELS = {
    "metiers": ["metier", "appellation", "salaire", "centreinteret", "secteur", "statut", "lienenattente"],
    "formations": ["formation", "niveau"],
    "sources": ["source"],
}

# Editors write fiches and import files (the import page asks for metiers.add_metier);
# counsellors only read, drafts included, in the admin.
ROLE_ACTIONS = {
    EDITEURS: ["view", "add", "change", "delete"],
    CONSEILLERS: ["view"],
}
