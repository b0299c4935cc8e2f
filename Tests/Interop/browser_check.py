#!/usr/bin/env python3
"""Opens a file-set's web content and viewer in headless Chromium from file:// URLs and
reports what a user would see, as JSON: console errors, broken images, and the viewer's
canvas before and after scrolling and changing the window.

Usage: browser_check.py FILESET_DIR ARTEFACT_DIR
"""
import json
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def main():
    root, artefacts = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    os.makedirs(artefacts, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    # --allow-file-access-from-files lets this probe read the canvas back (a picture from
    # another file:// taints it); the viewer itself never reads pixels.
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,800", "--disable-dev-shm-usage",
              "--allow-file-access-from-files"):
        options.add_argument(a)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    report = {"pages": [], "console": [], "broken_images": []}
    try:
        def visit(rel, shot=None):
            driver.get("file://" + os.path.join(root, rel))
            time.sleep(0.3)
            broken = driver.execute_script(
                "return Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
            report["broken_images"] += broken
            report["pages"].append({"page": rel, "title": driver.title,
                                    "links": driver.execute_script("return Array.from(document.links).map(a => a.getAttribute('href'))")})
            if shot:
                driver.save_screenshot(os.path.join(artefacts, shot))
            for entry in driver.get_log("browser"):
                if entry["level"] in ("SEVERE", "WARNING"):
                    report["console"].append({"page": rel, "level": entry["level"], "message": entry["message"]})

        visit("INDEX.HTM", "index.png")
        for name in sorted(os.listdir(os.path.join(root, "IHE_PDI"))):
            if name.endswith(".HTM"):
                visit("IHE_PDI/" + name, "pdi-" + name.lower().replace(".htm", ".png") if name.startswith("R0000001") else None)

        if os.path.exists(os.path.join(root, "VIEWER", "INDEX.HTM")):
            visit("VIEWER/INDEX.HTM")
            for _ in range(50):
                if driver.execute_script("return !!(DICOMFS.state.current && DICOMFS.state.series[DICOMFS.state.current])"):
                    break
                time.sleep(0.1)
            canvas = driver.find_element(By.ID, "view")
            probe = """
                var c = DICOMFS.canvas(), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, sum = 0;
                for (var i = 0; i < d.length; i += 4) sum += d[i];
                var m = c.getContext('2d').getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data;
                return {sum: sum, center: m[0], frame: DICOMFS.state.frame, wc: DICOMFS.state.center, ww: DICOMFS.state.width,
                        series: DICOMFS.state.current, frames: DICOMFS.state.series[DICOMFS.state.current].labels.length,
                        kind: DICOMFS.state.series[DICOMFS.state.current].kind, scaleBar: DICOMFS.state.scaleBar,
                        edges: DICOMFS.state.edges, width: DICOMFS.state.series[DICOMFS.state.current].width,
                        picture: DICOMFS.picture(), modality: (DICOMFS.state.series[DICOMFS.state.current].info || {}).series};"""
            viewer = {"initial": driver.execute_script(probe)}
            driver.save_screenshot(os.path.join(artefacts, "viewer-initial.png"))
            # Scroll: arrow key, then the mouse wheel back.
            ActionChains(driver).move_to_element(canvas).click().perform()
            ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
            time.sleep(0.2)
            viewer["after_key"] = driver.execute_script(probe)
            driver.execute_script("DICOMFS.canvas().dispatchEvent(new WheelEvent('wheel', {deltaY: -100, bubbles: true, cancelable: true}))")
            time.sleep(0.2)
            viewer["after_wheel"] = driver.execute_script(probe)
            # Window/level by dragging with the left button.
            ActionChains(driver).move_to_element(canvas).click_and_hold().move_by_offset(120, 60).release().perform()
            time.sleep(0.2)
            viewer["after_drag"] = driver.execute_script(probe)
            driver.save_screenshot(os.path.join(artefacts, "viewer-window.png"))
            # A window far below every value: the image area turns white.
            driver.execute_script("DICOMFS.setWindow(-100000, 2)")
            time.sleep(0.2)
            viewer["after_low_window"] = driver.execute_script(probe)
            # A distance: from the picture's left edge to its right edge, in its own pixels.
            viewer["measure"] = driver.execute_script(
                "var s = DICOMFS.state.series[DICOMFS.state.current];"
                "return {text: DICOMFS.measure(0, 0, s.width, 0), spacing: s.spacing || null, native: s.native || null, width: s.width};")
            driver.save_screenshot(os.path.join(artefacts, "viewer-measure.png"))
            # Every series opens.
            # Reports (listed first) open in the main pane, in place of the canvas.
            reports = []
            for row in driver.find_elements(By.CSS_SELECTOR, ".series.report"):
                row.click()
                time.sleep(0.3)
                reports.append(driver.execute_script(
                    "var f = document.getElementById('report');"
                    "return {src: f.getAttribute('src'), shown: getComputedStyle(f).display === 'block',"
                    " canvas: getComputedStyle(document.getElementById('view')).display};"))
            viewer["reports"] = reports
            rows = driver.find_elements(By.CSS_SELECTOR, ".series:not(.report)")
            opened = []
            for row in rows:
                row.click()
                for _ in range(30):
                    if driver.execute_script("return !!DICOMFS.state.series[DICOMFS.state.current]"):
                        break
                    time.sleep(0.1)
                for _ in range(30):   # the picture loads after the series' data
                    if driver.execute_script("var p = DICOMFS.picture(), s = DICOMFS.state.series[DICOMFS.state.current];"
                                             " return !!(p && s && (s.kind !== 'jpeg' || p.width === s.width))"):
                        break
                    time.sleep(0.1)
                opened.append(driver.execute_script(probe))
                driver.save_screenshot(os.path.join(artefacts, "viewer-series-%d.png" % len(opened)))
            viewer["series"] = opened
            driver.save_screenshot(os.path.join(artefacts, "viewer-last-series.png"))
            for entry in driver.get_log("browser"):
                if entry["level"] in ("SEVERE", "WARNING"):
                    report["console"].append({"page": "VIEWER", "level": entry["level"], "message": entry["message"]})
            report["viewer"] = viewer
    finally:
        driver.quit()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
