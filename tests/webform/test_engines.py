"""The citizen's form end to end in the three browser engines: Chromium, WebKit, Firefox ESR.

The three README petitions (one certificate; three forms in a set of QR parts; a proxy
application with the printable 위임장), plus Back/Forward between the steps, a name typed
in decomposed Hangul reaching the counter as NFC, and search by everyday names. Each run
fills the page by its labels with the engine's own key events, screenshots the QR,
decodes it with zxing-cpp, gives it to ``counter-app intake`` and compares the case.
One browser per engine for the module (start-up is the expensive part).
"""

from __future__ import annotations

import base64
import os
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from decoding.qrimage import read_qr_texts
from tests.webform.engines import ENGINES, Page, PlaywrightPage, missing, selenium_pages
from tests.webform.test_e2e import (
    APPLICANT,
    APPLICANT_DOC,
    AXE,
    DELEGATE,
    DELEGATE_DOC,
    EMAIL,
    LONG_REQUEST,
    SHOTS,
    THREE_FORMS,
    _intake,
    _png_array,
)

RESIDENT = "주민등록표 열람·등본·초본 교부"
FAMILY = "가족관계등록부 증명서 교부"
INFO = "정보공개 청구"
PROXY = "대리인이 신청합니다 (다른 사람의 민원을 대신 신청)"
SITE_FILES = {
    "/", "/index.html", "/style.css", "/app.js", "/mw1.js", "/compact.js", "/validate.js",
    "/limits.js", "/qr.js", "/poa.js",
    "/site.json", "/catalogue.json", "/fonts/PretendardGOV-Regular.woff2", "/fonts/PretendardGOV-Bold.woff2",
    "/vendor/qrcode-generator.mjs",
    # payload version 2 deflates with the catalogue's preset dictionary, which
    # CompressionStream cannot take: fflate is loaded when the QR is made (not with the page)
    "/vendor/fflate.js",
}


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A factory of pages in one browser of the engine, for the whole module."""
    name = request.param
    why = missing(name)
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the web form in {name}: {why} is missing")
        pytest.skip(f"{name}: {why} is needed (./dev test installs it)")
    if name == "chromium":
        from tests.webform.browser import phone_context

        context = phone_context(request.getfixturevalue("browser"), scale=1)
        try:
            yield lambda: PlaywrightPage(context)
        finally:
            context.close()
    else:
        with selenium_pages(name) as pages:
            yield pages


@pytest.fixture
def page(engine: Any, site_url: str) -> Iterator[Page]:
    p = engine()
    p.goto(site_url)
    p.wait("document.getElementById('to-fill')")
    try:
        yield p
    finally:
        p.close()


def _shot(p: Page, name: str) -> None:
    folder = SHOTS / "engines" if os.environ.get("COUNTER_WEBFORM_SHOTS") else Path(tempfile.gettempdir()) / "mw-engines"
    folder.mkdir(parents=True, exist_ok=True)
    p.screenshot(folder / f"{p.engine}-{name}.png")


def _visible_forms(p: Page) -> list[str]:
    return list(p.js(
        "return [...document.querySelectorAll('.form-choice')].filter((r) => r.offsetParent !== null)"
        ".map((r) => r.querySelector('label').textContent);"
    ))


def _in_view(p: Page, css: str) -> bool:
    return bool(p.js(
        "const r = document.querySelector(args[0]).getBoundingClientRect();"
        "return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight;", css,
    ))


def _person(p: Page, legend: str, data: dict[str, Any]) -> None:
    labels = {"name": "성명", "rrn": "주민등록번호", "phone": "전화번호", "email": "전자우편", "relation": "관계"}
    for key, label in labels.items():
        if key in data:
            p.fill([legend], label, data[key])
    if "address" in data:
        a = data["address"]
        p.fill([legend, "주소"], "우편번호", a["postcode"])
        p.fill([legend, "주소"], "도로명주소", a["road"])
        p.fill([legend, "주소"], "상세주소", a["detail"])


def _make_qr(p: Page, *, confirm_rrn: bool = False) -> list[str]:
    """Press "QR 코드 만들기"; screenshot every part as shown and decode it."""
    p.press("QR 코드 만들기")
    if confirm_rrn:
        p.wait("!document.getElementById('make-alert').hidden")
        assert "주민등록번호를 신분증과 한 번 더" in p.text("#make-alert")
        assert _in_view(p, "#make-alert")
        p.press("신분증과 같습니다", "#make-alert")
    alt = str(p.wait("document.querySelector('figure.qr img') && document.querySelector('figure.qr img').alt"))
    total = int(alt.rsplit("/", 1)[1])
    texts = []
    for n in range(1, total + 1):
        p.wait(f"document.querySelector('figure.qr img').alt.endsWith(' {n}/{total}')")
        png = p.element_png("figure.qr img")
        found = read_qr_texts(_png_array(png))
        if len(found) != 1:
            seen = Path(tempfile.gettempdir()) / f"mw-engines-{p.engine}-part{n}.png"
            seen.write_bytes(png)
            pytest.fail(f"{p.engine}: part {n}/{total}: {len(found)} symbols decoded (image: {seen})")
        texts.append(found[0])
        if n < total:
            p.press("다음", "figure.qr")
    return texts


def _privacy(p: Page, origin: str) -> None:
    """Only the site's own files were fetched (resource timing names every fetch, also to
    another host) and nothing was stored."""
    urls = p.js("return [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)];")
    from urllib.parse import urlsplit

    for url in urls:
        u = urlsplit(url)
        if u.scheme in ("data", "blob"):
            continue
        assert u.netloc == origin and not u.query and not u.fragment, f"{p.engine}: {url}"
        assert u.path in SITE_FILES, f"{p.engine}: unexpected request {u.path}"
    stored = p.js_async(
        "return [localStorage.length, sessionStorage.length, document.cookie, (await caches.keys()).length,"
        " indexedDB.databases ? (await indexedDB.databases()).length : 0];"
    )
    assert stored == [0, 0, "", 0, 0], f"{p.engine}: something was stored: {stored}"


def _axe(p: Page) -> list[Any]:
    p.js(AXE.read_text("utf-8") + "; return 1;")
    result = p.js_async(
        "return (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id + ': ' + v.nodes[0].target);"
    )
    return list(result)


def test_certificate_search_history_and_nfd_name(
    page: Page, site_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = page
    _shot(p, "1-choose")
    assert p.js("return document.querySelector('fieldset.category legend').textContent;") == "자주 찾는 민원"
    # the words people use, with or without spaces
    for word, title in [("가족관계증명서", FAMILY), ("주민등록 등본", RESIDENT), ("등초본", RESIDENT),
                        ("초본", RESIDENT), ("인감", "인감증명서 발급"), ("전입", "전입신고")]:
        p.fill([], "민원 찾기", word)
        assert title in _visible_forms(p), f"{p.engine}: {word!r} does not find {title}"
    p.fill([], "민원 찾기", "운전면허 갱신")
    assert _visible_forms(p) == []
    assert "찾은 민원이 없습니다" in p.text(".nomatch") and "가족관계증명서" in p.text(".nomatch")
    _shot(p, "2-no-match")
    assert _axe(p) == []
    p.press("검색어 지우고")
    assert len(_visible_forms(p)) > 20
    # 다음 with nothing chosen: the message shows where the finger is
    p.press("다음")
    assert "민원을 하나 이상 골라 주세요" in p.text("#choose-alert") and _in_view(p, "#choose-alert")
    p.fill([], "민원 찾기", "등본")
    p.check([], RESIDENT)
    p.press("다음")
    assert "신청서 작성" in p.heading()
    # Back is a step back (the choice kept); Forward comes again
    p.back()
    p.wait("document.querySelector('h2').textContent.includes('고르기')")
    assert p.js("return [...document.querySelectorAll('.form-choice input:checked')].length;") == 1
    p.forward()
    p.wait("document.querySelector('h2').textContent.includes('신청서 작성')")
    # a name pasted in decomposed Hangul, with stray spaces; a dotted phone number
    nfd = unicodedata.normalize("NFD", APPLICANT["name"])
    _person(p, "신청인", {**APPLICANT, "name": f" {nfd}  ", "phone": "010.1234.5678", "rrn": "900101-1234568"})
    p.check([RESIDENT, "신청 구분"], "등본")
    p.fill([RESIDENT], "통수", "2")
    p.fill([RESIDENT], "용도", "  은행   제출용 ")
    texts = _make_qr(p)
    _shot(p, "3-qr")
    assert _in_view(p, "figure.qr img"), f"{p.engine}: the QR is not in the first screen"
    assert "800원" in p.text("#total-fee")  # 400원 a copy, 2 copies
    assert _axe(p) == []
    # Back from the QR: the filled form; Forward: the same QR again
    p.back()
    p.wait("document.querySelector('h2').textContent.includes('신청서 작성')")
    p.forward()
    p.wait("document.querySelector('figure.qr img')")
    _privacy(p, site_url.split("/")[2])
    doc = _intake(tmp_path, texts, capsys)
    assert doc["applicant"] == APPLICANT_DOC
    assert len(doc["applicant"]["name"]) == 3
    assert doc["forms"][0]["fields"]["purpose"] == "은행 제출용"
    assert doc["forms"][0]["fields"]["copies"] == 2


def test_three_forms_in_a_set_of_parts(page: Page, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = page
    for title in (RESIDENT, FAMILY, INFO):
        p.check([], title)
    p.press("다음")
    p.heading()
    _person(p, "신청인", {**APPLICANT, "email": EMAIL})
    p.check([RESIDENT, "신청 구분"], "초본")
    p.fill([RESIDENT], "통수", "1")
    p.fill([RESIDENT], "용도", "회사 제출용")
    p.select([FAMILY], "대상자와의 관계", "배우자")
    p.fill([FAMILY], "대상자 성명", "박배우")
    p.select([FAMILY], "증명서 종류", "혼인관계증명서")
    p.check([FAMILY, "증명서 구분"], "상세")
    p.fill([FAMILY], "통수", "3")
    p.fill([FAMILY], "사용 목적", "학교 제출용")
    p.fill([INFO], "청구 내용", LONG_REQUEST)
    p.check([INFO, "공개 방법"], "전자파일")
    p.check([INFO, "공개 방법"], "사본·출력물")
    p.select([INFO], "수령 방법", "전자우편")
    texts = _make_qr(p)
    assert len(texts) >= 2 and all(t.startswith("MWP:") for t in texts)
    _shot(p, "4-qr-parts")
    doc = _intake(tmp_path, texts, capsys)
    assert doc["applicant"] == {**APPLICANT_DOC, "email": EMAIL}
    assert doc["forms"] == THREE_FORMS


def test_proxy_with_the_printable_power_of_attorney(
    page: Page, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = page
    p.check([], PROXY)
    p.check([], "본인서명사실확인서 발급")
    assert "대리 신청을 할 수 없습니다" in p.text("main")
    p.check([], RESIDENT)
    p.press("다음")
    p.heading()
    legends = p.js("return [...document.querySelectorAll('fieldset.person > legend')].map((l) => l.textContent);")
    assert legends == ["위임하는 분", "대리인"]
    asked = p.js("return [...document.querySelectorAll('#person-delegate label')].map((l) => l.textContent);")
    assert asked == ["성명", "주민등록번호", "전화번호", "관계"], asked
    _person(p, "위임하는 분", APPLICANT)
    _person(p, "대리인", DELEGATE)
    assert _axe(p) == []
    p.check([RESIDENT, "신청 구분"], "초본")
    p.fill([RESIDENT], "통수", "1")
    p.fill([RESIDENT], "용도", "회사 제출용")
    texts = _make_qr(p, confirm_rrn=True)  # the delegate's number fails the old check digit
    poa = p.text("#poa")
    assert "이대리" in poa and RESIDENT in poa and "서명(또는 도장)한 위임장" in poa
    assert poa.index("위임인은 위 수임인에게 아래 민원") < poa.index(RESIDENT)
    p.press("위임장 PDF 만들기")
    p.wait("document.getElementById('poa-pdf')")
    pdf = base64.b64decode(p.js_async(
        "const r = await fetch(document.getElementById('poa-pdf').href); const b = new Uint8Array(await r.arrayBuffer());"
        " let s = ''; for (const x of b) s += String.fromCharCode(x); return btoa(s);"
    ))
    _check_poa_pdf(pdf, tmp_path, p.engine)
    _shot(p, "5-proxy-poa")
    doc = _intake(tmp_path, texts, capsys)
    assert doc["applicant"] == APPLICANT_DOC and doc["delegate"] == DELEGATE_DOC
    # 처음부터 다시 asks first
    p.press("처음부터 다시")
    p.wait("!document.getElementById('restart-confirm').hidden")
    p.press("취소", "#restart-confirm")
    assert p.js("return !!document.querySelector('figure.qr img');")
    p.press("처음부터 다시")
    p.press("지우고 처음부터", "#restart-confirm")
    p.wait("document.querySelector('h2').textContent.includes('고르기')")
    assert p.js("return document.querySelectorAll('input:checked').length;") == 0


def _check_poa_pdf(pdf: bytes, tmp_path: Path, engine: str) -> None:
    """One A4 page holding one JPEG drawn with text (not blank), readable by poppler."""
    import cv2
    import numpy as np

    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    path = tmp_path / "poa.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info and "595.28 x 841.89 pts (A4)" in info, info
    subprocess.run(["pdftoppm", "-r", "50", "-gray", "-png", str(path), str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    gray = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    dark = float(np.mean(gray < 128))
    assert 0.01 < dark < 0.3, f"the page is blank or black ({dark:.3f} dark)"
    if os.environ.get("COUNTER_WEBFORM_SHOTS"):
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(path),
                        str(SHOTS / "engines" / f"{engine}-6-poa-pdf")], check=True)


# One engine proves the page's message: the Firefox of these tests maps host names to loopback.
@pytest.mark.parametrize("engine", ["firefox"], indirect=True)
def test_over_plain_http_the_operator_is_told_and_the_paper_form_offered(engine: Any, site_url: str) -> None:
    """An insecure origin (a host name over http, not loopback): no WebCrypto. The page says it
    is the operator's mistake, not the citizen's, and points to the paper form."""
    p = engine()
    try:
        p.goto(site_url.replace("127.0.0.1", "minwon.test"))
        assert p.js("return window.isSecureContext;") is False
        p.wait("document.querySelector('[role=alert] h2')")
        alert = p.text("[role=alert]")
        assert "보안 연결(https)" in alert and "시민의 잘못이 아닙니다" in alert and "종이 신청서" in alert
        assert not p.js("return !!document.getElementById('to-fill');")
    finally:
        p.close()
