"""The citizen's web form end to end, in a real headless Chromium at phone size.

Each test fills the page as a citizen would (labels, not selectors), presses
"QR 코드 만들기", screenshots every QR image on the page, decodes the
screenshots with zxing-cpp, and gives the texts to ``counter-app intake``:
the case database must hold exactly the values typed. The page may fetch
nothing but its own files, with GET, and no personal data in any URL.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from app.cli import main
from counter_app.examples import LONG_REQUEST, THREE_FORMS
from decoding.qrimage import read_qr_texts
from tests.records.support import KEY_PATH
from tests.webform.conftest import OFFICE

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# README screenshots and sizes: written to docs/ only when COUNTER_WEBFORM_SHOTS=1.
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "webform"

# What the forms ask of the applicant (the birth date is not asked: the RRN gives it).
APPLICANT = {
    "name": "김민원", "rrn": "9001011234568", "phone": "010-1234-5678",
    "address": {"postcode": "06750", "road": "서울특별시 서초구 남부순환로 2584", "detail": "101동 1203호"},
}
# ... and what the document carries: the birth date taken from the RRN.
APPLICANT_DOC = {**APPLICANT, "birth": "1990-01-01"}
# 정보공개 청구 also asks for the e-mail address (its answer can be sent there).
EMAIL = "minwon@example.kr"
DELEGATE = {"name": "이대리", "rrn": "8805051234561", "phone": "010-9876-5432", "relation": "배우자"}
DELEGATE_DOC = {**DELEGATE, "birth": "1988-05-05"}


class Phone:
    """One page of the form, with the requests it made."""

    def __init__(
        self, context: Any, url: str, *, no_compression_stream: bool = False, init_script: str = "",
        wait: bool = True,
    ) -> None:
        self.page = context.new_page()
        self.url = url
        self.requests: list[Any] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        if no_compression_stream:
            self.page.add_init_script("delete window.CompressionStream; delete window.DecompressionStream;")
        if init_script:
            self.page.add_init_script(init_script)
        self.page.goto(url)
        if wait:
            self.page.get_by_role("heading", level=2, name="신청할 민원 고르기").wait_for()

    def close(self) -> None:
        self.page.close()

    def choose(self, *titles: str, proxy: bool = False) -> None:
        p = self.page
        if proxy:
            p.get_by_label("대리인이 신청합니다", exact=False).check()
        for title in titles:
            p.get_by_label(title, exact=True).check()
        p.get_by_role("button", name="다음", exact=True).click()
        p.get_by_role("heading", level=2, name="신청서 작성").wait_for()

    def person(self, legend: str, data: dict[str, Any]) -> None:
        g = self.page.get_by_role("group", name=legend, exact=True)
        labels = {"name": "성명", "rrn": "주민등록번호", "birth": "생년월일", "phone": "전화번호",
                  "email": "전자우편", "relation": "관계"}
        for key, label in labels.items():
            if key in data:
                g.get_by_label(label, exact=True).fill(data[key])
        if "address" in data:
            self.address(g.get_by_role("group", name="주소", exact=True), data["address"])

    @staticmethod
    def address(group: Any, a: dict[str, str]) -> None:
        group.get_by_label("우편번호", exact=True).fill(a["postcode"])
        group.get_by_label("도로명주소", exact=True).fill(a["road"])
        if "detail" in a:
            group.get_by_label("상세주소", exact=True).fill(a["detail"])

    def form(self, title: str) -> Any:
        return self.page.get_by_role("group", name=title, exact=True)

    def make_qr(self, *, confirm_rrn: bool = False) -> list[str]:
        """Press the last button; screenshot and decode every part (이전/다음). With
        ``confirm_rrn``, a resident number failing its check digit is asked about first
        (beside the button), and confirmed."""
        p = self.page
        p.get_by_role("button", name="QR 코드 만들기", exact=True).click()
        if confirm_rrn:
            ask = p.locator("#make-alert")
            assert "주민등록번호를 신분증과 한 번 더 비교해 주세요" in ask.inner_text()
            assert p.get_by_role("img", name="QR 코드 1/", exact=False).count() == 0
            ask.get_by_role("button", name="신분증과 같습니다").click()
        first = p.get_by_role("img", name="QR 코드 1/", exact=False)
        first.wait_for(timeout=15000)
        name = first.get_attribute("alt") or ""
        total = int(name.rsplit("/", 1)[1])
        texts = []
        for n in range(1, total + 1):
            img = p.get_by_role("img", name=f"QR 코드 {n}/{total}", exact=True)
            shot = _png_array(img.screenshot())
            found = read_qr_texts(shot)
            assert len(found) == 1, f"part {n}/{total}: {len(found)} symbols decoded"
            texts.append(found[0])
            _check_symbol(_data_url_array(img.get_attribute("src") or ""), found[0])
            if n < total:
                p.get_by_role("button", name="다음", exact=True).click()
        return texts

    def check_privacy(self) -> None:
        origin = urlsplit(self.url).netloc
        for r in self.requests:
            u = urlsplit(r.url)
            if u.scheme == "data":
                continue
            assert u.netloc == origin, f"request to another host: {r.url}"
            assert r.method == "GET", f"{r.method} {r.url}"
            assert not u.query and not u.fragment, r.url
            assert u.path in _SITE_PATHS, f"unexpected request {u.path}"
        assert not self.errors, self.errors
        stored = self.page.evaluate(
            "async () => [localStorage.length, sessionStorage.length, document.cookie,"
            " (await caches.keys()).length, (indexedDB.databases ? (await indexedDB.databases()).length : 0)]"
        )
        assert stored == [0, 0, "", 0, 0], f"something was stored: {stored}"

    def axe(self) -> list[dict[str, Any]]:
        """Serious or critical axe-core violations on the current page (and no stray
        "null"/"undefined"/"[object …]" text from a rendering slip)."""
        text = self.page.locator("main").inner_text()
        for slip in ("null", "undefined", "[object", "NaN"):
            assert slip not in text, f"{slip!r} shown on the page"
        if not AXE.is_file():
            pytest.fail(f"{AXE} missing: ./dev test installs axe-core (npm ci)")
        self.page.evaluate(AXE.read_text("utf-8"))
        result = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
        )
        return [v for v in result if v["impact"] in ("serious", "critical")]


_SITE_PATHS = {
    "/", "/index.html", "/style.css", "/app.js", "/mw1.js", "/compact.js", "/validate.js",
    "/limits.js", "/qr.js", "/poa.js",
    "/vendor/fflate.js", "/vendor/qrcode-generator.mjs", "/site.json", "/catalogue.json",
    "/fonts/PretendardGOV-Regular.woff2", "/fonts/PretendardGOV-Bold.woff2",
}


def _data_url_array(url: str) -> Any:
    import base64

    assert url.startswith("data:image/png;base64,"), url[:40]
    return _png_array(base64.b64decode(url.split(",", 1)[1]))


def _check_symbol(image: Any, text: str) -> None:
    """The image itself: level M, version <= 20 (so alphanumeric: byte mode would need
    more), black on white with a white quiet zone of exactly 4 modules, whole pixels a module."""
    import cv2
    import numpy as np
    import zxingcpp

    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    (found,) = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)
    assert found.text == text
    version = int(found.extra["Version"])
    assert found.ec_level == "M" and version <= 20, found.extra
    modules = 4 * version + 17 + 8
    scale, rest = divmod(gray.shape[1], modules)
    assert rest == 0 and scale >= 4 and gray.shape[0] == gray.shape[1]
    edge = 4 * scale
    border = [gray[:edge, :], gray[-edge:, :], gray[:, :edge], gray[:, -edge:]]
    assert all(b.min() == 255 for b in border), "the quiet zone is not white"
    assert gray[edge, edge] == 0 and set(np.unique(gray)) <= {0, 255}


def _png_array(data: bytes) -> Any:
    import cv2
    import numpy as np

    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


def _intake(tmp_path: Path, texts: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """``counter-app decode`` (the exact document) and ``intake`` + ``cases show`` (the case)."""
    qr = tmp_path / "qr.txt"
    qr.write_text("\n".join(texts) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["decode", "--key", str(KEY_PATH), str(qr)]) == 0
    decoded = json.loads(capsys.readouterr().out)["document"]
    db = f"sqlite:///{tmp_path / 'cases.db'}"
    files = ["--files", str(tmp_path / "files"), "--data-key", str(tmp_path / "data.key")]
    code = main(["intake", "--db", db, "--key", str(KEY_PATH), *files, "--office", OFFICE, str(qr)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["ok"], out
    assert main(["cases", "show", "--db", db, "--key", str(KEY_PATH), *files, out["case_number"], "--json"]) == 0
    case = json.loads(capsys.readouterr().out)["case"]
    assert case["document"]["forms"] == decoded["forms"]
    assert case["applicant"] == decoded["applicant"]["name"]
    rrn = decoded["applicant"].get("rrn")
    assert case["applicant_rrn"] == (f"{rrn[:6]}-{rrn[6]}******" if rrn else None)
    assert case["delegate"] == (decoded.get("delegate") or {}).get("name")
    assert case["forms"] == [f["code"] for f in decoded["forms"]]
    return decoded


def _payload_version(texts: list[str]) -> int:
    """The envelope's version byte (docs/payload-v2.md): the page makes version 2."""
    from decoding.base45 import b45decode

    first = b45decode(texts[0][4:]) if texts[0].startswith("MW1:") else next(
        raw[7:] for raw in (b45decode(t[4:]) for t in texts) if raw[5] == 1)
    return first[0]


