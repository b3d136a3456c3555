"""What a person does on the site, in the words on the screen: labels, buttons and links.

The tests find everything the way a person (or a screen reader) does, by its visible name, so a
field that loses its label or a button that changes its wording fails here first.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.site import PASSWORD


def nav(page: Page):
    """The main menu."""
    return page.get_by_role("navigation", name="Main")


def messages(page: Page):
    """The success and error messages shown after an action."""
    return page.locator(".messages")


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Open the login page from the menu and send the form."""
    page.goto("/")
    nav(page).get_by_role("link", name="Log in").click()
    fill_login(page, username, password)


def fill_login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Send the login form and wait for the answer, so what follows reads the new page."""
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Log in").click()


def log_out(page: Page) -> None:
    nav(page).get_by_role("button", name="Log out").click()
    expect(messages(page)).to_contain_text("You are logged out.")


def write_post(page: Page, title: str, text: str) -> None:
    nav(page).get_by_role("link", name="Posts").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Text").fill(text)
    page.get_by_role("button", name="Publish").click()
    expect(messages(page)).to_contain_text("Your post is published.")


def delete_post(page: Page, title: str, reason: str) -> None:
    nav(page).get_by_role("link", name="Posts").click()
    page.get_by_role("link", name=title).click()
    page.get_by_label("Reason for deleting").fill(reason)
    page.get_by_role("button", name="Delete post").click()


def suspend(page: Page, username: str, reason: str, days: int | None) -> None:
    nav(page).get_by_role("link", name="Suspend", exact=True).click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Reason").fill(reason)
    if days is not None:
        page.get_by_label("Days").fill(str(days))
    page.get_by_role("main").get_by_role("button", name="Suspend").click()


def path_of(page: Page) -> str:
    """The path and query of the page's address, without the scheme and host."""
    return re.sub(r"^https?://[^/]+", "", page.url)
