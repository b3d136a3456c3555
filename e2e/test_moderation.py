"""Moderation in Chromium: a moderator at work, the member on the other end, and the admin who checks.

The tests of this module share one server and read as one story, in order: the moderator deletes
sam's post and suspends sam, then the admin finds both in the audit log. The admin's test walks
the moderator's part itself when it runs alone.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.people import delete_post, fill_login, log_in, messages, nav, suspend, write_post

SPAM_TITLE = "Cheap watches, today only"
# What the moderation walk did, for the admin to find; filled in by the walk.
WALK: dict[str, str] = {}


@pytest.fixture(scope="module")
def story():
    return WALK


def moderation_walk(moderator_page, member_page) -> None:
    """sam posts spam; mona deletes it and suspends sam while sam's browser is still open."""
    log_in(member_page, "sam")
    write_post(member_page, SPAM_TITLE, "Follow the link in my profile for the best prices.")

    log_in(moderator_page, "mona")
    delete_post(moderator_page, SPAM_TITLE, "Advertising")
    expect(messages(moderator_page)).to_contain_text("The post is deleted.")
    expect(moderator_page.get_by_role("link", name=SPAM_TITLE)).to_have_count(0)

    suspend(moderator_page, "sam", "Posting advertisements", days=3)
    expect(messages(moderator_page)).to_contain_text("sam is suspended.")
    WALK.update(deleted=SPAM_TITLE, suspended="sam")


def test_moderator_deletes_a_post_and_suspends_its_author_whose_session_ends(page, new_page):
    sams_page = new_page()
    moderation_walk(page, sams_page)

    # sam's browser was logged in all along; the next click finds the session gone.
    nav(sams_page).get_by_role("link", name="Profile").click()
    expect(sams_page).to_have_url("/login?next=/profile")
    expect(nav(sams_page).get_by_role("button", name="Log out")).to_have_count(0)
    fill_login(sams_page, "sam")
    expect(sams_page.get_by_role("alert")).to_contain_text("This account is suspended until")


def test_moderator_attempt_to_suspend_an_admin_is_refused_clearly(page):
    log_in(page, "mona")
    suspend(page, "ada", "Testing the limits", days=2)
    # One message on top of the form, saying what was refused and whom the moderator may act on.
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(
        re.compile(r"^\s*You may not suspend this account\. You may act on: accounts with role user only\.\s*$")
    )
    expect(page.get_by_label("Username")).to_have_value("ada")
    expect(page.get_by_label("Reason")).to_have_value("Testing the limits")
    expect(messages(page)).to_have_count(0)


def test_admin_reads_the_audit_log_filters_it_and_finds_the_walk(page, new_page, story):
    if not story:
        moderation_walk(new_page(), new_page())
    log_in(page, "ada")
    nav(page).get_by_role("link", name="Audit log").click()
    table = page.get_by_role("table", name="Events, newest first")
    expect(table).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="Logged in").first).to_be_visible()

    page.get_by_label("Action").select_option(label="Suspended")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/admin/logs\?.*action=user\.suspended"))
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("mona")
    expect(rows.first).to_contain_text(story["suspended"])
    expect(rows.first).to_contain_text("Posting advertisements")

    page.get_by_label("Action").select_option(label="Any action")
    page.get_by_label("Actor").fill("mona")
    page.get_by_role("button", name="Filter").click()
    expect(table.locator("tbody tr").filter(has_text="Post deleted")).to_have_count(1)
    expect(table.locator("tbody tr").filter(has_text="Advertising")).to_have_count(1)
    expect(table.locator("tbody tr").filter(has_text="sam")).not_to_have_count(0)
    # The filter keeps what was asked for, so the next change starts from it.
    expect(page.get_by_label("Actor")).to_have_value("mona")
