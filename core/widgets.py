"""Filter menus rendered once per distinct state, not on every request.

A menu's markup is a function of its name, its value, its attributes, its choices
and the language alone; a listing draws six of them, about a hundred options, which
made up a third of the time of an uncached listing page. Each distinct state is
rendered once per process and kept (a bounded number of them).
"""

from django import forms
from django.utils.translation import get_language

MAX_ENTRIES = 2048
_rendered = {}


class RenderedOnce:
    def render(self, name, value, attrs=None, renderer=None):
        key = repr((type(self).__name__, name, value, self.attrs, attrs, list(getattr(self, "choices", ())), get_language()))
        html = _rendered.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(_rendered) >= MAX_ENTRIES:
                _rendered.clear()
            _rendered[key] = html
        return html


class Select(RenderedOnce, forms.Select):
    pass


class CheckboxSelectMultiple(RenderedOnce, forms.CheckboxSelectMultiple):
    pass


class NumberInput(RenderedOnce, forms.NumberInput):
    pass
