"""The casebook in a real Chromium, without JavaScript: the whole journey, then axe and the Nu checker.

A new person sets a passphrase, records a case with an incident, an
engagement, a request, a follow-up and a risk assessment, locks, unlocks,
downloads a backup and restores it — by clicking and typing, as they would.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import AXE, PASSPHRASE, create_casebook, nu_checker_messages, save_new_case
from .test_pages_in_browser import AXE_TAGS, new_page


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes'][0]['target']} {v['nodes'][0]['html'][:160]}"
        for v in result["violations"]
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_whole_casebook_journey_in_a_browser(browser, live_server, casebook_settings, tmp_path: Path):
    problems: list[str] = []
    raw: dict[str, str] = {}
    outside: list[str] = []
    with new_page(browser, java_script_enabled=False, bypass_csp=True, accept_downloads=True) as page:
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)

        def visit_checks(label: str) -> None:
            """axe (needs scripts: run in a twin page with the same cookies) and the raw HTML for the Nu checker."""
            raw[label] = page.context.request.get(page.url).text() if page.url.endswith("/") else page.content()

        base = live_server.url
        page.goto(base + "/en/casebook/")
        assert page.url.endswith("/casebook/setup/")
        visit_checks("setup")
        create_casebook(page)
        assert page.url.endswith("/casebook/"), page.content()[-3000:]
        page.get_by_role("link", name="New case").first.click()
        case_url = save_new_case(page)

        def add(kind_link: str, fill) -> None:
            page.goto(case_url)
            page.get_by_role("link", name=kind_link, exact=True).click()
            fill()
            visit_checks(kind_link)
            page.get_by_role("button", name="Save").click()
            assert page.url.startswith(case_url), page.content()[:3000]

        add(
            "Incident",
            lambda: (
                page.locator("#id_occurred_on").fill("2026-03-01"),
                page.locator("#id_threat").select_option("surveillance"),
                page.locator("#id_description").fill("A car followed them home."),
            ),
        )
        add(
            "Engagement with a mission",
            lambda: (
                page.locator("#id_occurred_on").fill("2026-03-05"),
                page.locator("#id_where").select_option("CA"),
                page.locator("#id_roles").fill("HRD focal point"),
                page.locator('input[name="support_types"][value="trial-observation"]').check(),
            ),
        )
        add(
            "Request",
            lambda: (
                page.locator("#id_where").select_option("CA"),
                page.locator('input[name="support_types"][value="emergency-visa"]').check(),
                page.locator("#id_status").select_option("sent"),
                page.locator("#id_sent_on").fill("2026-03-06"),
            ),
        )
        add(
            "Follow-up",
            lambda: (
                page.locator("#id_due_on").fill("2026-01-10"),
                page.locator("#id_what").fill("Call the focal point"),
            ),
        )
        add(
            "Risk assessment",
            lambda: (
                page.locator("#id_assessed_on").fill("2026-03-02"),
                page.locator("#id_threats").select_option("4"),
                page.locator("#id_vulnerabilities").select_option("3"),
                page.locator("#id_capacities").select_option("2"),
            ),
        )
        page.goto(case_url)
        body = page.content()
        assert "A car followed them home." in body and "HRD focal point" in body and "<svg" in body
        visit_checks("case")
        for name, path in [
            ("dashboard", "/en/casebook/"),
            ("missions", "/en/casebook/missions/"),
            ("audit", "/en/casebook/audit/"),
            ("case-ar", case_url.replace("/en/", "/ar/")),
        ]:
            page.goto(path if path.startswith("http") else base + path)
            visit_checks(name)
        page.goto(base + "/en/casebook/search/")
        page.locator("#id_q").fill("car")
        page.get_by_role("button", name="Search", exact=True).last.click()
        assert "followed" in page.content()

        # the case list's filter and sort, without JavaScript: POSTed, and nothing of them in the address
        page.goto(base + "/en/casebook/")
        page.locator("#id_country").select_option("HN")
        page.locator("#id_sort").select_option("risk")
        page.get_by_role("button", name="Show", exact=True).click()
        assert "?" not in page.url and "HN" not in page.url
        assert "Cases shown: 1 of 1." in page.content() and "Guardian of the river" in page.content()
        visit_checks("dashboard-filtered")
        page.goto(base + "/ar/casebook/")
        visit_checks("dashboard-ar")
        # a letter from the saved request, by its link
        page.goto(case_url)
        page.get_by_role("link", name="Write a letter for this request").click()
        assert re.search(r"/casebook/request/[0-9a-f]{16}/letter/$", page.url)
        assert page.locator('input[name="support_types"][value="emergency-visa"]').is_checked()
        letter_url = page.url
        visit_checks("letter")
        page.locator("#id_format").select_option("md")
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the letter").click()
        assert "Canada" in Path(download.value.path()).read_text(encoding="utf-8")

        # lock, unlock
        page.goto(base + "/en/casebook/")
        page.get_by_role("button", name="Lock now").click()
        assert "Casebook locked" in page.content()
        page.goto(case_url)
        assert page.url.endswith("/casebook/unlock/")
        visit_checks("unlock")
        page.locator("#id_passphrase").fill(PASSPHRASE)
        page.get_by_role("button", name="Unlock").click()
        page.goto(case_url)
        assert "Guardian of the river" in page.content()

        # back up (a download), add a case, restore: the case added after the backup is gone
        page.goto(base + "/en/casebook/backup/")
        visit_checks("backup")
        page.locator("#id_passphrase").fill(PASSPHRASE)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the backup").click()
        archive = tmp_path / "backup.age"
        download.value.save_as(archive)
        assert archive.read_bytes().startswith(b"age-encryption.org/v1")
        page.goto(base + "/en/casebook/cases/new/")
        page.locator("#id_pseudonym").fill("Made after the backup")
        page.get_by_role("button", name="Save").click()
        page.goto(base + "/en/casebook/restore/")
        visit_checks("restore")
        page.locator("#id_archive").set_input_files(str(archive))
        page.locator("#id_passphrase").fill(PASSPHRASE)
        page.locator("#id_replace").check()
        page.get_by_role("button", name="Restore").click()
        assert "Casebook restored" in page.content()
        page.get_by_role("link", name="Unlock the casebook").click()
        page.locator("#id_passphrase").fill(PASSPHRASE)
        page.get_by_role("button", name="Unlock").click()
        dashboard = page.content()
        assert "Guardian of the river" in dashboard and "Made after the backup" not in dashboard

    # axe needs scripts: a second context with JavaScript on, unlocked by typing the passphrase again
    with new_page(browser, bypass_csp=True) as page:
        page.goto(base + "/en/casebook/unlock/")
        problems += _axe(page)
        page.locator("#id_passphrase").fill(PASSPHRASE)
        page.get_by_role("button", name="Unlock").click()
        for path in [
            "/en/casebook/",
            case_url,
            case_url.replace("/en/", "/ar/"),
            "/en/casebook/missions/",
            "/en/casebook/audit/",
            "/en/casebook/backup/",
            "/en/casebook/wipe/",
            "/en/casebook/search/",
            "/ar/casebook/",
        ]:
            page.goto(path if path.startswith("http") else base + path)
            problems += _axe(page)
        page.goto(case_url)
        page.get_by_role("link", name="Engagement with a mission", exact=True).click()
        problems += _axe(page)
        page.goto(letter_url)
        problems += _axe(page)
    assert not outside, f"requests to other origins: {outside}"
    assert not problems, "axe-core violations:\n" + "\n".join(problems)
    for index, (label, body) in enumerate(raw.items()):
        (tmp_path / f"{index:02d}-{label.replace(' ', '-')}.html").write_text(body, encoding="utf-8")
    messages = nu_checker_messages(tmp_path, timeout=120)
    assert not messages, "Nu HTML checker errors:\n" + "\n".join(f"{m.get('url')}: {m['message']}" for m in messages)
