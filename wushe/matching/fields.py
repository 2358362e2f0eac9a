"""Form fields of the matching pages: the weekly time grid (21 slots) and a resident chosen
by search (a hidden id the page's search fills in)."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wushe.matching import solver
from wushe.volunteers.choices import DAY_NAMES, PART_NAMES


class WeeklyGrid(forms.Widget):
    """Seven days by three parts of the day, a checkbox each (bit ``day * 3 + part``)."""

    # Rendered here, not from a template: Django's form renderer reads only its own and the
    # apps' template folders, not the project's.

    def format_value(self, value) -> set[int]:
        if isinstance(value, int):
            return {bit for bit in range(solver.model.SLOTS) if value >> bit & 1}
        if isinstance(value, list | tuple | set):
            return {int(v) for v in value if str(v).isdigit()}
        return set()

    def render(self, name, value, attrs=None, renderer=None) -> str:
        checked = self.format_value(value)
        element_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        head = format_html_join("", '<th scope="col">{}</th>', ((day,) for day in DAY_NAMES))
        rows = []
        for part, part_name in enumerate(PART_NAMES):
            cells = format_html_join(
                "",
                '<td><input type="checkbox" name="{}" value="{}" aria-label="{} {}"{}></td>',
                (
                    (
                        name,
                        bit,
                        DAY_NAMES[day],
                        part_name,
                        mark_safe(" checked") if bit in checked else "",
                    )
                    for day in range(7)
                    for bit in [day * 3 + part]
                ),
            )
            rows.append(format_html('<tr><th scope="row">{}</th>{}</tr>', part_name, cells))
        return format_html(
            '<table class="weekly-grid" id="{}"><thead><tr><th></th>{}</tr></thead>'
            "<tbody>{}</tbody></table>",
            element_id,
            head,
            mark_safe("".join(rows)),
        )

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False  # no box ticked is a value: "any time" (or "never")


class WeeklyMaskField(forms.Field):
    """The ticked slots as the 21-bit mask; none ticked is 0."""

    widget = WeeklyGrid
    default_error_messages = {"invalid": _("Choose slots of the week from the grid.")}

    def to_python(self, value) -> int:
        if value in self.empty_values:
            return 0
        if isinstance(value, int):
            return value
        mask = 0
        for item in value if isinstance(value, list | tuple) else [value]:
            text = str(item)
            if not text.isascii() or not text.isdigit() or int(text) >= solver.model.SLOTS:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            mask |= 1 << int(text)
        return mask


class ChosenResidentField(forms.ModelChoiceField):
    """A resident's id, set by choosing from the search on the page; the queryset is the
    user's visible residents, so an id from outside gets "no such resident"."""

    widget = forms.HiddenInput
    default_error_messages = {"invalid_choice": _("No such resident.")}

    def to_python(self, value):
        text = str(value or "").strip()
        if text and (not text.isascii() or not text.isdigit() or len(text) > 18):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid")
        return super().to_python(text)
