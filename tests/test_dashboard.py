"""The dashboard in a real browser (Debian's chromium and chromium-driver, driven by Selenium): its pages list what
the SDK stored, the label-row view draws the saved shapes where the labels say, stored markup stays text. The
browser is required, not optional: without it these tests fail (CI installs it, see .ci/run)."""

import io
import shutil
import tempfile

import numpy as np
import pytest
import requests
from encord.objects import Object, RadioAttribute
from encord.objects.bitmask import BitmaskCoordinates
from encord.objects.coordinates import (BoundingBoxCoordinates, PointCoordinate, PolygonCoordinates,
                                        PolylineCoordinates, RotatableBoundingBoxCoordinates, SkeletonCoordinate)
from encord.orm.dataset import StorageLocation
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
BACKGROUND = (235, 235, 225)  # the seed's images: a fruit-coloured disc on this background
CHERRY = (0xD3, 0x31, 0x15)  # the seed ontology's colour of Cherry
FILL_OPACITY = 0.35  # how the dashboard fills a box


@pytest.fixture(scope="module")
def browser():
    for program in (CHROMIUM, CHROMEDRIVER):
        assert shutil.which(program), f"{program} is missing: apt-get install -y chromium chromium-driver"
    profile = tempfile.mkdtemp(prefix="dashboard-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1600,1200", "--force-device-scale-factor=1", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def label_cherry_image(project):
    """Every 2D shape of the seed's ontology on cherry_001.png (640x480), and one classification, saved by the SDK."""
    row = next(r for r in project.list_label_rows_v2() if r.data_title == "cherry_001.png")
    row.initialise_labels()
    ontology = project.ontology_structure
    shapes = {
        "Cherry": BoundingBoxCoordinates(top_left_x=0.02, top_left_y=0.02, width=0.2, height=0.15),
        "Other type of fruit": RotatableBoundingBoxCoordinates(top_left_x=0.7, top_left_y=0.05, width=0.2,
                                                               height=0.1, theta=30),
        "Persimmon": PolygonCoordinates([PointCoordinate(0.3, 0.3), PointCoordinate(0.5, 0.3),
                                         PointCoordinate(0.4, 0.5)]),
        "Branch": PolylineCoordinates([PointCoordinate(0.1, 0.6), PointCoordinate(0.3, 0.7)]),
        "Pedicel": PointCoordinate(0.5, 0.6),
        "Strawberry": ontology.skeleton_templates["Triangle"].create_instance([
            SkeletonCoordinate(x=0.6, y=0.6, name="Top"), SkeletonCoordinate(x=0.55, y=0.7, name="Left"),
            SkeletonCoordinate(x=0.65, y=0.7, name="Right")]),
    }
    mask = np.zeros((480, 640), dtype=bool)
    mask[420:470, 540:630] = True
    shapes["Blueberry"] = BitmaskCoordinates(mask)
    for name, coordinates in shapes.items():
        instance = ontology.get_child_by_title(name, type_=Object).create_instance()
        instance.set_for_frames(coordinates, frames=0)
        row.add_object_instance(instance)
    which = ontology.get_child_by_title("Blueberry or cherry?", type_=RadioAttribute)
    classification = next(c for c in ontology.classifications if which in c.attributes).create_instance()
    classification.set_answer(which.get_child_by_title("Cherry"), attribute=which)
    classification.set_for_frames(frames=0)
    row.add_classification_instance(classification)
    row.save()
    return row


def label_cherry_video(project):
    """A box that moves: at frame 0 in the top left corner, at frame 10 in the bottom right."""
    row = next(r for r in project.list_label_rows_v2() if r.data_title == "Cherries_video.mp4")
    row.initialise_labels()
    instance = project.ontology_structure.get_child_by_title("Cherry", type_=Object).create_instance()
    instance.set_for_frames(BoundingBoxCoordinates(top_left_x=0.0, top_left_y=0.0, width=0.1, height=0.1), frames=0)
    instance.set_for_frames(BoundingBoxCoordinates(top_left_x=0.8, top_left_y=0.8, width=0.1, height=0.1), frames=10)
    row.add_object_instance(instance)
    row.save()
    return row


def pixel(png: bytes, x: int, y: int) -> tuple[int, int, int]:
    return Image.open(io.BytesIO(png)).convert("RGB").getpixel((x, y))


def close(actual, expected, tolerance=4) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected))


