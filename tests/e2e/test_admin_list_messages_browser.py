"""A staff list given a filter it cannot read says so above the whole list, on a phone and on
a desk (screenshots under the e2e artifacts)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, admin_login
from tests.factories import TEST_PASSWORD, street_staff


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_unreadable_filter_is_said_above_the_list(transactional_db, staff_groups, open_page,
                                                     viewport):  # fmt: skip
    tab = open_page(viewport)
    admin_login(tab, street_staff("XS", groups=["街道初审员"]), TEST_PASSWORD)
    tab.goto("/admin/applications/application/?submitted_at__gte=2026-13-45")
    tab.page.wait_for_url("**?e=1")
    warning = tab.page.locator(".messagelist .warning")
    expect(warning).to_contain_text("筛选条件有误")
    expect(warning).to_be_in_viewport()
    tab.screenshot(f"admin-list-unreadable-filter-{viewport['width']}")
    assert tab.csp_violations() == []
