"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Screenshots land in test-artifacts/screenshots/. Without /usr/bin/chromium the browser tests
are skipped on a developer's machine (apt-get install chromium fonts-wqy-microhei) but fail
in CI, which installs it.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the test code still talks to the
# database synchronously, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium for the browser tests")
        pytest.skip("browser tests need /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Page:
    """A browser tab that records CSP violations and console errors, and saves screenshots."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )

    def goto(self, path):
        return self.page.goto(self.base_url + path)

    def screenshot(self, name, full_page=True):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{re.sub(r'[^\w.-]+', '-', name)}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def csp_violations(self):
        return [e for e in self.console_errors if "Content Security Policy" in e]

    def axe_violations(self):
        """axe-core's WCAG 2.1 A/AA rules, run inside the page."""
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            """async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
                return r.violations.map(v => ({id: v.id, impact: v.impact,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }"""
        )
        return result


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def _open(viewport=PHONE, locale="zh-CN"):
        context = browser.new_context(viewport=viewport, locale=locale)
        contexts.append(context)
        return Page(context.new_page(), live_server.url)

    yield _open
    for context in contexts:
        context.close()


def admin_login(tab, user, password):
    """Log a member of staff into the admin as they would: password and a TOTP code."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="phone", confirmed=True)
    page = tab.page
    tab.goto("/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.fill(
        "#id_otp_token", f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    )
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