def _same_person(got: dict[str, Any], typed: dict[str, Any]) -> None:
    assert got == typed


@pytest.fixture
def phone_page(phone: Any, site_url: str) -> Any:
    pages: list[Phone] = []

    def open_page(**kw: Any) -> Phone:
        pages.append(Phone(phone, site_url, **kw))
        return pages[-1]

    yield open_page
    for p in pages:
        p.close()


def test_one_certificate_request(phone_page: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ph = phone_page()
    assert ph.axe() == []
    fonts = ph.page.evaluate(
        "async () => { await document.fonts.ready;"
        " return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight); }"
    )
    assert sorted(f.replace('"', '') for f in fonts) == ['Pretendard GOV 400', 'Pretendard GOV 700'], fonts
    ph.page.screenshot(path=str(_shot("1-choose.png")))
    ph.page.get_by_label("민원 찾기").fill("등본")
    assert ph.page.get_by_label("주민등록표 열람·등본·초본 교부", exact=True).is_visible()
    assert not ph.page.get_by_label("여권 발급", exact=True).is_visible()
    ph.page.get_by_label("민원 찾기").fill("")
    ph.choose("주민등록표 열람·등본·초본 교부")
    # typed as people type: hyphenated, with a full-width keyboard's digits
    ph.person("신청인", {**APPLICANT, "rrn": "900101-１２３４５６８"})
    form = ph.form("주민등록표 열람·등본·초본 교부")
    form.get_by_role("group", name="신청 구분").get_by_label("등본", exact=True).check()
    form.get_by_label("통수", exact=True).fill("2")
    form.get_by_label("용도", exact=True).fill("은행 제출용")
    form.get_by_label("과거 주소 변동사항 포함", exact=True).check()
    # required_if: the scope is now required; the page says so before the counter would
    ph.page.get_by_role("button", name="QR 코드 만들기").click()
    alert = ph.page.locator("#error-summary")
    assert "과거 주소 범위: 필수 항목입니다" in alert.inner_text()
    ph.page.screenshot(path=str(_shot("2-findings.png")), full_page=False)
    form.get_by_role("group", name="과거 주소 범위").get_by_label("최근 5년").check()
    assert ph.axe() == []
    texts = ph.make_qr()
    assert len(texts) == 1 and texts[0].startswith("MW1:") and _payload_version(texts) == 2
    assert len(texts[0]) <= 480  # issue 23: QR version 13 at most
    assert ph.axe() == []
    ph.page.screenshot(path=str(_shot("3-qr.png")))
    doc = _intake(tmp_path, texts, capsys)
    _same_person(doc["applicant"], APPLICANT_DOC)
    assert doc["office"] == OFFICE and "delegate" not in doc
    assert doc["forms"] == [{"code": "RESIDENT_CERT_ISSUE", "ver": 1, "fields": {
        "cert_kind": "등본", "copies": 2, "purpose": "은행 제출용", "include_past_addresses": True,
        "past_address_scope": "최근 5년", "include_household_relation": False,
        "include_past_householders": False}}]
    assert doc["exp"] - doc["iat"] == 2 * 24 * 3600
    ph.check_privacy()
    _record_size("a", texts)


def _fill_three(ph: Phone) -> None:
    ph.choose("주민등록표 열람·등본·초본 교부", "가족관계등록부 증명서 교부", "정보공개 청구")
    ph.person("신청인", {**APPLICANT, "email": EMAIL})
    f = ph.form("주민등록표 열람·등본·초본 교부")
    f.get_by_role("group", name="신청 구분").get_by_label("초본", exact=True).check()
    f.get_by_label("통수", exact=True).fill("1")
    f.get_by_label("용도", exact=True).fill("회사 제출용")
    f = ph.form("가족관계등록부 증명서 교부")
    f.get_by_label("대상자와의 관계", exact=True).select_option("배우자")
    f.get_by_label("대상자 성명", exact=True).fill("박배우")
    f.get_by_label("증명서 종류", exact=True).select_option("혼인관계증명서")
    f.get_by_role("group", name="증명서 구분").get_by_label("상세", exact=True).check()
    f.get_by_label("통수", exact=True).fill("3")
    f.get_by_label("사용 목적", exact=True).fill("학교 제출용")
    f = ph.form("정보공개 청구")
    f.get_by_label("청구 내용", exact=True).fill(LONG_REQUEST)
    methods = f.get_by_role("group", name="공개 방법")
    methods.get_by_label("전자파일", exact=True).check()
    methods.get_by_label("사본·출력물", exact=True).check()
    f.get_by_label("수령 방법", exact=True).select_option("전자우편")




def test_three_forms_in_one_qr_set_with_parts(
    phone_page: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ph = phone_page()
    _fill_three(ph)
    ph.page.screenshot(path=str(_shot("4-three-forms.png")))
    texts = ph.make_qr()
    assert len(texts) >= 2 and all(t.startswith("MWP:") and len(t) <= 970 for t in texts)
    assert _payload_version(texts) == 2
    ph.page.screenshot(path=str(_shot("5-qr-parts.png")))
    assert ph.axe() == []
    doc = _intake(tmp_path, texts, capsys)
    _same_person(doc["applicant"], {**APPLICANT_DOC, "email": EMAIL})
    assert doc["forms"] == THREE_FORMS
    ph.check_privacy()
    _record_size("b", texts)


def test_proxy_application(phone_page: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ph = phone_page()
    # a form whose proxy rule forbids it is refused, with the catalogue's reason, before typing
    ph.page.get_by_label("대리인이 신청합니다", exact=False).check()
    ph.page.get_by_label("본인서명사실확인서 발급", exact=True).click()
    assert not ph.page.get_by_label("본인서명사실확인서 발급", exact=True).is_checked()
    # the reason shows under the box just tapped
    row = ph.page.locator(".form-choice", has=ph.page.get_by_label("본인서명사실확인서 발급", exact=True))
    assert "대리 신청을 할 수 없습니다" in row.locator(".refused").inner_text()
    ph.page.get_by_label("인감증명서 발급", exact=True).click()
    assert not ph.page.get_by_label("인감증명서 발급", exact=True).is_checked()
    ph.page.screenshot(path=str(_shot("6-proxy-refused.png")))
    ph.choose("주민등록표 열람·등본·초본 교부")
    applicant = APPLICANT
    # the father's block is named for who he is; the delegate is asked only what the form needs
    assert ph.page.get_by_role("group", name="신청인", exact=True).count() == 0
    ph.person("위임하는 분", applicant)
    delegate_group = ph.page.get_by_role("group", name="대리인", exact=True)
    assert delegate_group.get_by_label("전자우편", exact=True).count() == 0
    assert delegate_group.get_by_role("group", name="주소").count() == 0
    ph.person("대리인", DELEGATE)
    f = ph.form("주민등록표 열람·등본·초본 교부")
    f.get_by_role("group", name="신청 구분").get_by_label("초본", exact=True).check()
    f.get_by_label("통수", exact=True).fill("1")
    f.get_by_label("용도", exact=True).fill("회사 제출용")
    assert ph.axe() == []
    texts = ph.make_qr(confirm_rrn=True)  # the delegate's number fails the old check digit
    poa = ph.page.get_by_role("region", name="위임장", exact=False)
    assert "이대리" in poa.inner_text() and "주민등록표 열람·등본·초본 교부" in poa.inner_text()
    poa.screenshot(path=str(_shot("7-proxy-poa.png")))
    assert ph.axe() == []
    assert _payload_version(texts) == 2 and sum(map(len, texts)) <= 560
    doc = _intake(tmp_path, texts, capsys)
    _same_person(doc["applicant"], APPLICANT_DOC)
    _same_person(doc["delegate"], DELEGATE_DOC)
    assert doc["forms"][0]["fields"]["cert_kind"] == "초본"
    ph.check_privacy()
    _record_size("c", texts)


# Chrome 80-102 and iOS 16.0-16.3 have CompressionStream without 'deflate-raw'.
NO_DEFLATE_RAW = """
(() => { const Native = window.CompressionStream;
  window.CompressionStream = class extends Native {
    constructor(format) { if (format === 'deflate-raw') throw new TypeError('unsupported'); super(format); } };
})();"""


@pytest.mark.parametrize("older", ["no CompressionStream", "no deflate-raw"])
def test_without_compression_stream_the_fallback_deflates(
    phone_page: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], older: str
) -> None:
    if older == "no CompressionStream":
        ph = phone_page(no_compression_stream=True)
        assert ph.page.evaluate("typeof CompressionStream") == "undefined"
    else:
        ph = phone_page(init_script=NO_DEFLATE_RAW)
    assert ph.page.evaluate("document.body.dataset.deflate") == "fflate"
    _fill_three(ph)
    texts = ph.make_qr()
    doc = _intake(tmp_path, texts, capsys)
    assert doc["forms"] == THREE_FORMS
    ph.check_privacy()


def _shot(name: str) -> Path:
    folder = SHOTS if os.environ.get("COUNTER_WEBFORM_SHOTS") else Path(tempfile.gettempdir()) / "mw-webform-shots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


SIZES = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "webform" / "sizes.json"


def _record_size(case: str, texts: list[str]) -> None:
    """The measured payload sizes the README quotes (characters, parts)."""
    assert all(len(t) <= 970 for t in texts)
    if not os.environ.get("COUNTER_WEBFORM_SHOTS"):
        return
    sizes = json.loads(SIZES.read_text()) if SIZES.is_file() else {}
    sizes[case] = {"parts": len(texts), "characters": [len(t) for t in texts]}
    SIZES.write_text(json.dumps(sizes, indent=1, sort_keys=True) + "\n")


def test_demo_serves_its_form_and_the_saved_qr_images_are_scanned(
    phone: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], qtbot: Any
) -> None:
    """``counter-app demo --web``: the demo office's form encrypts to the demo key; the
    images saved with "이미지로 저장" go to DIR/web-qr, where Shift+F5 makes the demo's
    simulated scanner read them into the counter window."""
    from app.demo import DemoCounter
    from counter_app.demo import build_demo_site
    from counter_app.web import serve_in_thread

    folder = tmp_path / "demo"
    demo = DemoCounter(folder, sound=False, restore=False)
    site = build_demo_site(demo.kit.folder, demo.kit.public_key)
    server, url = serve_in_thread(site)
    saved: list[Path] = []
    try:
        ph = Phone(phone, url)
        _fill_three(ph)
        texts = ph.make_qr()
        downloads: list[Any] = []
        ph.page.on("download", lambda d: downloads.append(d))
        ph.page.get_by_role("button", name="이미지로 저장").click()
        for _ in range(100):
            if len(downloads) >= len(texts):
                break
            ph.page.wait_for_timeout(100)
        for d in downloads:
            target = folder / "web-qr" / d.suggested_filename
            d.save_as(str(target))
            saved.append(target)
        ph.close()
    finally:
        server.shutdown()
        server.server_close()
    assert len(saved) == len(texts) >= 2
    try:
        session = demo.parts.session
        assert demo.scan_web_images()
        qtbot.waitUntil(lambda: session.current is not None and not session.runner.pending, timeout=20000)
        assert [f.code for f in session.current.document.forms] == [f["code"] for f in THREE_FORMS]
        assert session.current.document.applicant.name == APPLICANT["name"]
    finally:
        demo.close()
    # a petition saved at home can also be read from its images at the command line
    db = f"sqlite:///{tmp_path / 'cases.db'}"
    files = ["--files", str(tmp_path / "files"), "--data-key", str(tmp_path / "data.key")]
    images = [a for p in saved for a in ("--image", str(p))]
    capsys.readouterr()
    code = main(["intake", "--db", db, "--key", str(demo.kit.private_key), *files, "--office", "3210000", *images])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["ok"], out


def test_below_the_floor_the_page_says_so_in_korean(phone_page: Any) -> None:
    """No WebCrypto (an old browser, or http:// on a LAN address): a clear Korean message."""
    ph = phone_page(init_script="Object.defineProperty(window.crypto, 'subtle', {value: undefined});", wait=False)
    alert = ph.page.get_by_role("alert")
    alert.wait_for()
    assert "이 브라우저에서는 암호화된 QR 코드를 만들 수 없습니다" in alert.inner_text()
    assert ph.page.get_by_role("button", name="다음").count() == 0


def test_a_district_site_lets_the_citizen_pick_or_the_url_name_the_office(
    phone: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from counter_app.web import build_site, serve_in_thread
    from tests.records.support import PUB_PATH

    site = tmp_path / "district"
    build_site(site, ["3210000=서초구청 민원실", "3210001=반포1동 주민센터"], [PUB_PATH])
    server, url = serve_in_thread(site)
    try:
        ph = Phone(phone, url)
        offices = ph.page.get_by_role("group", name="방문할 기관")
        ph.page.get_by_label("주민등록표 열람·등본·초본 교부", exact=True).check()
        ph.page.get_by_role("button", name="다음", exact=True).click()
        assert "방문할 기관을 골라 주세요" in ph.page.get_by_role("alert").inner_text()
        offices.get_by_label("반포1동 주민센터").check()
        ph.page.get_by_role("button", name="다음", exact=True).click()
        ph.person("신청인", APPLICANT)
        f = ph.form("주민등록표 열람·등본·초본 교부")
        f.get_by_role("group", name="신청 구분").get_by_label("등본", exact=True).check()
        f.get_by_label("통수", exact=True).fill("1")
        f.get_by_label("용도", exact=True).fill("제출용")
        doc = _intake(tmp_path, ph.make_qr(), capsys)
        assert doc["office"] == "3210001"
        ph.close()
        # a poster at one office's door carries ?office=CODE: no choice to make
        ph = Phone(phone, url + "?office=3210000")
        assert ph.page.get_by_role("group", name="방문할 기관").count() == 0
        assert "서초구청 민원실" in ph.page.locator("main").inner_text()
        ph.close()
    finally:
        server.shutdown()
        server.server_close()


def test_an_old_low_density_phone_gets_smaller_symbols(
    browser: Any, site_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """360x640 at one device pixel per CSS pixel, in dark mode: version 20 would be under 4
    pixels a module, so the page makes more, smaller parts (spec section 6), which still decode."""
    from tests.webform.browser import phone_context

    context = phone_context(browser, dark=True, viewport={"width": 360, "height": 640}, scale=1)
    try:
        ph = Phone(context, site_url)
        assert ph.page.evaluate("devicePixelRatio") == 1
        _fill_three(ph)
        texts = ph.make_qr()
        ph.page.locator("figure.qr").screenshot(path=str(_shot("8-old-phone-dark.png")))
        assert ph.axe() == []
        ph.check_privacy()
    finally:
        context.close()
    assert len(texts) >= 2 and all(len(t) <= 600 for t in texts)
    doc = _intake(tmp_path, texts, capsys)
    assert doc["forms"] == THREE_FORMS


def test_at_the_largest_text_the_qr_is_in_the_first_screen(phone_page: Any) -> None:
    ph = phone_page()
    for _ in range(8):
        ph.page.get_by_role("button", name="글자 크게").click()
    assert ph.page.evaluate("document.documentElement.style.fontSize") == "190%"
    ph.choose("주민등록표 열람·등본·초본 교부")
    ph.person("신청인", APPLICANT)
    f = ph.form("주민등록표 열람·등본·초본 교부")
    f.get_by_role("group", name="신청 구분").get_by_label("등본", exact=True).check()
    f.get_by_label("통수", exact=True).fill("1")
    f.get_by_label("용도", exact=True).fill("은행 제출용")
    ph.make_qr()
    ph.page.screenshot(path=str(_shot("9-largest-text-qr.png")))
    box = ph.page.evaluate(
        "(() => { const r = document.querySelector('figure.qr img').getBoundingClientRect();"
        " return [r.top, r.bottom, innerHeight, scrollY]; })()"
    )
    assert box[3] == 0 and box[1] <= box[2], f"the QR is below the first screen: {box}"
