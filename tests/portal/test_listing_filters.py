"""Each listing's FilterSet has filters of its own, bound to itself (portal.listing._Filters
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
