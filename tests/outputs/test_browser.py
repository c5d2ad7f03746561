"""The HTML publication in a real browser: Debian's Chromium, headless, driven by Playwright.

The pages are built into temporary folders (never from output/) and opened as file:// URLs. Every request that is
not a file of the page's folder is blocked and counted as a failure, so the page must work without a network.
Chromium comes from Debian (/usr/bin/chromium, installed by scripts/test.sh); Playwright's own browser download is
never used. Set DICOMSUP_CHROMIUM to use another binary.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from build_tools.outputs import docbook
from html_pages import DERMOSCOPY, WIDGET, build_page, modified_copy

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
expect = sync_api.expect

CHROMIUM = Path(os.environ.get("DICOMSUP_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} not found; install Debian's chromium "
                                                      "(scripts/test.sh does) or set DICOMSUP_CHROMIUM"),
    pytest.mark.skipif(not docbook.SCHEMA.is_file(), reason="DocBook 5.0 schema not installed (docbook5-xml)"),
]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pages")
    return {"dermoscopy": build_page(DERMOSCOPY, root / "dermoscopy"),
            "widget": build_page(WIDGET, root / "widget", rules=False)}


class Opened:
    """A page opened in a fresh browser context, with everything that went wrong while it was used."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.problems: list[str] = []
        folder = path.parent.as_uri() + "/"
        self.context.route("**/*", lambda route: self._route(route, folder))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(
            f"console {m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed request: {r.url} {r.failure}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        response = self.page.goto(path.as_uri(), wait_until="load")
        assert response is None or response.ok

    def _route(self, route, folder: str) -> None:
        if route.request.url.startswith(folder):
            route.continue_()
        else:
            self.problems.append(f"request outside the page's folder: {route.request.url}")
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def derm(browser, pages):
    opened = Opened(browser, pages["dermoscopy"])
    yield opened
    opened.close()


@pytest.fixture
def widget(browser, pages):
    opened = Opened(browser, pages["widget"])
    yield opened
    opened.close()


def style(locator, prop: str) -> str:
    return locator.evaluate(f"(e) => getComputedStyle(e).{prop}")


def test_loads_without_errors_or_requests(derm):
    page = derm.page
    assert page.title() == "Supplement 221: Dermoscopy (Final Text, version 1.0)"
    images = page.locator("main img")
    assert images.count() == 4
    for i in range(images.count()):
        image = images.nth(i)
        assert image.evaluate("(img) => img.complete && img.naturalWidth > 0"), image.get_attribute("src")
    page.locator("#html-toc a").last.click()
    assert derm.problems == []


def test_iod_table_has_21_module_rows(derm):
    table = derm.page.get_by_role("table", name="Table A.32.11-1. Dermoscopic Photography Image IOD Modules")
    expect(table).to_be_visible()
    rows = table.locator("tbody > tr")
    expect(rows).to_have_count(21)
    # The Image IE cell spans its ten rows on screen.
    image = table.locator("tbody td", has_text=re.compile(r"^Image$"))
    spanned = rows.nth(11).bounding_box()["y"], rows.nth(20).bounding_box()
    box = image.bounding_box()
    assert box["y"] == pytest.approx(spanned[0], abs=1)
    assert box["y"] + box["height"] == pytest.approx(spanned[1]["y"] + spanned[1]["height"], abs=1)
    assert derm.problems == []


def test_module_table_has_10_attributes(derm):
    table = derm.page.get_by_role("table", name="Table C.8.12.13-1. Dermoscopic Image Module Attributes")
    rows = table.locator("tbody > tr")
    expect(rows).to_have_count(10)
    expect(rows.first.locator("td").nth(1)).to_have_text("(0028,0302)")
    headers = table.locator("thead th")
    expect(headers).to_have_text(["Attribute Name", "Tag", "Type", "Attribute Description"])
    assert headers.evaluate_all("(ths) => ths.every((th) => th.scope === 'col')")


def test_data_element_mentions_are_text_and_new_modules_are_links(derm):
    """As in the standard: "Contact Method (0016,1003)" in running text is plain text; a mention of the new
    module is a link that takes the reader to its section."""
    page = derm.page
    annex = page.locator("[id='chapter_TTTT']")
    expect(annex.get_by_text("Contact Method (0016,1003)").first).to_be_visible()
    assert annex.locator("a.ref-element").count() == 0
    mention = page.locator("main a.ref-module[href='#sect_C.8.12.13']").first
    mention.click()
    assert page.evaluate("location.hash") == "#sect_C.8.12.13"
    expect(page.locator("[id='sect_C.8.12.13']")).to_be_in_viewport()
    assert derm.problems == []


def test_no_hide_deletions_when_nothing_is_deleted(derm):
    expect(derm.page.locator("#html-toggle-deletions")).to_have_count(0)
    assert derm.page.locator("main del").count() == 0
    assert derm.problems == []


def test_readable_at_600_pixels(browser, pages):
    """At 600 px wide nothing runs off the page: the module and IOD tables wrap their cells within the width."""
    opened = Opened(browser, pages["dermoscopy"])
    try:
        page = opened.page
        page.set_viewport_size({"width": 600, "height": 900})
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for table_id in ("table_C.8.12.13-1", "table_A.32.11-1", "table_6-1"):
            table = page.locator(f"[id='{table_id}']")
            box = table.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (table_id, box)
            wrapper = table.locator("xpath=..")
            assert wrapper.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1"), table_id
        # Cells wrap: the description column of the module table has lines, not one long line.
        cell = page.locator("[id='table_C.8.12.13-1'] tbody tr").nth(5).locator("td").nth(3)
        assert cell.evaluate("(e) => e.getClientRects()[0].height") > 40 and cell.evaluate(
            "(e) => e.getBoundingClientRect().right") <= width
        # A tag is never broken across lines.
        tag = page.locator("[id='table_C.8.12.13-1'] tbody tr").first.locator("td").nth(1)
        lines = "(e) => { const r = document.createRange(); r.selectNodeContents(e.querySelector('p')); " \
                "return r.getClientRects().length; }"
        assert tag.evaluate(lines) == 1
        assert opened.problems == []
    finally:
        opened.close()


def test_insertions_underlined_deletions_struck(derm, widget):
    inserted = derm.page.locator("main ins").first
    expect(inserted).to_be_visible()
    assert "underline" in style(inserted, "textDecorationLine")
    assert "line-through" in style(derm.page.locator("#html-legend del"), "textDecorationLine")
    assert "underline" in style(derm.page.locator("#html-legend ins"), "textDecorationLine")
    deleted = widget.page.locator("main del").first
    expect(deleted).to_be_visible()
    assert "line-through" in style(deleted, "textDecorationLine")
    assert "line-through" not in style(widget.page.locator("main ins").first, "textDecorationLine")
    assert derm.problems == [] and widget.problems == []


def test_change_marks_are_announced_but_not_shown(widget):
    """Screen readers do not announce <ins>/<del>: each mark carries words for them ("[insertion start]" …) that
    take no room on screen and are not part of the copied text."""
    page = widget.page
    for tag, word in (("ins", "insertion"), ("del", "deletion")):
        mark = page.locator(f"main {tag}").first
        for pseudo, end in (("::before", "start"), ("::after", "end")):
            content = mark.evaluate(f"(e) => getComputedStyle(e, '{pseudo}').content")
            assert content == f'" [{word} {end}] "', (tag, pseudo, content)
            box = mark.evaluate(f"(e) => {{ const s = getComputedStyle(e, '{pseudo}'); "
                                "return [s.position, s.width, s.height, s.clipPath]; }")
            assert box == ["absolute", "1px", "1px", "inset(50%)"], (tag, pseudo, box)
        assert word not in mark.inner_text()
    assert widget.problems == []


def test_toggle_hides_deletions(widget):
    page = widget.page
    button = page.locator("#html-toggle-deletions")
    expect(button).to_be_visible()
    expect(button).to_have_accessible_name("Hide deletions")
    deletions = page.locator("main del")
    removed_row = page.locator("main tr.removed").first
    count = deletions.count()
    assert count >= 3
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    for i in range(count):
        expect(deletions.nth(i)).to_be_hidden()
    expect(removed_row).to_be_hidden()
    expect(page.locator("main ins").first).to_be_visible()
    expect(page.locator("#html-legend del")).to_be_visible()
    expect(button).to_have_accessible_name("Show deletions")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(deletions.first).to_be_visible()
    expect(removed_row).to_be_visible()
    assert widget.problems == []


CONTRAST = """(elements) => {
  const rgba = (text) => { const v = text.match(/[\\d.]+/g).map(Number); return v.length === 3 ? [...v, 1] : v; };
  const lum = (c) => { const f = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
                       return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = (e) => { for (let n = e; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor); if (c[3] > 0) { return c; } } return [255, 255, 255, 1]; };
  return elements.filter((e) => e.getClientRects().length).map((e) => {
    const a = lum(rgba(getComputedStyle(e).color)), b = lum(background(e));
    return [Math.round((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) * 100) / 100, e.tagName + " " + e.className];
  }).sort((x, y) => x[0] - y[0])[0] || [99, "none"];
}"""


@pytest.mark.parametrize("selector", ["h1", "h2", "h3", "h4", "h5", "h6", "main p", "main a", "th", "td", "dt",
                                      "main ins", "main del", "#html-legend", "p.instruction em", "p.subtitle",
                                      "header p", "header dd", "#html-toc a", "figcaption", "button", "#html-draft"])
def test_text_contrast(widget, selector):
    """WCAG AA: every text colour against its effective background has a contrast ratio of at least 4.5:1."""
    ratio, where = widget.page.locator(selector).evaluate_all(CONTRAST)
    assert ratio >= 4.5, f"{selector}: {where} has contrast {ratio}"


def test_draft_banner(derm, widget):
    expect(widget.page.locator("#html-draft")).to_be_visible()
    expect(widget.page.locator("#html-draft")).to_contain_text("Public Comment")
    expect(derm.page.locator("#html-draft")).to_have_count(0)


def test_print_layout(derm, tmp_path):
    page = derm.page
    page.emulate_media(media="print")
    assert style(page.locator("main thead").first, "display") == "table-header-group"
    assert style(page.locator("#chapter_PS3\\.3"), "breakBefore") == "page"
    assert style(page.locator("#chapter_History"), "breakBefore") != "page"
    expect(page.locator("#html-toggle-deletions")).to_be_hidden()
    # The running header: @page margin boxes, which the browser must have parsed (it drops rules it does not know).
    rules = " ".join(page.evaluate("() => [...document.styleSheets].flatMap((s) => [...s.cssRules])"
                                   ".filter((r) => r instanceof CSSPageRule).map((r) => r.cssText)"))
    assert '@top-left { content: "Supplement 221: Dermoscopy"; }' in rules
    assert '@top-right { content: "Final Text – Version 1.0"; }' in rules
    assert "counter(page)" in rules
    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size, path=str(tmp_path / f"supplement-{size}.pdf"))
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages >= 10, f"{size}: {pages} pages"
    page.emulate_media(media="screen")
    assert derm.problems == []


