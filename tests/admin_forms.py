"""Post an admin change form as an editor's browser would: what the form shows, plus edits.

`admin_post(client, url, **changes)` opens the admin page at `url`, reads every
field of the form and of its inline formsets (saved rows and the blank rows
the page offers) as the page renders them, applies the changes (field name →
value; inline fields by their full name, such as "partnerships-0-organisation")
and submits it. Readonly fields are not in the form, exactly as in the browser.
"""

from __future__ import annotations

from django.forms import CheckboxInput, MultiWidget


def _form_data(form) -> dict:
    data = {}
    for bound in form:
        widget = bound.field.widget
        value = bound.value()
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for index, part in enumerate(parts):
                data[f"{bound.html_name}_{index}"] = "" if part is None else part
        elif isinstance(widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        else:
            data[bound.html_name] = "" if value is None else value
    return data


def admin_form_data(response) -> dict:
    """Everything the change form at `response` would send unchanged."""
    context = response.context
    data = _form_data(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:  # the saved rows and the blank ones the page offers
            data.update(_form_data(form))
    return data


def admin_post(client, url: str, *, extra_forms: dict[str, int] | None = None, **changes):
    """Open `url`, change some fields, save. `extra_forms` adds blank inline rows
    (inline prefix → how many), whose fields `changes` then fills."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = admin_form_data(page)
    for prefix, count in (extra_forms or {}).items():
        data[f"{prefix}-TOTAL_FORMS"] = str(int(data[f"{prefix}-TOTAL_FORMS"]) + count)
    data.update(changes)
    response = client.post(url, data)
    errors = []
    if response.status_code != 302 and response.context:
        errors = [response.context["adminform"].form.errors] + [
            (i.formset.prefix, i.formset.errors, i.formset.non_form_errors())
            for i in response.context.get("inline_admin_formsets", [])
        ]
    assert response.status_code == 302, errors
    return response
