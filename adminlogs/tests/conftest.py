from accounts.tests.page_fixtures import browser_as, browser_for, guest  # noqa: F401