def test_full_page_screenshot(derm, tmp_path):
    path = tmp_path / "dermoscopy.png"
    derm.page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 100_000
    height = derm.page.evaluate("document.documentElement.scrollHeight")
    assert height > 5000
    assert derm.problems == []


def test_markup_from_yaml_does_not_run(browser, tmp_path):
    folder = modified_copy(DERMOSCOPY, tmp_path / "spec", {"modules.yaml": [
        ("in kelvin.", 'in kelvin. <script>alert("owned")</script><img src=x onerror=alert(1)>')]})
    opened = Opened(browser, build_page(folder, tmp_path / "out", rules=False))
    try:
        expect(opened.page.locator("main td", has_text='<script>alert("owned")</script>')).to_have_count(1)
        assert opened.page.locator("main img").count() == 4
        assert opened.problems == []
    finally:
        opened.close()


SVG_BOXES = """() => {
  const svg = document.querySelector('svg');
  const view = svg.viewBox.baseVal;
  return {view: [view.x, view.y, view.width, view.height],
          texts: [...svg.querySelectorAll('text')].map((t) => { const b = t.getBBox();
            return [t.textContent, b.x, b.y, b.width, b.height]; }),
          lines: [...svg.querySelectorAll('line')].map((l) => [l.x1.baseVal.value, l.y1.baseVal.value,
                                                             l.x2.baseVal.value, l.y2.baseVal.value])};
}"""


