"""Demo material made by the program itself: a key pair, sample petitions as QR
texts, supporting-document pages and seal impressions (no downloads).

``counter-app demo`` and its self-test, the window tests and ``counter-app
screenshot`` use it. Each sample is the QR text(s) a phone would show; the
simulated scanner (``fake:`` source) replays them. The samples cover several
forms, a proxy application, a multi-part payload, one with findings for the
clerk (a resident registration number whose legacy check digit fails, a
warning) and a bad one (a damaged QR, refused as ``MW_DECRYPT``). The
document camera (실물화상기) is a photo of a page lying askew on a desk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from decoding.base45 import b45decode, b45encode
from decoding.forms.catalogue import Catalogue
from decoding.forms.model import FieldDef
from decoding.keys import generate_keypair, load_public_key
from decoding.payload import encode, make_document
from resources import FONTS_DIR

APPLICANT = {
    "name": "김민원",
    "rrn": "9001011234568",
    "birth": "1990-01-01",
    "phone": "010-1234-5678",
    "email": "minwon@example.kr",
    "address": {"postcode": "06750", "road": "서울특별시 서초구 남부순환로 2584", "detail": "101동 1203호"},
}
DELEGATE = {
    "name": "이대리",
    "rrn": "8805051234561",
    "birth": "1988-05-05",
    "phone": "010-9876-5432",
    "relation": "배우자",
}
# Legacy check digit fails (numbers issued since 2020-10 have none): a warning.
APPLICANT_NEW_RRN = dict(APPLICANT, name="박신규", rrn="9203152345671", birth="1992-03-15")

INFO_REQUEST = (
    "서초구청 민원실의 2025년도 전자민원서식 작성시스템 도입 및 운영에 관한 다음 자료의 공개를 "
    "청구합니다. 1) 시스템 구축 계약서 및 과업지시서 사본, 2) 창구별 월간 이용 건수와 평균 대기 "
    "시간 통계(2024년 5월부터 2025년 12월까지), 3) 개인정보 영향평가 결과 요약본, 4) 도장스캐너 "
    "도입 수량과 설치 창구 목록, 5) 종이 서식 인쇄비 절감액 산정 근거 자료. "
) * 3


@dataclass(frozen=True)
class Sample:
    name: str
    title_ko: str
    texts: list[str]
    good: bool  # accepted by the self-test
    expect_error: str = ""  # MW_* code of a refused sample


def _fill(fd: FieldDef) -> Any:
    """A plausible value for a required field no sample sets by hand."""
    if fd.choices:
        return [fd.choices[0]] if fd.type == "multichoice" else fd.choices[0]
    return {
        "text": "예시", "longtext": "예시 내용입니다.", "integer": max(1, int(fd.min or 1)),
        "decimal": max(1.0, float(fd.min or 1)), "money": 10000, "boolean": True,
        "date": "2026-12-01", "phone": "02-2155-6114", "email": "demo@example.kr",
        "postcode": "06750", "address": dict(APPLICANT["address"]),  # type: ignore[arg-type]
        "rrn": "9001011234568", "frn": "9001015234564", "brn": "2208162517",
        "crn": "1301110006246", "mail_order_no": "제2026-서울서초-0001호",
    }.get(fd.type, "예시")


def form_entry(catalogue: Catalogue, code: str, fields: dict[str, Any]) -> dict[str, Any]:
    fd = catalogue.get(code)
    if fd is None:
        raise KeyError(f"form {code} not in the catalogue")
    out = dict(fields)
    for f in fd.fields:
        if f.required and not f.source and f.id not in out:
            out[f.id] = _fill(f)
    return {"code": fd.code, "ver": fd.ver, "fields": out}


def sample_documents(catalogue: Catalogue, now: int | None = None) -> list[tuple[str, str, dict[str, Any], int | None, bool]]:
    """(name, title, document, parts, good) for the demo's petitions."""
    c = catalogue
    docs = [
        ("resident-copy", "주민등록표 등본 교부", make_document(APPLICANT, [form_entry(c, "RESIDENT_CERT_ISSUE", {
            "cert_kind": "등본", "copies": 2, "purpose": "은행 제출용"})], now=now), None, True),
        ("mail-order", "통신판매업 신고", make_document(APPLICANT, [form_entry(c, "MAIL_ORDER_REPORT", {
            "company_name": "서초상회", "business_reg_no": "2208162517",
            "domain": "seocho-shop.example.kr", "sales_channels": ["인터넷"],
            "goods": "생활용품"})], now=now), None, True),
        ("proxy-resident-copy", "주민등록표 초본 (대리 신청)", make_document(APPLICANT, [form_entry(
            c, "RESIDENT_CERT_ISSUE", {"cert_kind": "초본", "copies": 1, "purpose": "회사 제출용"})],
            delegate=DELEGATE, now=now), None, True),
        ("info-request-3parts", "정보공개 청구 (여러 장 QR)", make_document(APPLICANT, [form_entry(
            c, "INFO_DISCLOSURE_REQUEST", {"subject": INFO_REQUEST, "disclosure_method": ["전자파일"],
                                           "receipt_method": "전자우편"})], now=now), 3, True),
        ("family-cert-warning", "가족관계증명서 (경고 있음)", make_document(APPLICANT_NEW_RRN, [form_entry(
            c, "FAMILY_CERT_ISSUE", {"target_relation": "본인", "cert_kind": "가족관계증명서",
                                     "detail_level": "일반", "copies": 1, "purpose": "학교 제출용"})],
            now=now), None, True),
    ]
    return docs


