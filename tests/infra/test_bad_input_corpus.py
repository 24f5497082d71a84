"""Bad input on every public endpoint: never a 500, nothing stored by a refused request.

The endpoints come from the URLconf, so a new URL is covered without a change here: every
pattern outside the Wagtail admin (its login page included) gets requests. Real URLs are found
by crawling the demo site as the visitor or the resident; every pattern also gets made-up
URLs (another person's or department's object ids, ids that do not exist or overflow, odd
slugs). Each page's forms are sent empty, as the page fills them, and with every payload of
the corpus in each field; query parameters get the payloads too.

A case passes when the answer is 2xx, 3xx or 4xx; a 4xx answer must leave every table of
the project as it was (nothing stored half). At the end the counters equal their COUNT(*).
The test prints how many cases it tried.
"""

from __future__ import annotations

import contextlib
import re
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.core.signals import got_request_exception
from django.db import connection
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

from demo.loader import load_demo, read_data
from foundation.models import User
from tests.foundation.factories import ResidentFactory

pytestmark = pytest.mark.django_db

SMALL_DATA = Path(__file__).resolve().parents[1] / "demo" / "region_hannover_small.json"
RESIDENT_EMAIL = "bewohnerin@demo.mitreden.invalid"

# --- The corpus ----------------------------------------------------------------------------

LONE_SURROGATE = "\ud800"
SCRIPT = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"]
SQL = ["' OR '1'='1", "1; DROP TABLE foundation_user; --", "%' AND 1=1 --", "\\'; --"]
OVERLONG = ["A" * 20_000, "ü" * 5_000, "word " * 3_000]
NUL = ["\x00", "abc\x00def"]
UNICODE = [
    LONE_SURROGATE,
    "x\udfffy",
    "\u202eevil\u202c",
    "zero\u200bwidth\ufeff",
    "e\u0301\u0308\u0327",
    "👩🏽‍🚀𝕏",
    "\uffff\ufffe",
    "İıß",
    "مرحبا",
]
FTS = [
    '"',
    "*",
    "()",
    "(",
    ")",
    ":",
    "^",
    "NEAR",
    "AND",
    "OR",
    "-",
    'a" OR "b',
    "NEAR(a b)",
    "title:x",
    "-x*",
    "^a ^b",
]
WRONG_TYPES = [
    "abc",
    "-1",
    "1.5",
    "99999999999999999999",
    "0x10",
    "1e309",
    "NaN",
    "[]",
    "{}",
    "null",
    "true",
]
DATES = ["2026-02-30", "31.12.9999", "0000-00-00T25:61"]
OTHER = ["../../etc/passwd", "\r\nSet-Cookie: x=y", "http://evil.example/", "//evil.example", ""]

#: Every payload. Each form field gets the core ones and a share of the rest, so that
#: every payload lands in many fields without sending all of them to every field.
PAYLOADS = SCRIPT + SQL + OVERLONG + NUL + UNICODE + FTS + WRONG_TYPES + DATES + OTHER
CORE_PAYLOADS = [SCRIPT[0], OVERLONG[0], NUL[1], LONE_SURROGATE, "99999999999999999999"]
ROTATING_PAYLOADS = [payload for payload in PAYLOADS if payload not in CORE_PAYLOADS]
ROTATION = 4
#: A selection, for the query parameters of every page.
QUERY_PAYLOADS = [
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "A" * 20_000,
    "\x00",
    LONE_SURROGATE,
    'NEAR(a "b*',
    "99999999999999999999",
    "http://evil.example/",
]
QUERY_PARAMETERS = ["q", "page", "sort", "order", "status", "field", "kind", "next", "format"]

BINARY_EXPORT = re.compile(r"\.(pdf|xlsx|csv)$|/(pdf|xlsx)/$")

#: Values for the parts of made-up URLs (another person's objects come from the crawl).
BAD_INTS = ["0", "99999999999999999999"]
BAD_SLUGS = ["gibt-es-nicht", "x" * 300]


# --- Cases and results --------------------------------------------------------------------


