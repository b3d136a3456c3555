"""What each role is offered and refused: the premium corner, by menu and by address."""

from playwright.sync_api import expect

from e2e.people import log_in, messages, nav


def test_plain_user_sees_no_premium_link_and_gets_the_403_page(page):
    log_in(page, "mia")
    expect(messages(page)).to_contain_text("Welcome back, mia.")
    expect(nav(page).get_by_role("link", name="Profile")).to_be_visible()
    expect(nav(page).get_by_role("link", name="Premium")).to_have_count(0)

    response = page.goto("/premium")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this page")
    expect(page.get_by_role("main")).to_contain_text("premium")
    # The way on is offered, and the menu still works.
    page.get_by_role("link", name="Go to your profile").click()
    expect(page).to_have_url("/profile")


def test_premium_user_reads_the_premium_page(page):
    log_in(page, "pete")
    nav(page).get_by_role("link", name="Premium").click()
    expect(page).to_have_url("/premium")
    expect(page.get_by_role("heading", level=1)).to_have_text("Premium")
    expect(page.get_by_text("Thank you for supporting authsite.")).to_be_visible()
