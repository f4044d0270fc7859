"""``{% adresse 'nom' %}``: the address of a page without arguments, resolved once per process.

Every page's header and footer link to eight such pages, and a listing to a few more;
``{% url %}`` walked the URL patterns again for each link of each page (half the time
of the page frame). Addresses with arguments keep ``{% url %}``.
"""

from django import template

from portal.urlcache import plain_url

register = template.Library()


@register.simple_tag
def adresse(name):
    return plain_url(name)
