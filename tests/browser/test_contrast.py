"""Contrast of what a keyboard or a control shows, measured in Chromium on every staff page: the
focus indicator against what surrounds it, and the edge of each text box, select, checkbox and
radio against the page (WCAG 2.2: 1.4.11 non-text contrast and 2.4.7 focus visible, 3:1)."""

# The computed colours of an element and of the first opaque background behind it, in the page.
COLOURS = """(element) => {
  const style = getComputedStyle(element);
  let node = element.parentElement, background = "rgb(255, 255, 255)";
  while (node) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
    node = node.parentElement;
  }
  return {
    outline: style.outlineStyle === "none" ? null : style.outlineColor,
    outlineWidth: parseFloat(style.outlineWidth),
    border: style.borderTopColor,
    borderWidth: parseFloat(style.borderTopWidth),
    background: background,
    name: element.tagName + (element.id ? "#" + element.id : "") + (element.className ? "." + element.className : ""),
  };
}"""
CONTROLS = (
    "main input:not([type=hidden]):not([type=submit]):not([type=file]):not([disabled]):visible, "
    "main select:visible, main textarea:visible"
)


def _rgb(colour: str) -> tuple[float, ...]:
    inside = colour[colour.index("(") + 1 : colour.index(")")]
    return tuple(float(part) for part in inside.replace("/", ",").split(",") if part.strip())


def _over(colour: str, background: str) -> tuple[float, float, float]:
    red, green, blue, *alpha = _rgb(colour)
    a = alpha[0] if alpha else 1.0
    under = _rgb(background)[:3]
    return tuple(a * mine + (1 - a) * theirs for mine, theirs in zip((red, green, blue), under, strict=True))


def _luminance(rgb) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(colour: str, background: str) -> float:
    lighter, darker = sorted((_luminance(_over(colour, background)), _luminance(_rgb(background)[:3])), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_measure_itself():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    assert round(contrast("rgb(222, 226, 230)", "rgb(255, 255, 255)"), 2) == 1.3  # Bootstrap's #dee2e6
    assert contrast("rgba(13, 110, 253, 0.25)", "rgb(11, 61, 107)") < 3  # its focus shadow on our navbar


def test_focus_and_control_edges_reach_3_to_1_on_every_staff_page(live_server, sign_in, me_officer, staff_pages):
    urls = staff_pages
    page = sign_in(me_officer)
    weak, focused_count = [], 0
    for url in urls:
        page.goto(live_server.url + url)
        for control in page.locator(CONTROLS).all()[:25]:
            seen = control.evaluate(COLOURS)
            if seen["borderWidth"] and contrast(seen["border"], seen["background"]) < 3:
                weak.append(f"{url} {seen['name']}: border {seen['border']} on {seen['background']}")
        # Tab through the navigation and into the page, as a keyboard user would.
        page.locator("body").focus()
        for _step in range(12):
            page.keyboard.press("Tab")
            seen = page.evaluate(f"({COLOURS})(document.activeElement)")
            if seen["name"].startswith("BODY"):
                break
            focused_count += 1
            if seen["outline"] is None or seen["outlineWidth"] < 2:
                weak.append(f"{url} {seen['name']}: no focus outline")
            elif contrast(seen["outline"], seen["background"]) < 3:
                weak.append(f"{url} {seen['name']}: focus {seen['outline']} on {seen['background']}")
    assert focused_count > len(urls) * 5
    assert not weak, "\n".join(weak[:30])
