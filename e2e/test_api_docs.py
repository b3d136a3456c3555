"""The interactive API docs, offline: a person logs in, authorizes and calls the API from the page."""

import json
from urllib.parse import urlsplit

from playwright.sync_api import expect

from e2e.site import LOOPBACK, PASSWORD


def operation(page, method: str, path: str):
    """One operation's block in Swagger UI, e.g. ``operation(page, "post", "/api/login/")``."""
    return page.locator(f".opblock-{method}").filter(has=page.locator(f'.opblock-summary-path[data-path="{path}"]'))


def try_it_out(block) -> None:
    """Open an operation and switch it to editable, as a person clicks through it."""
    block.locator(".opblock-summary-control").click()
    block.get_by_role("button", name="Try it out").click()


def response_of(block) -> tuple[int, str]:
    """The status and body of the call the page just made, as it shows them."""
    live = block.locator(".live-responses-table .response").first
    expect(live).to_be_visible()
    live.scroll_into_view_if_needed()  # so the test's screenshot shows the answer
    status = int(live.locator(".response-col_status").inner_text().strip())
    return status, live.locator(".response-col_description pre").first.inner_text()


def test_api_docs_work_offline_and_call_the_api_with_a_token(page):
    blocked = []

    def this_machine_only(route):
        if urlsplit(route.request.url).hostname == LOOPBACK:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.context.route("**/*", this_machine_only)
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("authsite API")
    expect(operation(page, "post", "/api/login/")).to_be_visible()
    expect(operation(page, "get", "/api/profile/")).to_be_visible()

    login = operation(page, "post", "/api/login/")
    try_it_out(login)
    login.locator("textarea.body-param__text").fill(json.dumps({"username": "mia", "password": PASSWORD}))
    login.get_by_role("button", name="Execute").click()
    status, body = response_of(login)
    assert status == 200, body
    access = json.loads(body)["access"]

    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".dialog-ux .modal-ux")
    dialog.locator("input[type=text]").fill(access)
    dialog.locator(".auth-btn-wrapper button.authorize").click()
    expect(dialog.get_by_role("heading", name="Authorized")).to_be_visible()
    dialog.get_by_role("button", name="Close", exact=True).click()

    profile = operation(page, "get", "/api/profile/")
    try_it_out(profile)
    profile.get_by_role("button", name="Execute").click()
    status, body = response_of(profile)
    assert status == 200, body
    assert json.loads(body)["username"] == "mia"
    # Everything the page needed came from this machine: it works offline.
    assert blocked == []
