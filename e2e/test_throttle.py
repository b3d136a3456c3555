"""A login throttled per account, walked in Chromium on a server with a low limit."""

import re

from playwright.sync_api import expect

from e2e.people import fill_login, log_in, nav

# Three attempts an hour at one account. The limiter counts in fixed windows; an hour makes it
# unlikely that one ends during the walk, and the walk below copes with it if one does.
SITE_ENV = {"RATE_LIMIT_LOGIN_ACCOUNT": "3/h"}
THROTTLED = re.compile(r"^\s*Too many attempts\. Try again in (\d+) (seconds?|minutes?)\.\s*$")
# Enough wrong guesses to reach the limit even if a new window starts halfway.
MAX_GUESSES = 7


def test_throttled_login_says_when_to_try_again(page):
    log_in(page, "pete", "wrong guess 1")
    alert = page.get_by_role("alert")
    for guess in range(2, MAX_GUESSES + 1):
        if THROTTLED.match(alert.inner_text()):
            break
        expect(alert).to_contain_text("not right")
        fill_login(page, "pete", f"wrong guess {guess}")
    expect(alert).to_have_text(THROTTLED)
    amount, unit = THROTTLED.match(alert.inner_text()).groups()
    assert 0 < int(amount) * (60 if unit.startswith("minute") else 1) <= 3600
    expect(page.get_by_label("Username or email address")).to_have_value("pete")

    # Even the right password waits: the limit counts attempts, not mistakes.
    fill_login(page, "pete")
    expect(page.get_by_role("alert")).to_have_text(THROTTLED)
    expect(nav(page).get_by_role("link", name="Log in")).to_be_visible()
