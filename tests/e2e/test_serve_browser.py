"""The live preview in a real browser: pages reload after content, template and theme changes."""

from __future__ import annotations

import pytest

from tests.commands.test_serve import Server, _chromium, server, wait_until

__all__ = ["server"]  # the fixture, shared with the fast serve tests


@pytest.mark.slow
def test_browser_reloads_after_content_template_and_theme_changes(server: Server) -> None:
    from selenium.webdriver.common.by import By

    driver = _chromium()
    try:

        def body_text() -> str:
            return str(driver.find_element(By.TAG_NAME, "body").text)

        def reloaded_showing(text: str) -> bool:
            try:
                fresh = driver.execute_script("return window.briefgenMarker") is None
                return fresh and text in body_text()
            except Exception:  # the page is mid-reload
                return False

        def mark() -> None:
            driver.execute_script("window.briefgenMarker = 'before the change';")

        driver.get(server.url + "relief/exec/")
        wait_until(lambda: "Joint planning is the" in body_text(), what="the first render")
        sheets = "return [...document.styleSheets].filter(s => s.href && s.cssRules.length).length"
        assert driver.execute_script(sheets) == 2  # briefing.css and preview.css, via the resource route
        assert driver.execute_script("return document.fonts.check('12px Lato')")

        mark()
        topic = server.root / "content" / "topics" / "relief.yaml"
        good = topic.read_text().replace("Joint planning is the", "Shared planning is the")
        topic.write_text(good)
        wait_until(lambda: reloaded_showing("Shared planning is the"), what="reload after a content change")

        mark()
        (server.root / "templates").mkdir()
        (server.root / "templates" / "base.html").write_text(
            '{% extends "!base.html" %}{% block notes %}<p id="desk">Handled by the desk</p>{% endblock %}'
        )
        wait_until(lambda: reloaded_showing("Handled by the desk"), what="reload after a template change")

        mark()
        config = server.root / "briefgen.yaml"
        config.write_text(config.read_text().replace("theme: default", "theme: field"))
        cover = "return getComputedStyle(document.querySelector('.cover')).backgroundColor"
        wait_until(lambda: reloaded_showing("BRIEFING") and driver.execute_script(cover) == "rgb(43, 48, 53)")

        mark()
        topic.write_text(good.replace("  title: Relief Coordination", "  title: [broken"))
        wait_until(lambda: reloaded_showing("could not render relief/exec"), what="the error page")
        assert "content/topics/relief.yaml:4:11: invalid YAML" in body_text()
        mark()
        topic.write_text(good)
        wait_until(lambda: reloaded_showing("Shared planning is the"), what="recovery after the fix")
        severe = [
            e
            for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "status of 500" not in e["message"]
        ]
        assert severe == []  # no refused resource, no blocked script
    finally:
        driver.quit()
