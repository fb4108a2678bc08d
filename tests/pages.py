"""Reading pages in tests."""

import html

from lxml import html as lxml_html


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


def posted_form(html: str, form_id: str = "", *, containing: str = "") -> dict:
    """What a browser would post from the page's form as it stands (inputs, selects, text areas):
    the form of that id, or the one with a field named ``containing``."""
    page = lxml_html.fromstring(html)
    if form_id:
        form = page.get_element_by_id(form_id)
    else:
        (form,) = page.xpath(f"//form[.//*[@name='{containing}']]")
    data: dict[str, list[str]] = {}
    for field in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
        name, kind = field.get("name"), field.get("type", "")
        if field.tag == "input" and kind in {"checkbox", "radio"} and field.get("checked") is None:
            continue
        if field.tag == "input" and kind in {"submit", "file"}:
            continue
        if field.tag == "select":
            values = [option.get("value", option.text or "") for option in field.xpath(".//option[@selected]")]
        else:
            values = [field.get("value", "") if field.tag == "input" else (field.text or "")]
        data.setdefault(name, []).extend(values)
    return data
