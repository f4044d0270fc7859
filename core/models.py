"""The catalogue version, which the caches' keys carry (see core.cache)."""

import secrets

from django.db import models


def new_catalogue_version():
    """A value no earlier version of any database is likely to have held (1 in 2**62)."""
    return 1 + secrets.randbelow(2**62)


class CatalogueVersion(models.Model):
    """A value replaced by every change to the catalogue; cached pages carry it in their key.

    It lives in the database so that every process and every app server sees a
    change at once, whatever the cache backend. It is drawn at random rather than
    counted: a counter starts again after a database is restored from a backup or
    created anew, and the next edits would then meet pages cached under the same
    numbers for another content (in a shared cache, or a process left running).
    """

    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        # The table it had when it lived in the portal app.
        db_table = "portal_catalogueversion"
        verbose_name = "version du catalogue"
        verbose_name_plural = "version du catalogue"

    def __str__(self):
        return f"version {self.version}"
