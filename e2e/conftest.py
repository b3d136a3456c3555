"""Fixtures for walking the site in Debian's headless Chromium.

One server per test module (``site``), on its own copy of a database prepared once per run with
one account per role; a module may set ``SITE_ENV = {...}`` to start its server differently.
Each test gets a fresh browser context (``page``); more people at once come from ``new_page``.
Every page a test opened is photographed at teardown, pass or fail, under ``test-artifacts/e2e``,
and a test whose pages met a Content-Security-Policy refusal fails: the site must need no inline
script or style.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from e2e.browser import DESKTOP, chromium_launch
from e2e.site import REPO, create_account, database_copy, migrated_database, site_start

ARTIFACTS = REPO / "test-artifacts" / "e2e"
# How long a step may wait for the page before the test fails; the site answers in milliseconds.
STEP_TIMEOUT_MS = 10_000
FULL_PAGE_MAX_HEIGHT = 4000

# The people every walk can use, by role, created with ``manage.py createuser``.
ACCOUNTS = {
    "mia": {"role": "user"},
    "pete": {"role": "user", "premium": True},
    "mona": {"role": "moderator"},
    "ada": {"role": "admin"},
    "sam": {"role": "user"},
}


@pytest.fixture(scope="session")
def prepared_database(tmp_path_factory) -> Path:
    """A migrated database holding ``ACCOUNTS``, made once and copied for every server."""
    database = migrated_database(tmp_path_factory.mktemp("e2e-template"))
    for username, options in ACCOUNTS.items():
        create_account(database, username, **options)
    return database


@pytest.fixture(scope="module")
def site(request, prepared_database, tmp_path_factory):
    """The site, started as the README starts it, for the tests of one module."""
    work_dir = tmp_path_factory.mktemp("e2e-site")
    database = database_copy(prepared_database, work_dir)
    running = site_start(database, work_dir, **getattr(request.module, "SITE_ENV", {}))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = chromium_launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(request, browser, site):
    """``new_page()``: a page in a browser context of its own, as another person's browser."""
    pages, refusals = [], []

    def make(viewport=DESKTOP):
        context = browser.new_context(base_url=site.base_url, viewport=viewport)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        page = context.new_page()
        page.on("console", lambda message: _note_csp_refusal(message, page, refusals))
        pages.append(page)
        return page

    yield make
    for number, page in enumerate(pages, start=1):
        suffix = "" if number == 1 else f"-{number}"
        _screenshot(page, ARTIFACTS / f"{artifact_name(request.node.name)}{suffix}.png")
        page.context.close()
    if refusals:
        pytest.fail("The Content-Security-Policy refused something:\n" + "\n".join(refusals))


@pytest.fixture
def page(new_page):
    """The test's own browser, opened first; its last page is the test's screenshot."""
    return new_page()


def artifact_name(test_name: str) -> str:
    """``test_walk[mobile]`` -> ``test_walk-mobile``: a file name that needs no quoting."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")


def _note_csp_refusal(message, page, refusals: list[str]) -> None:
    if "Content Security Policy" in message.text:
        refusals.append(f"{page.url}: {message.text}")


def _screenshot(page, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # A very long page (the API docs) is shown where the test left it rather than whole.
        whole = page.evaluate("document.documentElement.scrollHeight") <= FULL_PAGE_MAX_HEIGHT
        page.screenshot(path=path, full_page=whole)
    except Exception as error:  # a crashed page must not hide the test's own failure
        path.with_suffix(".txt").write_text(f"No screenshot: {error}\n")
