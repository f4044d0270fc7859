"""Each listing's FilterSet has filters of its own, bound to itself (core.listing._Filters
copies them shallowly), whatever other listings read at the same time."""

import pytest
from django.http import QueryDict

from formations.filters import FormationFilterSet
from metiers.filters import MetierFilterSet
from metiers.models import Metier

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("filterset_class", [MetierFilterSet, FormationFilterSet])
def test_each_filterset_has_its_own_filters_whose_methods_read_it(filterset_class):
    one, other = filterset_class(QueryDict("q=image")), filterset_class(QueryDict("q=robot"))
    for name, filter_ in one.filters.items():
        assert filter_ is not other.filters[name] and filter_ is not filterset_class.base_filters[name]
        assert filter_.parent is one and other.filters[name].parent is other
        if filter_.method is not None:
            # The method runs on this filterset, not on the other one nor on the class.
            assert filter_.filter.method.__self__ is one
            assert other.filters[name].filter.method.__self__ is other
    assert filterset_class.base_filters["q"].__dict__.get("parent") is None


def test_two_listings_read_together_keep_their_own_filters(portal_data):
    bac5 = MetierFilterSet(QueryDict("niveau=bac-5"))
    everything = MetierFilterSet(QueryDict(""))
    bac3 = MetierFilterSet(QueryDict("niveau=bac-3"))
    published = Metier.objects.published()

    def slugs(queryset):
        return sorted(m.slug for m in queryset)

    assert slugs(bac3.qs) == slugs(published.filter(niveau_acces__rang=3))
    assert slugs(bac5.qs) == slugs(published.filter(niveau_acces__rang=5))
    assert slugs(bac5.qs) and slugs(bac5.qs) != slugs(bac3.qs)
    assert slugs(everything.qs) == slugs(published)


@pytest.mark.parametrize("filterset_class", [MetierFilterSet, FormationFilterSet])
def test_each_form_has_fields_and_widgets_of_its_own(portal_data, filterset_class):
    # core.listing._Fields: the fields are copied for each form, their choices shared
    # until a form sets its own.
    one, other = filterset_class(QueryDict("")).form, filterset_class(QueryDict("")).form
    base = type(one).base_fields
    for name, field in one.fields.items():
        assert field is not other.fields[name] and field is not base[name]
        assert field.widget is not other.fields[name].widget and field.widget is not base[name].widget
        assert field.widget.attrs is not other.fields[name].widget.attrs
        assert field.error_messages is not base[name].error_messages
    name = next(name for name, field in one.fields.items() if hasattr(field, "choices") and name != "formation")
    one.fields[name].choices = [("x", "X")]
    one.fields[name].widget.attrs["data-x"] = "1"
    assert "x" in [value for value, _ in one.fields[name].choices]
    assert "x" not in [value for value, _ in other.fields[name].choices]
    assert "x" not in [value for value, _ in base[name].choices]
    assert "data-x" not in other.fields[name].widget.attrs and "data-x" not in base[name].widget.attrs
    fresh = filterset_class(QueryDict("")).form
    assert [list(f.choices) for f in fresh.fields.values() if hasattr(f, "choices") and not hasattr(f, "queryset")] == [
        list(f.choices) for f in other.fields.values() if hasattr(f, "choices") and not hasattr(f, "queryset")
    ]