@dataclass
class Outcome:
    tried: int = 0
    failures: list[str] = field(default_factory=list)
    patterns: set[str] = field(default_factory=set)
    slowest: dict[str, float] = field(default_factory=dict)

    def fail(self, text: str) -> None:
        self.failures.append(text)


def encode(fields: list[tuple[str, str]]) -> str:
    """application/x-www-form-urlencoded, lone surrogates included (as a browser cannot,
    but an attacker can: they arrive as invalid UTF-8)."""
    return urlencode(fields, encoding="utf-8", errors="surrogatepass")


def project_tables() -> list[str]:
    labels = {
        "foundation",
        "consultations",
        "review",
        "results",
        "forums",
        "surveys",
        "cms",
        "account",
    }
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in labels and not model._meta.proxy and model._meta.managed
    )


def fingerprint(tables: list[str]) -> tuple[int, ...]:
    """The row count of every project table, in one query."""
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


# --- Endpoints from the URLconf -----------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    key: str  # the pattern as written, with its namespace
    route: str
    name: str | None
    pattern: URLPattern
    converters: tuple[tuple[str, str], ...]  # (kwarg, converter type)


def _converter_kind(converter: object) -> str:
    return type(converter).__name__.replace("Converter", "").lower()


def public_endpoints() -> list[Endpoint]:
    """Every URL pattern but the Wagtail admin's (its login page stays in)."""
    found: list[Endpoint] = []

    def walk(patterns, prefix: str, namespace: str, converters: dict) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(
                    entry.url_patterns,
                    prefix + str(entry.pattern),
                    f"{namespace}{entry.namespace}:" if entry.namespace else namespace,
                    {**converters, **_converters_of(entry.pattern)},
                )
                continue
            route = prefix + str(entry.pattern)
            if route.startswith("admin/") and entry.name != "wagtailadmin_login":
                continue
            name = f"{namespace}{entry.name}" if entry.name else None
            all_converters = {**converters, **_converters_of(entry.pattern)}
            found.append(
                Endpoint(
                    key=f"{name or '-'} {route}",
                    route=route,
                    name=name,
                    pattern=entry,
                    converters=tuple(sorted(all_converters.items())),
                )
            )

    walk(get_resolver().url_patterns, "", "", {})
    return found


def _converters_of(pattern) -> dict[str, str]:
    if isinstance(pattern, RoutePattern):
        return {name: _converter_kind(conv) for name, conv in pattern.converters.items()}
    if isinstance(pattern, RegexPattern):
        return dict.fromkeys(pattern.regex.groupindex, "regex")
    return {}


def made_up_urls(endpoint: Endpoint, real_kwargs: list[dict[str, str]]) -> list[str]:
    """URLs for `endpoint` with values that point nowhere or at the wrong thing."""
    if endpoint.name is None:
        route = str(endpoint.pattern.pattern)
        if "media" in route:
            return ["/media/../../etc/passwd", "/media/nothing.pdf"]
        return []
    if not endpoint.converters:
        if endpoint.pattern.pattern.regex.groups:  # positional groups (documents)
            candidates = [[1, "x.pdf"], ["99999999999999999999", "..%2f..%2fetc%2fpasswd"]]
            return [u for args in candidates if (u := _reverse(endpoint.name, args=args))]
        url = _reverse(endpoint.name)
        return [url] if url else []
    base = dict(real_kwargs[0]) if real_kwargs else {}
    urls = []
    for name, kind in endpoint.converters:
        bad_values = (
            BAD_INTS
            if kind in {"int", "regex"} and (name == "pk" or name.endswith(("_pk", "_id")))
            else BAD_SLUGS
        )
        if kind == "regex" and name not in {"pk"} and not name.endswith(("_pk", "_id")):
            bad_values = ["x", "pdf" if name == "fmt" else "nope-123"]
        for bad in bad_values:
            kwargs = {n: base.get(n, _filler(k, n)) for n, k in endpoint.converters}
            kwargs[name] = bad
            url = _reverse(endpoint.name, kwargs=kwargs)
            if url:
                urls.append(url)
    return urls


def _filler(kind: str, name: str) -> str:
    if kind == "int" or name == "pk" or name.endswith(("_pk", "_id")):
        return "1"
    if name == "fmt":
        return "pdf"
    if name == "action":
        return "hide"
    return "x"


