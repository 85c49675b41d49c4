"""What a page's HTML may not contain under our Content-Security-Policy, read with a parser.

A parser sees elements and attributes as the browser does: an escaped "&lt;script&gt;" in a
short description is text, not an element, and is not reported.
"""

from html.parser import HTMLParser

# Attributes whose value a browser may load or run as an address.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.styles: list[str] = []
        self.forms: list[dict] = []
        self._open_form: dict | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> (event handler)")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}> (javascript: address)")
            if name == "style":
                self.styles.append(f"<{tag} style={value!r}>")
        if tag == "script" and "src" not in values:
            if values.get("type") != "application/json":
                self.problems.append("<script> without src (inline script)")
        if tag == "style":
            self.styles.append("<style> element")
        if tag == "form":
            self._open_form = {"method": (values.get("method") or "get").lower(), "csrf": False}
            self.forms.append(self._open_form)
        if tag == "input" and values.get("name") == "csrfmiddlewaretoken" and self._open_form:
            self._open_form["csrf"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._open_form = None


def scan(html: str) -> _Scanner:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner


def script_problems(html: str) -> list[str]:
    """Inline scripts, event handler attributes and javascript: addresses in the page."""
    return scan(html).problems


def inline_styles(html: str) -> list[str]:
    """style= attributes and <style> elements (STYLE.md: our own pages use neither)."""
    return scan(html).styles


def post_forms_without_csrf(html: str) -> int:
    """How many POST forms lack Django's CSRF token."""
    return sum(1 for form in scan(html).forms if form["method"] == "post" and not form["csrf"])


def strict_script_policy(response) -> bool:
    """Whether the response's Content-Security-Policy allows scripts from our origin only."""
    policy = response.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    script_src = directives.get("script-src", directives.get("default-src"))
    return (
        script_src == ["'self'"]
        and directives.get("object-src") == ["'none'"]
        and "'unsafe-inline'" not in directives.get("default-src", [])
    )
