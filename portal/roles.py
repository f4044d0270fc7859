"""The two staff groups. Their permissions are data, set by migrations: Éditeurs view, add,
change and delete the catalogue's rows (fiches, formations, references, sources) and import
files; Conseillers only view them, drafts included (portal/migrations/0002_roles.py, and 0009,
which moves the permissions on sources with their model)."""

EDITEURS = "Éditeurs"
CONSEILLERS = "Conseillers"
