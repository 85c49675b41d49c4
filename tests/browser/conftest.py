"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

No browser is downloaded: the tests use the system Chromium (``apt-get install chromium``;
.ci/run installs it) and are skipped, saying so, where it is missing. ESTIM_CHROMIUM points
them at another Chromium binary; with ESTIM_BROWSER_TESTS=required a missing Chromium fails
them instead, so that CI cannot skip them silently.

Logging in needs no test-only cookie settings: the session and CSRF cookies stay Secure, which
Chromium accepts from http://localhost, where the live server listens.
"""

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, seed_organisation

CHROMIUM = Path(os.environ.get("ESTIM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots of every page the walk sees; test-artifacts/ is git-ignored.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
# Explicit waits give up after this long (ms): long enough for a slow CI machine, short
# enough that a broken page fails the test quickly.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the browser tests of this package."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = (
            f"Chromium not found at {CHROMIUM}; install Debian's chromium package "
            "(apt-get install chromium) to run the browser tests"
        )
        if os.environ.get("ESTIM_BROWSER_TESTS") == "required":
            pytest.fail(message)  # CI sets this: there, a missing browser is an error
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an asyncio loop registered as running in this thread, and
    # Django refuses ORM calls from such a thread (SynchronousOnlyOperation). The tests' own
    # ORM calls are plain synchronous ones, so allow them while Playwright runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo_site(transactional_db):
    """The guide's taxonomy, pick lists, groups and agents (password DEMO_PASSWORD)."""
    call_command("loaddata", "taxonomy", "reference", verbosity=0)
    seed_organisation()


@pytest.fixture(scope="package")
def screenshot_counters():
    """Empties test-artifacts/browser/ once per run; then one numbering per test module."""
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    return {}


@pytest.fixture
def artifacts(request, screenshot_counters):
    """(folder, counter) for a test's screenshots: test-artifacts/browser/<module>/NN-*.png,
    where <module> is the test module's name without "test_" (test_guide.py: guide)."""
    name = request.node.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    folder = ARTIFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder, screenshot_counters.setdefault(name, [0])


class Agent:
    """One agent's browser window, logged in through the login form."""

    def __init__(self, browser, base_url: str, username: str, shots: Path, counter: list):
        # Reduced motion turns off Bootstrap's fades (tabs, modals, alerts), so a screenshot
        # never catches a pane half faded in; the assertions wait for what they need anyway.
        self.context = browser.new_context(
            base_url=base_url,
            viewport={"width": 1400, "height": 900},
            locale="en-US",
            reduced_motion="reduce",
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.username = username
        self._shots = shots
        self._counter = counter
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda msg: self.errors.append(msg.text) if msg.type == "error" else None,
        )

    def log_in(self) -> None:
        from playwright.sync_api import expect

        page = self.page
        page.goto("/")
        page.wait_for_url(re.compile(r"/login/"))
        page.get_by_label("Username").fill(self.username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        self.shot("login")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login/" not in url)
        expect(page.locator("header")).to_contain_text("My Ticket")

    def shot(self, name: str) -> Path:
        """A full-page screenshot, numbered in the order the walk took them."""
        self._counter[0] += 1
        path = self._shots / f"{self._counter[0]:02d}-{self.username}-{name}.png"
        self.page.screenshot(path=path, full_page=True, animations="disabled")
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_agent(request, browser, live_server, demo_site, artifacts):
    """open_agent("l1.agent") -> an Agent logged in through the login form."""
    folder, counter = artifacts
    agents = []

    def open_(username: str) -> Agent:
        agent = Agent(browser, live_server.url, username, folder, counter)
        agents.append(agent)
        agent.log_in()
        return agent

    yield open_
    failed = getattr(request.node, "rep_call", None)
    for agent in agents:
        if failed is not None and failed.failed:
            # The page each agent was looking at when the test failed, if it still can.
            with contextlib.suppress(Exception):
                agent.shot("FAILED")
        agent.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, for open_agent's failure screenshots."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
