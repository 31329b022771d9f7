// @ts-check
// The printable power of attorney (위임장): one A4 page made on the phone, nothing sent.
//
// The page is drawn on a <canvas> with the phone's own fonts (every phone renders Korean),
// exported as JPEG and wrapped in a minimal one-page PDF written by hand: an image XObject
// with /DCTDecode, which every PDF viewer and printer takes. No library, no network; the
// result is a Blob the citizen opens, prints or shares, and it is gone with the page.

const A4 = { w: 595.28, h: 841.89 }; // PDF points
const DPI = 150;
const PX = { w: Math.round((A4.w / 72) * DPI), h: Math.round((A4.h / 72) * DPI) }; // 1240 x 1754

const FONT = '"Pretendard GOV", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif';

/** Wrap `text` to lines of at most `width` pixels (Korean breaks anywhere, words kept when they fit). */
function wrap(ctx, text, width) {
  const lines = [];
  for (const para of String(text).split("\n")) {
    let line = "";
    for (const ch of Array.from(para)) {
      if (ctx.measureText(line + ch).width > width && line) {
        const cut = line.lastIndexOf(" ");
        if (cut > 0 && ch !== " ") { lines.push(line.slice(0, cut)); line = line.slice(cut + 1) + ch; } else { lines.push(line); line = ch === " " ? "" : ch; }
      } else line += ch;
    }
    lines.push(line);
  }
  return lines;
}

/** Draw the 위임장 on a new canvas. `data`: {principal, agent, tasks, date, notes}; each person
 *  {name, birth, address, phone, relation}. */
export function drawPowerOfAttorney(data) {
  const canvas = document.createElement("canvas");
  canvas.width = PX.w;
  canvas.height = PX.h;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, PX.w, PX.h);
  ctx.fillStyle = "#000";
  ctx.strokeStyle = "#000";
  ctx.textBaseline = "top";
  const M = 110; // margin
  const W = PX.w - 2 * M;
  let y = 120;
  const font = (size, bold = false) => { ctx.font = `${bold ? 700 : 400} ${size}px ${FONT}`; };

  font(64, true);
  const title = "위   임   장";
  ctx.fillText(title, (PX.w - ctx.measureText(title).width) / 2, y);
  y += 130;

  const LABEL = 250;
  const table = (heading, rows) => {
    font(34, true);
    ctx.fillText(heading, M, y);
    y += 56;
    const top = y;
    font(30);
    for (const [label, value] of rows) {
      const lines = wrap(ctx, value || "", W - LABEL - 30);
      const h = Math.max(1, lines.length) * 42 + 24;
      ctx.fillStyle = "#f2f2f2";
      ctx.fillRect(M, y, LABEL, h);
      ctx.fillStyle = "#000";
      font(30, true);
      ctx.fillText(label, M + 16, y + 12);
      font(30);
      lines.forEach((l, i) => ctx.fillText(l, M + LABEL + 16, y + 12 + i * 42));
      ctx.strokeRect(M, y, W, h);
      ctx.beginPath(); ctx.moveTo(M + LABEL, y); ctx.lineTo(M + LABEL, y + h); ctx.stroke();
      y += h;
    }
    ctx.lineWidth = 3;
    ctx.strokeRect(M, top, W, y - top);
    ctx.lineWidth = 1;
    y += 40;
  };
  const p = data.principal;
  const a = data.agent;
  table("위임하는 분 (위임인)", [["성명", p.name], ["생년월일", p.birth], ["주소", p.address], ["전화번호", p.phone]]);
  table("위임받는 분 (수임인)", [["성명", a.name], ["생년월일", a.birth], ["위임인과의 관계", a.relation], ["전화번호", a.phone]]);

  font(32);
  for (const l of wrap(ctx, "위임인은 위 수임인에게 아래 민원의 신청과 수령에 관한 권한을 위임합니다.", W)) { ctx.fillText(l, M, y); y += 46; }
  y += 10;
  font(32, true);
  ctx.fillText("위임하는 민원", M, y);
  y += 52;
  font(30);
  data.tasks.forEach((task, i) => {
    for (const [k, l] of wrap(ctx, `${i + 1}. ${task}`, W - 30).entries()) { ctx.fillText(l, M + (k ? 50 : 20), y); y += 44; }
  });
  y += 50;
  font(32);
  const dateW = ctx.measureText(data.date).width;
  ctx.fillText(data.date, (PX.w - dateW) / 2, y);
  y += 100;
  font(34);
  const signLabel = `위임인   ${p.name}`;
  const sx = PX.w - M - 300 - ctx.measureText(signLabel).width - 40;
  ctx.fillText(signLabel, sx, y + 30);
  ctx.lineWidth = 2;
  ctx.strokeRect(PX.w - M - 300, y, 300, 110);
  ctx.lineWidth = 1;
  font(24);
  ctx.fillStyle = "#666";
  ctx.fillText("(서명 또는 인)", PX.w - M - 300 + 70, y + 40);
  ctx.fillStyle = "#000";
  y += 170;
  font(26);
  for (const note of data.notes) for (const l of wrap(ctx, `※ ${note}`, W)) { ctx.fillText(l, M, y); y += 38; }
  return canvas;
}

const enc = new TextEncoder();

/** A one-page A4 PDF showing `jpeg` (bytes of a JPEG of `width` x `height` pixels) full page. */
export function jpegToPdf(jpeg, width, height) {
  const chunks = [];
  const offsets = [];
  let length = 0;
  const put = (part) => { const b = typeof part === "string" ? enc.encode(part) : part; chunks.push(b); length += b.length; };
  const obj = (n, body, stream) => {
    offsets[n] = length;
    put(`${n} 0 obj\n${body}\n`);
    if (stream) { put("stream\n"); put(stream); put("\nendstream\n"); }
    put("endobj\n");
  };
  put("%PDF-1.4\n");
  const content = enc.encode(`q ${A4.w} 0 0 ${A4.h} 0 0 cm /Im0 Do Q`);
  obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  obj(3, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${A4.w} ${A4.h}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>`);
  obj(4, `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>`, jpeg);
  obj(5, `<< /Length ${content.length} >>`, content);
  const xref = length;
  put(`xref\n0 6\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`);
  put(`trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** The 위임장 as a PDF Blob. */
export async function powerOfAttorneyPdf(data) {
  const canvas = drawPowerOfAttorney(data);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
  const jpeg = new Uint8Array(await blob.arrayBuffer());
  return new Blob([jpegToPdf(jpeg, canvas.width, canvas.height)], { type: "application/pdf" });
}