def test_pages_show_what_the_sdk_stored_and_the_view_draws_it(encord_server, browser):
    seeded = encord_server.seed("blueberries-and-cherries")
    project = encord_server.user_client(seeded["email"]).get_project(seeded["project_hash"])
    image_row = label_cherry_image(project)
    video_row = label_cherry_video(project)
    ui = encord_server.url + "/_emulator/ui"

    browser.get(encord_server.url + "/")
    assert browser.current_url == ui + "/"
    browser.get(ui + "/datasets")
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".dataset-title")] == ["Blueberries and Cherries"]
    assert sorted(e.text for e in browser.find_elements(By.CSS_SELECTOR, ".data-row .data-title")) == \
        sorted(seeded["data_hashes"])
    browser.get(ui + "/ontologies")
    assert "Strawberry" in browser.find_element(By.ID, f"ontology-{seeded['ontology_hash']}").text
    browser.get(ui + "/projects")
    browser.find_element(By.LINK_TEXT, "Blueberries and Cherries").click()
    listed = {r.find_element(By.CSS_SELECTOR, ".data-title").text: r
              for r in browser.find_elements(By.CSS_SELECTOR, "tr.label-row")}
    assert set(listed) == set(seeded["data_hashes"])
    labelled = listed["cherry_001.png"]
    assert [labelled.find_element(By.CSS_SELECTOR, c).text for c in (".label-status", ".branch", ".stage")] == \
        ["LABELLED", "main", "Annotate 1"]
    assert listed["apple_001.png"].find_element(By.CSS_SELECTOR, ".label-status").text == "NOT_LABELLED"

    labelled.find_element(By.LINK_TEXT, image_row.label_hash).click()
    svg = browser.find_element(By.CSS_SELECTOR, f"figure[data-unit='{image_row.data_hash}'] svg")
    drawn = {kind: len(svg.find_elements(By.CSS_SELECTOR, f".shapes .{kind}")) for kind in (
        "bounding-box", "rotatable-bounding-box", "polygon", "polyline", "point", "skeleton-point", "bitmask")}
    assert drawn == {"bounding-box": 1, "rotatable-bounding-box": 1, "polygon": 1, "polyline": 1, "point": 1,
                     "skeleton-point": 3, "bitmask": 1}
    rotated = svg.find_element(By.CSS_SELECTOR, ".rotatable-bounding-box").get_attribute("transform")
    assert rotated.startswith("rotate(30 ")
    assert "Blueberry or cherry?: Cherry" in browser.find_element(By.ID, "classifications").text
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('svg image')].every(i => i.getBBox().width > 0)"))
    shot = svg.screenshot_as_png
    assert Image.open(io.BytesIO(shot)).size == (640, 480)
    inside_box = pixel(shot, int((0.02 + 0.1) * 640), int((0.02 + 0.075) * 480))
    blended = tuple(FILL_OPACITY * c + (1 - FILL_OPACITY) * b for c, b in zip(CHERRY, BACKGROUND))
    assert close(inside_box, blended), (inside_box, blended)
    assert close(pixel(shot, 320, 10), BACKGROUND)  # nothing drawn there: the image itself
    assert pixel(shot, 585, 445) != pixel(shot, 585, 410)  # the bitmask's pixels are tinted, those above it not

    browser.get(f"{ui}/projects/{project.project_hash}/label-rows/{video_row.label_hash}")
    box = lambda: browser.find_element(By.CSS_SELECTOR, ".shapes .bounding-box")  # noqa: E731
    assert (float(box().get_attribute("x")), float(box().get_attribute("y"))) == (0.0, 0.0)
    browser.execute_script("const s = document.querySelector('.frame-slider'); s.value = 10;"
                           "s.dispatchEvent(new Event('input'));")
    assert browser.find_element(By.CSS_SELECTOR, ".frame-number").text == "10"
    assert (float(box().get_attribute("x")), float(box().get_attribute("y"))) == (0.8 * 640, 0.8 * 360)
    browser.execute_script("const s = document.querySelector('.frame-slider'); s.value = 5;"
                           "s.dispatchEvent(new Event('input'));")
    assert browser.find_elements(By.CSS_SELECTOR, ".shapes .bounding-box") == []  # not labelled at frame 5


MARKUP = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


def test_stored_markup_is_shown_as_text_and_never_run(encord_server, browser):
    client = encord_server.user_client()
    dataset_hash = client.create_dataset(f"dataset {MARKUP}", StorageLocation.AWS).dataset_hash
    encord_server.register_data_rows(dataset_hash, [{"data_title": f"data {MARKUP}", "data_type": "IMAGE",
                                                     "file_link": "s3://nowhere/x.png", "width": 10, "height": 10}])
    browser.get(encord_server.url + "/_emulator/ui/datasets")
    assert browser.find_element(By.CSS_SELECTOR, ".dataset-title").text == f"dataset {MARKUP}"
    assert browser.find_element(By.CSS_SELECTOR, ".data-row .data-title").text == f"data {MARKUP}"
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main script") == []
    assert browser.execute_script("return window.pwned === undefined")


def test_upload_job_progress_and_unit_errors_update_live(encord_server, browser):
    encord_server.put_object("fruit", "a.png", png_bytes())
    integration = encord_server.add_integration("fruit", buckets=["fruit"])
    dataset_hash = encord_server.user_client().create_dataset("live", StorageLocation.AWS).dataset_hash
    encord_server.set_job_progression("manual")
    job = encord_server.upload(dataset_hash, integration["id"], ignore_errors=True, spec={"images": [
        {"objectUrl": "s3://fruit/a.png", "title": "a.png"}, {"objectUrl": "s3://fruit/missing.png", "title": "gone"}]})
    browser.get(encord_server.url + "/_emulator/ui/upload-jobs")
    section = f"#job-{job['id']}"
    assert browser.find_element(By.CSS_SELECTOR, f"{section} .job-status").text == "PENDING"
    encord_server.advance_job(job["id"])
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, f"{section} .job-status").text == "DONE")  # no reload
    states = [e.text for e in browser.find_elements(By.CSS_SELECTOR, f"{section} .unit-state")]
    assert states == ["done", "error"]
    assert "missing.png" in browser.find_element(By.CSS_SELECTOR, f"{section} .unit-error:not(:empty)").text


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


TOKEN = "dashboard-token"


@pytest.mark.encord_emulator(control_token=TOKEN)
def test_with_a_control_token_the_dashboard_asks_for_it_once(encord_server, browser):
    ui = encord_server.url + "/_emulator/ui"
    try:
        browser.get(ui + "/projects")
        assert browser.current_url == ui + "/login"
        browser.find_element(By.ID, "token").send_keys("not-it")
        browser.find_element(By.ID, "login").click()
        assert browser.find_element(By.ID, "refused").text == "That is not this emulator's control token."
        browser.find_element(By.ID, "token").send_keys(TOKEN)
        browser.find_element(By.ID, "login").click()
        browser.get(ui + "/projects")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Projects"
        assert requests.get(ui + "/projects", allow_redirects=False, timeout=10).status_code == 302  # not without it
    finally:
        browser.delete_all_cookies()