def _crosses(line, box) -> bool:
    """Whether the segment ``line`` passes through the rectangle ``box`` (x, y, w, h), sampled finely."""
    x1, y1, x2, y2 = line
    x, y, w, h = box
    return any(x <= x1 + (x2 - x1) * t / 200 <= x + w and y <= y1 + (y2 - y1) * t / 200 <= y + h
               for t in range(201))


@pytest.mark.parametrize("name", sorted(p.name for p in (DERMOSCOPY / "figures").glob("*.svg")))
def test_figure_labels_are_whole_and_apart(browser, name):
    """Every label of a figure lies inside the picture, overlaps no other label and is crossed by no line."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((DERMOSCOPY / "figures" / name).as_uri())
        found = page.evaluate(SVG_BOXES)
        vx, vy, vw, vh = found["view"]
        texts = found["texts"]
        for label, x, y, w, h in texts:
            assert vx <= x and x + w <= vx + vw and vy <= y and y + h <= vy + vh, (name, label)
        for n, (a, ax, ay, aw, ah) in enumerate(texts):
            for b, bx, by, bw, bh in texts[n + 1:]:
                assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay, (name, a, b)
            for line in found["lines"]:
                assert not _crosses(line, (ax, ay, aw, ah)), (name, a, line)
    finally:
        context.close()
