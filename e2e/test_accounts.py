"""A visitor's account, walked in Chromium: sign up, profile, log out, log in, mistakes, ``next=``."""

from playwright.sync_api import expect

from e2e.people import fill_login, log_in, log_out, messages, nav, path_of
from e2e.site import PASSWORD

GENERIC_LOGIN_ERROR = "The username, email address or password is not right."


def test_visitor_registers_edits_profile_logs_out_and_logs_back_in(page):
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Create an account").click()
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Email address").fill("newcomer@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url("/profile")
    expect(messages(page)).to_contain_text("Welcome, newcomer! Your account is ready.")
    expect(nav(page).get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("Display name").fill("Newton Comer")
    page.get_by_label("About you").fill("I read the posts on the train.")
    page.get_by_role("button", name="Save").click()
    expect(messages(page)).to_contain_text("Your profile is saved.")
    expect(page.get_by_role("heading", name="Newton Comer")).to_be_visible()
    expect(page.get_by_text("I read the posts on the train.")).to_be_visible()

    log_out(page)
    expect(nav(page).get_by_role("link", name="Log in")).to_be_visible()
    expect(nav(page).get_by_role("link", name="Profile")).to_have_count(0)

    log_in(page, "newcomer")
    expect(page).to_have_url("/profile")
    expect(messages(page)).to_contain_text("Welcome back, newcomer.")
    expect(page.get_by_role("heading", name="Newton Comer")).to_be_visible()


def test_wrong_password_shows_one_generic_message_and_keeps_the_username(page):
    log_in(page, "mia", "not her password at all")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(GENERIC_LOGIN_ERROR)
    expect(page.locator(".errorlist li")).to_have_count(1)
    expect(page.get_by_label("Username or email address")).to_have_value("mia")
    expect(page.get_by_label("Password")).to_have_value("")

    # An unknown account reads exactly the same, so the page does not tell who has one.
    fill_login(page, "nobody-by-this-name", PASSWORD)
    expect(page.get_by_role("alert")).to_have_text(GENERIC_LOGIN_ERROR)
    expect(page.get_by_label("Username or email address")).to_have_value("nobody-by-this-name")


def test_next_after_login_lands_on_the_page_asked_for(page):
    page.goto("/profile/edit")
    expect(page).to_have_url("/login?next=/profile/edit")
    fill_login(page, "mia")
    expect(page).to_have_url("/profile/edit")
    expect(page.get_by_role("heading", name="Edit your profile")).to_be_visible()

    log_out(page)
    nav(page).get_by_role("link", name="Posts").click()
    page.get_by_role("link", name="Log in to write a post.").click()
    fill_login(page, "mia")
    assert path_of(page) == "/posts"
    expect(page.get_by_role("heading", name="Write a post")).to_be_visible()