def damaged(text: str) -> str:
    """The same QR text with one ciphertext byte changed: refused as MW_DECRYPT."""
    raw = bytearray(b45decode(text[4:]))
    raw[-5] ^= 0x55
    return text[:4] + b45encode(bytes(raw))


@dataclass(frozen=True)
class DemoKit:
    folder: Path
    private_key: Path
    public_key: Path
    samples: list[Sample]
    pages: list[Path]
    seals: list[Path]
    seal_photos: dict[str, Path] = field(default_factory=dict)
    document_camera: Path | None = None  # what the simulated document camera sees

    def sample(self, name: str) -> Sample:
        return next(s for s in self.samples if s.name == name)


def make_samples(catalogue: Catalogue, public_key_path: Path, now: int | None = None) -> list[Sample]:
    pub = load_public_key(public_key_path)
    out = []
    for name, title, doc, parts, good in sample_documents(catalogue, now):
        out.append(Sample(name, title, encode(doc, pub, parts=parts), good))
    bad_doc = make_document(APPLICANT, [form_entry(catalogue, "RESIDENT_CERT_ISSUE", {
        "cert_kind": "등본", "copies": 1, "purpose": "확인용"})], now=now)
    out.append(Sample("damaged", "손상된 QR", [damaged(encode(bad_doc, pub)[0])], False, "MW_DECRYPT"))
    return out


def another_citizens(catalogue: Catalogue, public_key_path: Path, name: str, parts: int | None = None
                     ) -> list[str]:
    """Sample ``name`` as another citizen's phone makes it: a document of its own (a new payload
    id, not the kit's QR again), in ``parts`` parts."""
    doc = next(d for n, _t, d, _p, _g in sample_documents(catalogue) if n == name)
    return encode(doc, load_public_key(public_key_path), parts=parts)


def _font(size: int, bold: bool = False) -> Any:
    from PIL import ImageFont

    name = "PretendardGOV-Bold.otf" if bold else "PretendardGOV-Regular.otf"
    try:
        return ImageFont.truetype(str(FONTS_DIR / name), size)
    except OSError:
        return ImageFont.load_default()


def make_page(path: Path, title: str, lines: list[str]) -> Path:
    """An A4 page at 100 dpi (827x1169) that looks like a scanned supporting document."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (827, 1169), (250, 249, 245))
    d = ImageDraw.Draw(img)
    d.rectangle((40, 40, 787, 1129), outline=(60, 60, 60), width=3)
    d.text((413, 110), title, fill=(20, 20, 20), font=_font(44, bold=True), anchor="mm")
    y = 200
    for line in lines:
        d.text((80, y), line, fill=(40, 40, 40), font=_font(24))
        y += 44
    for i in range(12):
        d.line((80, 760 + i * 28, 747, 760 + i * 28), fill=(200, 200, 200), width=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)
    return path


def make_seal(path: Path, name: str) -> Path:
    """A red round seal impression with the name, on transparent background (256x256)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red = (200, 30, 30, 235)
    d.ellipse((12, 12, 244, 244), outline=red, width=12)
    chars = [*name[:3], "인"] if len(name) <= 3 else list(name[:4])
    pos = [(170, 85), (170, 171), (86, 85), (86, 171)]
    for ch, (x, y) in zip(chars, pos, strict=False):
        d.text((x, y), ch, fill=red, font=_font(78, bold=True), anchor="mm")
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)
    return path


