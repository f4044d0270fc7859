"""What the admins of every app share: searches that ignore accents as the portal's
search does, and choice fields that refuse values outside their lists."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet

from core.search import normalise


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



class SearchIgnoringAccents:
    """For the reference tables (sources, levels, interests, sectors, statuses), whose
    rows are few: every word of the search, accents, capitals and punctuation ignored,
    is found within one of ``search_fields``, besides Django's own search as typed.

    « electronique » found no « Électronique et semi-conducteurs », and « etudiant » no
    source published by « L'Étudiant », in the lists and in the fiches' autocomplete
    fields. The rows are read and compared here: a few dozen, where an index would
    cost more to keep than it saves.
    """

    def get_search_results(self, request, queryset, search_term):
        by_fields, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = normalise(search_term).split()
        if not words:
            return by_fields, may_have_duplicates
        fields = [name.lstrip("^=@") for name in self.get_search_fields(request)]
        matched = [
            pk
            for pk, *values in queryset.values_list("pk", *fields)
            if all(word in normalise(" ".join(str(value or "") for value in values)) for word in words)
        ]
        return queryset.filter(Q(pk__in=by_fields.values("pk")) | Q(pk__in=matched)), may_have_duplicates


def _holds(field, value):
    """Whether ``value`` is one that the model ``field`` can hold."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class ValidSelectionOnly:
    """An autocomplete widget that shows again, on a form sent back with its errors, only
    the selected values its field can hold. Django looks every posted value up in the
    database: « abc », a NUL byte or a number beyond the column made that page fail."""

    def optgroups(self, name, value, attr=None):
        related = self.field.remote_field.model._meta
        target = related.get_field(getattr(self.field.remote_field, "field_name", None) or related.pk.name)
        return super().optgroups(name, [v for v in value if _holds(target, v)], attr)


def _target(field):
    """The related model's field that a model choice field's values name."""
    meta = field.queryset.model._meta
    return meta.get_field(field.to_field_name) if field.to_field_name else meta.pk


class CheckedModelChoiceField(forms.ModelChoiceField):
    """Refuses, before the database sees it, a value its column cannot hold: SQLite fails
    on a number beyond 64 bits instead of finding nothing."""

    def to_python(self, value):
        if (value not in self.empty_values and not isinstance(value, self.queryset.model)
                and not _holds(_target(self), value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same check for each value of a multiple choice."""

    def _check_values(self, value):
        for pk in value:
            if not _holds(_target(self), pk):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)


class ValidSelectionSelect(ValidSelectionOnly, AutocompleteSelect):
    pass


class ValidSelectionSelectMultiple(ValidSelectionOnly, AutocompleteSelectMultiple):
    pass


class CheckedChoices:
    """For a ModelAdmin or an inline: its relations use the checked fields, and its
    autocomplete fields the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", CheckedModelChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidSelectionSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidSelectionSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CheckedInlineFormSet(BaseInlineFormSet):
    """Refuses a count of existing rows that the page could not have sent. Django takes
    the posted count as it is: a negative one turned the existing rows into new ones,
    saved a second time (a duplicate, or a 500 on the unique constraint)."""

    def clean(self):
        super().clean()
        if not 0 <= self.initial_form_count() <= min(self.total_form_count(), len(self.get_queryset())):
            raise ValidationError(
                "Ces lignes ne correspondent plus à celles enregistrées : rechargez la page, puis recommencez."
            )


class CheckedInline(CheckedChoices):
    """For the inlines: the checked formset, relations and autocomplete fields."""

    formset = CheckedInlineFormSet
