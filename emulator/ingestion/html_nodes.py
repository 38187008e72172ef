"""The elements of an HTML file as its labels address them: by XPath, with character offsets in the element's text.

The file is read with the standard library's ``html.parser`` and its elements are put in a tree the way a browser
builds it for the common cases: void elements (``<br>``, ``<img>``…) have no content, an end tag closes every element
opened inside the one it names (a stray end tag is ignored), a ``<p>`` or ``<li>`` is closed by the next one, and
content directly under ``<html>`` lies in an implied ``<head>`` (metadata elements) or ``<body>`` (anything else).
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

# At most this many elements, with XPaths of at most this many characters in all, are recorded; a larger file's
# elements are not (its HTML ranges are then not checked, as for a file whose metadata was given rather than read),
# which keeps a data row's metadata bounded.
MAX_HTML_NODES = 5000
MAX_HTML_XPATH_CHARACTERS = 250_000
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                           "track", "wbr"})
HEAD_ELEMENTS = frozenset({"base", "link", "meta", "noscript", "script", "style", "template", "title"})
CLOSED_BY_SIBLING = frozenset({"p", "li"})
XPATH_STEP = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)(?:\[([1-9][0-9]*)\])?$")


class _TooManyNodes(Exception):
    pass


class _Tree(HTMLParser):
    """Each element's XPath (every step indexed among its same-named siblings, ``/html[1]/body[1]/p[2]``) → where its
    text starts in the document's text and how many characters it has, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes: dict[str, list[int]] = {}
        self.open: list[tuple[str, str, dict[str, int]]] = []  # (tag, xpath, count of each child tag so far)
        self.root_children: dict[str, int] = {}
        self.characters = 0
        self.xpath_characters = 0

    def _push(self, tag: str) -> None:
        siblings = self.open[-1][2] if self.open else self.root_children
        siblings[tag] = siblings.get(tag, 0) + 1
        xpath = f"{self.open[-1][1] if self.open else ''}/{tag}[{siblings[tag]}]"
        self.xpath_characters += len(xpath)
        if len(self.nodes) == MAX_HTML_NODES or self.xpath_characters > MAX_HTML_XPATH_CHARACTERS:
            raise _TooManyNodes
        self.nodes[xpath] = [self.characters, 0]
        self.open.append((tag, xpath, {}))

    def _pop(self) -> None:
        _, xpath, _ = self.open.pop()
        self.nodes[xpath][1] = self.characters - self.nodes[xpath][0]

    def _place(self, tag: str) -> None:
        """Opens (and closes) the elements a browser implies before an element ``tag`` at the current place."""
        if not self.open and tag != "html":
            self._push("html")
        if self.open and self.open[-1][0] == "head" and tag not in HEAD_ELEMENTS:
            self._pop()
        if self.open and self.open[-1][0] == "html" and tag not in ("head", "body"):
            self._push("head" if tag in HEAD_ELEMENTS and not self.open[-1][2] else "body")
        if tag in CLOSED_BY_SIBLING and self.open[-1][0] == tag:
            self._pop()

    def handle_starttag(self, tag, attrs):
        self._place(tag)
        self._push(tag)
        if tag in VOID_ELEMENTS:
            self._pop()

    def handle_startendtag(self, tag, attrs):
        self._place(tag)
        self._push(tag)
        self._pop()

    def handle_endtag(self, tag):
        if any(open_tag == tag for open_tag, _, _ in self.open):
            while self.open[-1][0] != tag:
                self._pop()
            self._pop()

    def handle_data(self, data):
        if data.strip():  # text is content of the body
            if not self.open:
                self._push("html")
            if self.open[-1][0] == "head":
                self._pop()
            if self.open[-1][0] == "html":
                self._push("body")
        if self.open:
            self.characters += len(data)


def html_nodes(text: str) -> dict[str, list[int]] | None:
    """The elements of an HTML document, XPath → [start, length] of its text; None past the caps."""
    tree = _Tree()
    try:
        tree.feed(text)
        tree.close()
    except _TooManyNodes:
        return None
    while tree.open:
        tree._pop()
    return tree.nodes


def node_named(xpath: str, nodes: dict[str, list[int]]) -> str | None:
    """The element an absolute XPath of element steps names (``/html/body/p[2]/b``: a step without an index selects
    every same-named child, and the path names the first selected element in document order), or None."""
    steps = xpath.split("/")
    if steps[0] != "" or len(steps) < 2:
        return None
    selected = {""}
    for step in steps[1:]:
        match = XPATH_STEP.match(step)
        if match is None:
            return None
        name, index = match.group(1).lower(), match.group(2)
        if index is not None:
            selected = {f"{parent}/{name}[{index}]" for parent in selected} & nodes.keys()
        else:
            selected = {child for parent in selected for child in _children_named(parent, name, nodes)}
    return next((path for path in nodes if path in selected), None)


def _children_named(parent: str, name: str, nodes: dict[str, list[int]]):
    return itertools.takewhile(nodes.__contains__, (f"{parent}/{name}[{n}]" for n in itertools.count(1)))