def build_demo(folder: Path, catalogue: Catalogue, now: int | None = None) -> DemoKit:
    """Create (or refresh) the demo folder: keys once, fresh samples every time."""
    folder.mkdir(parents=True, exist_ok=True)
    keys = folder / "keys"
    priv, pub = keys / "office.pem", keys / "office.pub.pem"
    if not priv.exists():
        generate_keypair(keys)
    samples = make_samples(catalogue, pub, now)
    sdir = folder / "samples"
    sdir.mkdir(exist_ok=True)
    for s in samples:
        (sdir / f"{s.name}.txt").write_text("\n".join(s.texts) + "\n", encoding="utf-8")
    (sdir / "index.json").write_text(json.dumps(
        [{"name": s.name, "title_ko": s.title_ko, "parts": len(s.texts), "good": s.good,
          "expect_error": s.expect_error} for s in samples], ensure_ascii=False, indent=1),
        encoding="utf-8")
    pages = [
        make_page(folder / "pages" / "id-card.png", "주민등록증 사본",
                  ["성명: 김민원", "주민등록번호: 900101-1******", "주소: 서울특별시 서초구 남부순환로 2584",
                   "발급일: 2019-03-02", "서울특별시 서초구청장"]),
        make_page(folder / "pages" / "poa.png", "위 임 장",
                  ["위임인: 김민원 (900101-1******)", "수임인: 이대리 (배우자)",
                   "위임 업무: 주민등록표 초본 교부", "2026년  월  일", "위임인 김민원 (인)"]),
        make_page(folder / "pages" / "delegate-id.png", "운전면허증 사본",
                  ["성명: 이대리", "면허번호: 11-**-******-**", "적성검사: 2030-12-31"]),
    ]
    seals = [make_seal(folder / "seals" / "kim.png", "김민원"),
             make_seal(folder / "seals" / "park.png", "박신규")]
    photos = seal_photos(folder / "seal-scanner")
    desk = document_camera_photo(folder / "document-camera" / "desk.jpg")
    return DemoKit(folder, priv, pub, samples, pages, seals, photos, desk)


def document_camera_photo(path: Path) -> Path:
    """The document camera's view: a page on a desk at an angle (made by
    :mod:`drivers.simulate`); the demo's F7 finds and straightens it through the
    real :func:`drivers.documents.page_from_frame`."""
    import cv2

    from drivers.simulate import document_photo

    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        frame, _corners = document_photo(seed=7)
        ok, data = cv2.imencode(".jpg", frame)
        if ok:
            path.write_bytes(data.tobytes())
    return path


def seal_photos(folder: Path) -> dict[str, Path]:
    """Photos of paper with a seal impression, as the seal scanner's camera sees them
    (made by :mod:`drivers.simulate`), one per demo applicant: the demo's seal key
    runs them through the real extraction (:func:`drivers.seal.capture`)."""
    import cv2

    from drivers.simulate import seal_impression

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for n, name in enumerate(("김민원", "박신규")):
        path = folder / f"{n + 1}.jpg"
        if not path.exists():
            ok, data = cv2.imencode(".jpg", seal_impression("clear", name, seed=n))
            if ok:
                path.write_bytes(data.tobytes())
        out[name] = path
    return out


DEMO_OFFICE = "3210000"  # the demo counter's office (app.demo.OFFICE)


def build_demo_site(folder: Path, public_key: Path, office: str = DEMO_OFFICE) -> Path:
    """The citizen's web form for the demo office, encrypting to the demo key (``DIR/web``).

    Its saved QR images go into ``DIR/web-qr``, which the demo's simulated scanner reads."""
    from counter_app.web import build_site

    (folder / "web-qr").mkdir(parents=True, exist_ok=True)
    out = folder / "web"
    build_site(out, [f"{office}=데모 민원실"], [public_key])
    return out
