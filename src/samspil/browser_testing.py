"""Browser tests for every app: Debian's chromium driven by Playwright, checked by axe-core.

- ``browser``: one headless chromium per test session (per xdist worker).
- ``browser_page``: a fresh context and page per test whose base URL is pytest-django's
  ``live_server``, so ``page.goto("/organisations/")`` works. The test fails if the page
  threw a JavaScript error or the Content-Security-Policy blocked something.
- ``assert_accessible(page)``: runs axe-core and fails on serious or critical violations.

The fixtures reach the tests through an import in ``samspil/conftest.py``.
"""

import os
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("SAMSPIL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
BLOCKING_IMPACTS = ("serious", "critical")
TIMEOUT_MS = 10_000

_axe = Axe()  # reads axe.min.js once


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"No chromium at {CHROMIUM}: run `make system-packages`.")
    # Playwright's sync API keeps an asyncio loop running in this thread until it stops,
    # and Django refuses ORM calls while a loop runs. The tests' ORM calls are synchronous;
    # the live server answers from its own thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_page(browser: Browser, live_server) -> Iterator[Page]:
    restore_migration_rows()
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on("console", lambda message: _note_console_error(message, problems))
    yield page
    context.close()
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


def _note_console_error(message: ConsoleMessage, problems: list[str]) -> None:
    # A 404 or 422 response is logged as "Failed to load resource"; tests visit those on purpose.
    if message.type == "error" and "Failed to load resource" not in message.text:
        problems.append(f"Console error on {message.location.get('url')}: {message.text}")


# Data migrations whose rows live_server's flush removes, with the function that makes them.
DATA_MIGRATIONS = [
    ("samspil.core.migrations.0002_roles", "create_roles"),
    ("samspil.needs.migrations.0002_themes", "create_themes"),
    ("samspil.pilots.migrations.0002_phase_models", "create_models"),
    ("samspil.proposals.migrations.0002_templates_and_discount_presets", "load"),
    ("samspil.procurement.migrations.0002_routes", "create_routes"),
]


FTS_TABLES = ["needs_need_fts", "needs_challenge_fts"]


def restore_migration_rows() -> None:
    """A transactional test (live_server among them) empties the database after it, also the
    rows migrations made: put them back before a test that needs them."""
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)
    # The flush leaves SQLite's FTS5 tables alone: stale rows would match reused ids.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in FTS_TABLES:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names


def assert_accessible(page: Page, *, context: str | dict | None = None) -> None:
    """Fail with a readable list when axe-core finds serious or critical violations.

    Also fails on duplicate ids and on ids named by aria-describedby, aria-labelledby,
    aria-controls or <label for> that are not on the page: axe only asks a person to
    review those ("incomplete"), yet they leave fields without their help or errors.
    """
    results = _run_axe(page, context)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    problems = [_describe(violation) for violation in blocking]
    problems += [f"- {problem}" for problem in page.evaluate(_CHECK_ID_REFERENCES)]
    if problems:
        pytest.fail(
            f"Accessibility violations on {page.url}:\n" + "\n".join(problems), pytrace=False
        )


def _run_axe(page: Page, context: str | dict | None):
    """Run axe on a page whose document is loaded.

    A click on a link returns before the browser has its next document; axe started in
    between finds no document. So wait for the load, and if a navigation still replaced the
    document under axe, wait again and run once more.
    """
    page.wait_for_load_state("load")
    try:
        return _axe.run(page, context=context)
    except PlaywrightError as error:
        if not any(sign in str(error) for sign in _NAVIGATION_SIGNS):
            raise
        page.wait_for_load_state("load")
        return _axe.run(page, context=context)


_NAVIGATION_SIGNS = ("reading 'documentElement'", "Execution context was destroyed")

_CHECK_ID_REFERENCES = """() => {
  const problems = [];
  const seen = new Set();
  for (const element of document.querySelectorAll("[id]")) {
    if (seen.has(element.id)) problems.push(`duplicate id "${element.id}"`);
    seen.add(element.id);
  }
  const attributes = ["aria-describedby", "aria-labelledby", "aria-controls", "for"];
  for (const element of document.querySelectorAll(attributes.map(a => `[${a}]`).join(","))) {
    for (const attribute of attributes) {
      for (const id of (element.getAttribute(attribute) || "").split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) {
          const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "");
          problems.push(`${name} ${attribute}="${id}" names no element`);
        }
      }
    }
  }
  return problems;
}"""


def _describe(violation: dict) -> str:
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"][:10]:
        target = " ".join(map(str, node["target"]))
        summary = (node.get("failureSummary") or "").strip().splitlines()
        lines.append(f"    {target}: {summary[-1].strip() if summary else node['html'][:120]}")
    if len(violation["nodes"]) > 10:
        lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)
