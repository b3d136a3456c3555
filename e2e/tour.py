"""Screenshots of every page for every role, at desktop and phone widths, to look at by eye.

    .venv/bin/python -m e2e.tour [OUT_DIR]        # default: test-artifacts/tour

Not a test: it shows what a person sees, so a change to the templates or the stylesheet can be
judged by looking. The site runs with DEBUG off (as in production) so the error pages are ours.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from e2e.browser import DESKTOP, MOBILE, chromium_launch
from e2e.site import PASSWORD, REPO, create_account, migrated_database, site_start

ACCOUNTS = {"member": ("mia", "user", False), "premium": ("pete", "user", True),
            "moderator": ("mona", "moderator", False), "admin": ("ada", "admin", False)}  # fmt: skip
PAGES = {
    "guest": ["/", "/posts", "/posts/1", "/login", "/register", "/premium", "/nowhere"],
    "member": ["/", "/posts", "/posts/1", "/profile", "/profile/edit", "/profile/password",
               "/profile/email", "/premium", "/logout", "/login"],
    "premium": ["/premium"],
    "moderator": ["/posts/1", "/user/ban", "/user/unban"],
    "admin": ["/", "/admin/logs", "/admin/settings", "/user/ban", "/profile"],
}  # fmt: skip


def _static(route):
    """With DEBUG off runserver serves no static files; hand the browser ours from static/."""
    path = REPO / "static" / route.request.url.split("/static/", 1)[1]
    route.fulfill(path=str(path)) if path.is_file() else route.fulfill(status=404)


def log_in(page, base, username):
    page.goto(base + "/login")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def shoot(browser, base, role, out: Path):
    for width_name, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
        context = browser.new_context(viewport=viewport)
        context.route("**/static/**", _static)
        page = context.new_page()
        if role != "guest":
            log_in(page, base, ACCOUNTS[role][0])
        for path in PAGES[role]:
            page.goto(base + path)
            name = path.strip("/").replace("/", "-") or "home"
            page.screenshot(path=out / f"{role}-{name}-{width_name}.png", full_page=True)
        extras(page, base, role, width_name, out)
        context.close()


def extras(page, base, role, width_name, out):
    """States a plain visit does not show: refused forms and their messages."""
    if role == "guest":
        page.goto(base + "/login")
        page.get_by_label("Username or email address").fill("mia")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
        page.screenshot(path=out / f"guest-login-wrong-{width_name}.png", full_page=True)
        page.goto(base + "/register")
        page.get_by_label("Username").fill("mia")
        page.get_by_label("Email address").fill("not-an-address")
        page.get_by_label("Password").fill("short")
        page.get_by_role("button", name="Create account").click()
        page.screenshot(path=out / f"guest-register-invalid-{width_name}.png", full_page=True)
    if role == "moderator":
        page.goto(base + "/user/ban")
        page.get_by_label("Username").fill("ada")
        page.get_by_label("Reason").fill("testing")
        page.get_by_label("Days").fill("3")
        page.get_by_role("button", name="Suspend").click()
        page.screenshot(path=out / f"moderator-ban-admin-{width_name}.png", full_page=True)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="authsite-tour-") as tmp:
        database = migrated_database(Path(tmp))
        for username, role, premium in ACCOUNTS.values():
            create_account(database, username, role=role, premium=premium)
        site = site_start(database, Path(tmp), DJANGO_DEBUG="false")
        try:
            with sync_playwright() as playwright:
                browser = chromium_launch(playwright)
                page = browser.new_page()
                log_in(page, site.base_url, "mia")
                page.goto(site.url("/posts"))
                page.get_by_label("Title").fill("Hello from the tour")
                page.get_by_label("Text").fill("A first post, so the lists have something in them.\n\nTwo paragraphs.")
                page.get_by_role("button", name="Publish").click()
                page.close()
                for role in PAGES:
                    shoot(browser, site.base_url, role, out)
                browser.close()
        finally:
            site.stop()
    print(f"Screenshots in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "test-artifacts" / "tour")
