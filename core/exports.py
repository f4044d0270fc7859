"""Downloads of a filtered listing as CSV or JSON, streamed row by row.

A listing's export applies the same FilterSet as its page, so that a counsellor
downloads exactly what they see. Rows are read in chunks and written as they
come: memory stays bounded whatever the size of the catalogue.
"""

import csv
import json
from dataclasses import dataclass
from itertools import islice
from typing import Callable

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone

from core.methods import SAFE, allow_methods

CHUNK_SIZE = 500
# Spreadsheets run a cell that starts with one of these as a formula; a leading
# apostrophe makes them show it as text (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LICENCE = {
    "textes": "Licence Ouverte / Open Licence 2.0 (Etalab) : textes rédigés par le portail Cap Ingé",
    "donnees": "ODbL 1.0 (Open Database License) pour les données tirées de l'open data ONISEP ; "
    "les autres faits viennent des sources citées",
    "url_textes": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "url_donnees": "https://opendatacommons.org/licenses/odbl/1-0/",
}


@dataclass(frozen=True)
class Column:
    """One column of an export: its stable name and how to read it from an object."""

    name: str
    value: Callable


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = " | ".join(str(item) for item in value)
    value = str(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _filename(stem, extension):
    return f"{stem}-{timezone.localdate().isoformat()}.{extension}"


def site_address(request):
    """The scheme and host before every absolute address of a download ("https://…"):
    `build_absolute_uri()` would parse each row's address again."""
    return request.build_absolute_uri("/").removesuffix("/")


def in_chunks(objects, attach):
    """The objects of a queryset, read ``CHUNK_SIZE`` at a time; ``attach(chunk)`` gives
    each chunk what the columns read (its links, in a query or two for the whole chunk)."""
    rows = objects.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        attach(chunk)
        yield from chunk


def csv_response(objects, columns, *, stem):
    """A CSV download: UTF-8 with a byte order mark and `;` separators, as French
    spreadsheet software expects, one header row with the column names."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines():
        yield "\ufeff" + writer.writerow([column.name for column in columns])
        for obj in objects:
            yield writer.writerow([_cell(column.value(obj)) for column in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "csv")}"'
    return response


def json_response(objects, columns, *, stem, request, cite):
    """A JSON download: ``{stem: [rows], "colonnes": […], "sources": […], "licence": {…}}``.

    The rows come first so that they can stream; the sources they cite (each object's
    ``codes_sources``) are gathered meanwhile and written after them, as ``cite(codes)``
    describes them.
    """

    def chunks():
        yield '{"%s": [' % stem
        cited = set()
        for index, obj in enumerate(objects):
            cited.update(obj.codes_sources)
            row = {column.name: column.value(obj) for column in columns}
            yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False, default=str)
        sources = cite(cited)
        tail = {
            "colonnes": [column.name for column in columns],
            "sources": sources,
            "licence": LICENCE,
            "adresse": request.build_absolute_uri(),
            "genere_le": timezone.now().isoformat(timespec="seconds"),
        }
        yield "\n], " + json.dumps(tail, ensure_ascii=False)[1:]

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "json")}"'
    return response


def export_views(filterset_class, *, stem, columns, attach, cite, queryset=None):
    """The CSV and JSON download views of one listing.

    ``columns(request)`` lists the columns; ``attach(objects)`` gives a chunk of objects
    what the columns read, and sets each one's ``codes_sources``, the sorted codes of
    the sources it cites, which ``cite(codes)`` describes. ``queryset()``, when given, makes the rows the filters apply
    to: an export's line may read more columns than the listing's card.
    An invalid filter is refused (400) rather than ignored: a download is not
    displayed, so nobody would see that a filter was left out.
    """

    def rows(request):
        filterset = filterset_class(request.GET, queryset=queryset() if queryset else None)
        form = filterset.form
        if form.errors:
            lines = [f"Filtre « {form.fields[name].label} » invalide : {' '.join(errors)}"
                     for name, errors in form.errors.items()]
            message = "\n".join(["Export impossible, l'adresse contient un filtre invalide.", *lines])
            return None, HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return in_chunks(filterset.in_listing_order(), attach), None

    @allow_methods(SAFE)
    def as_csv(request):
        objects, error = rows(request)
        return error or csv_response(objects, columns(request), stem=stem)

    @allow_methods(SAFE)
    def as_json(request):
        objects, error = rows(request)
        return error or json_response(objects, columns(request), stem=stem, request=request, cite=cite)

    return as_csv, as_json