def _reverse(name: str, *, args=None, kwargs=None) -> str | None:
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return None


def endpoint_of(path: str, by_callback: dict) -> Endpoint | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    candidates = by_callback.get(match.func, [])
    for endpoint in candidates:
        if endpoint.route == match.route:
            return endpoint
    return candidates[0] if len(candidates) == 1 else None


# --- Forms on a page ------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]]  # as the page fills them

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _value in self.fields))


class PageParser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(
                action=a.get("action") or self.page_path,
                method=(a.get("method") or "get").lower(),
                fields=[],
            )
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in {"input", "button"} and a.get("name"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                if not any(n == a["name"] for n, _v in self._form.fields):
                    self._form.fields.append((a["name"], a.get("value", "on")))
                return
            if kind == "file":
                return
            self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_value = a["name"], None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.fields.append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._form.fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None:
            name, value = self._form.fields[-1]
            self._form.fields[-1] = (name, value + data)


def internal_path(href: str, page_path: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None if parts.scheme or parts.netloc else page_path
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- The run ----------------------------------------------------------------------------------


class Run:
    def __init__(self, *, resident: User | None) -> None:
        self.resident = resident
        self.client = Client(raise_request_exception=False)
        self.outcome = Outcome()
        self.tables = project_tables()
        self.endpoints = public_endpoints()
        self.by_callback: dict = {}
        for endpoint in self.endpoints:
            self.by_callback.setdefault(endpoint.pattern.callback, []).append(endpoint)
        self._exception: str | None = None
        self.rotation = 0
        self.used_payloads: set[str] = set()
        got_request_exception.connect(self._remember_exception)

    def close(self) -> None:
        got_request_exception.disconnect(self._remember_exception)

    def _remember_exception(self, sender, request=None, **kwargs) -> None:
        self._exception = "".join(traceback.format_exception(*sys.exc_info())[-6:])

    def _signed_in(self) -> None:
        if self.resident is not None and "_auth_user_id" not in self.client.session:
            self.client.force_login(self.resident)

    def send(self, method: str, path: str, body: str = "", label: str = "") -> int:
        self._signed_in()
        self._exception = None
        before = fingerprint(self.tables) if method == "post" else None
        started = time.perf_counter()
        try:
            if method == "post":
                response = self.client.post(
                    path, body, content_type="application/x-www-form-urlencoded"
                )
            else:
                response = self.client.get(
                    path + (("&" if "?" in path else "?") + body if body else "")
                )
            status = response.status_code
        except Exception as exc:  # the client itself failed: count it as the server's fault
            status = 500
            self._exception = f"{type(exc).__name__}: {exc}"
        self.outcome.tried += 1
        where = f"{method.upper()} {path[:120]} {label[:80]!r}"
        self.outcome.slowest[where] = time.perf_counter() - started
        if status >= 500:
            self.outcome.fail(f"{status} {where}\n{self._exception or ''}")
        elif before is not None and 400 <= status < 500 and fingerprint(self.tables) != before:
            self.outcome.fail(f"{status} but rows changed: {where}")
        return status

    def crawl(self, start: list[str], limit_per_endpoint: int = 2) -> dict[Endpoint, list[str]]:
        """Pages reachable from `start`, at most a few per endpoint; with their forms."""
        self.pages: dict[str, PageParser] = {}
        seen_per_endpoint: dict[Endpoint, list[str]] = {}
        queue = list(start)
        visited: set[str] = set()
        while queue and len(visited) < 250:
            path = queue.pop(0)
            if path in visited:
                continue
            visited.add(path)
            endpoint = endpoint_of(path.split("?")[0], self.by_callback)
            if endpoint is None:
                continue
            urls = seen_per_endpoint.setdefault(endpoint, [])
            if len(urls) >= limit_per_endpoint:
                continue
            self._signed_in()
            response = self.client.get(path)
            self.outcome.tried += 1
            self.outcome.patterns.add(endpoint.key)
            if response.status_code >= 500:
                self.outcome.fail(f"{response.status_code} GET {path} (crawl)\n{self._exception}")
                continue
            urls.append(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = PageParser(path.split("?")[0])
            parser.feed(response.content.decode(errors="replace"))
            self.pages[path] = parser
            for href in parser.links:
                target = internal_path(href, path)
                if (
                    target
                    and not target.startswith(("/admin/", "/static/", "/i18n/"))
                    and "logout" not in target
                ):
                    queue.append(target)
        return seen_per_endpoint

    def forms(self) -> Iterator[Form]:
        seen: set[tuple[str, str, tuple[str, ...]]] = set()
        for parser in self.pages.values():
            for form in parser.forms:
                action = internal_path(form.action, parser.page_path)
                if action is None or (action.startswith("/admin/") and action != "/admin/login/"):
                    continue
                # One form per endpoint: the same filter form on every field's list is one case.
                endpoint = endpoint_of(action.split("?")[0], self.by_callback)
                key = (endpoint.key if endpoint else action, form.method, tuple(sorted(form.names)))
                if key in seen:
                    continue
                seen.add(key)
                yield Form(action=action, method=form.method, fields=form.fields)

    def fuzz_form(self, form: Form) -> None:
        method = "post" if form.method == "post" else "get"
        if "logout" in form.action:  # signing out is fine; it would only end the resident's session
            self.send(method, form.action, "", "logout")
            return
        self.send(method, form.action, "", "all fields missing")
        self.send(method, form.action, encode(form.fields), "as the page fills it")
        for name in form.names:
            if name in {"csrfmiddlewaretoken"}:
                continue
            rest = [(n, v) for n, v in form.fields if n != name]
            self.send(method, form.action, encode(rest), f"{name} missing")
            start = (self.rotation * ROTATION) % len(ROTATING_PAYLOADS)
            self.rotation += 1
            share = (ROTATING_PAYLOADS * 2)[start : start + ROTATION]
            for payload in CORE_PAYLOADS + share:
                self.used_payloads.add(payload)
                self.send(
                    method, form.action, encode([*rest, (name, payload)]), f"{name}={payload}"
                )
            self.send(
                method, form.action, encode([*rest, (name, "a"), (name, "b")]), f"{name} twice"
            )

    def fuzz_query(self, path: str) -> None:
        for payload in QUERY_PAYLOADS:
            self.send(
                "get",
                path.split("?")[0],
                encode([(p, payload) for p in QUERY_PARAMETERS]),
                f"query={payload}",
            )

    def post_blindly(self, path: str) -> None:
        """Endpoints without a form on any page (or not reached): a POST with payloads."""
        self.send("post", path, "", "empty POST")
        for payload in ["\x00<script>", LONE_SURROGATE, "99999999999999999999", "A" * 20_000]:
            fields = [
                (name, payload)
                for name in [
                    "action",
                    "text",
                    "body",
                    "reason",
                    "title",
                    "points",
                    "email",
                    "password",
                    "login",
                ]
            ]
            self.send("post", path, encode(fields), f"all={payload[:20]}")


def start_pages() -> list[str]:
    pages = [
        "/",
        "/suche/?q=Sprache",
        "/foren/",
        "/beteiligung/",
        "/profil/",
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
        "/admin/login/",
        "/_util/login/",
        "/umfragen/",
    ]
    from foundation.models import Consultation

    for consultation in Consultation.objects.all():
        pages += [
            reverse("consultations:proposal_list", args=[consultation.slug]),
            reverse("forums:forum_list", args=[consultation.slug]),
            reverse("forums:event_list", args=[consultation.slug]),
            reverse("results:concept", args=[consultation.slug]),
        ]
    return pages


def corpus_run(*, signed_in: bool, part: str) -> Outcome:
    load_demo(data=read_data(SMALL_DATA), log=lambda message: None)
    resident = ResidentFactory(email=RESIDENT_EMAIL) if signed_in else None
    run = Run(resident=resident)
    try:
        found = run.crawl(start_pages())
        if part == "pages":
            for endpoint in run.endpoints:
                real = found.get(endpoint, [])
                real_kwargs = []
                for path in real:
                    with contextlib.suppress(Resolver404):
                        real_kwargs.append(
                            {k: str(v) for k, v in resolve(path.split("?")[0]).kwargs.items()}
                        )
                for url in made_up_urls(endpoint, real_kwargs):
                    run.send("get", url, "", "made-up URL")
                    run.send("post", url, "", "made-up URL")
                    run.outcome.patterns.add(endpoint.key)
                for path in real[:1]:
                    if BINARY_EXPORT.search(path.split("?")[0]):
                        continue  # PDF, XLSX, CSV: crawled once, too slow to send everything to
                    run.fuzz_query(path)
                    run.post_blindly(path.split("?")[0])
            missing = sorted(e.key for e in run.endpoints if e.key not in run.outcome.patterns)
            assert not missing, f"endpoints the corpus did not reach: {missing}"
        else:
            forms = list(run.forms())
            assert len(forms) >= (10 if signed_in else 5), [f.action for f in forms]
            for form in forms:
                run.fuzz_form(form)
            assert run.used_payloads == set(PAYLOADS), set(PAYLOADS) - run.used_payloads
        assert_counters_equal_their_rows()
        assert_no_text_with_nul_stored()
    finally:
        run.close()
        write_report(run.outcome)
    who = "resident" if signed_in else "visitor"
    print(
        f"\nbad-input corpus ({connection.vendor}, {who}, {part}): {run.outcome.tried} cases, "
        f"{len(PAYLOADS)} payloads, {len(run.endpoints)} endpoints, {len(run.outcome.failures)} failures"
    )
    return run.outcome


def assert_counters_equal_their_rows() -> None:
    from consultations.models import Proposal
    from forums.models import ForumEvent

    wrong = Proposal.objects.annotate(rows=Count("supports")).exclude(support_count=F("rows"))
    assert not wrong.exists(), list(wrong.values("pk", "support_count", "rows"))
    events = ForumEvent.objects.annotate(
        rows=Count("registrations", filter=Q(registrations__cancelled_at__isnull=True))
    ).exclude(registered_count=F("rows"))
    assert not events.exists(), list(events.values("pk", "registered_count", "rows"))


def assert_no_text_with_nul_stored() -> None:
    """A NUL byte stored on SQLite would break the same data on PostgreSQL later (which
    refuses it in text), so no form may let one through."""
    from django.db import models

    if connection.vendor != "sqlite":
        return
    quote = connection.ops.quote_name
    for model in apps.get_models():
        if model._meta.app_label not in {
            "foundation",
            "consultations",
            "forums",
            "review",
            "results",
        }:
            continue
        columns = [
            f.column
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if not columns:
            continue
        where = " OR ".join(f"instr({quote(column)}, char(0)) > 0" for column in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(model._meta.db_table)} WHERE {where}")  # noqa: S608
            assert cursor.fetchone()[0] == 0, f"NUL stored in {model._meta.label}"


def write_report(outcome: Outcome) -> None:
    """BAD_INPUT_REPORT=path: the failures and the slowest cases, for working on them."""
    import os

    if os.environ.get("BAD_INPUT_REPORT"):
        with open(os.environ["BAD_INPUT_REPORT"], "a") as out:
            out.write(
                f"CASES {connection.vendor} {outcome.tried} failures {len(outcome.failures)}\n"
            )
            out.write("\n\n".join(outcome.failures) + "\n")
            for label, seconds in sorted(outcome.slowest.items(), key=lambda i: -i[1])[:25]:
                out.write(f"SLOW {seconds:.2f}s {label}\n")


def report(outcome: Outcome) -> None:
    print(f"slowest: {max(outcome.slowest.values(), default=0):.2f}s")
    assert not outcome.failures, (
        f"{len(outcome.failures)} of {outcome.tried} cases failed:\n"
        + "\n".join(outcome.failures[:15])
    )


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "resident"])
def test_every_endpoint_with_made_up_ids_and_bad_query_parameters(signed_in):
    report(corpus_run(signed_in=signed_in, part="pages"))


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "resident"])
def test_every_form_with_every_payload_in_every_field(signed_in):
    report(corpus_run(signed_in=signed_in, part="forms"))
