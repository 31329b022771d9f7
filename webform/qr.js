// @ts-check
// One MW1 text -> one QR symbol image: alphanumeric mode, error correction level M,
// a white quiet zone of 4 modules, version 20 at most (spec section 6), black on
// white whatever the page's colour scheme.
//
// qrcode-generator defaults to byte mode: the mode is asked for explicitly, and the
// level is fixed at M (it never raises it by itself).

import qrcode from "./vendor/qrcode-generator.mjs";

export const QUIET_ZONE = 4;
export const MAX_VERSION = 20;

/** The module matrix of `text`: {size, version, dark(r, c)}. */
export function qrMatrix(text) {
  if (!/^[0-9A-Z $%*+\-./:]*$/.test(text)) throw new Error("not QR alphanumeric text");
  const qr = qrcode(0, "M");
  qr.addData(text, "Alphanumeric");
  qr.make();
  const size = qr.getModuleCount();
  const version = (size - 17) / 4;
  if (version > MAX_VERSION) throw new Error(`QR version ${version} > ${MAX_VERSION}`);
  return { size, version, dark: (r, c) => qr.isDark(r, c) };
}

/** A canvas with the symbol, `scale` pixels per module, quiet zone included. */
export function qrCanvas(text, scale) {
  const m = qrMatrix(text);
  const total = m.size + 2 * QUIET_ZONE;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = total * scale;
  const g = canvas.getContext("2d");
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = "#000000";
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) {
      if (m.dark(r, c)) g.fillRect((c + QUIET_ZONE) * scale, (r + QUIET_ZONE) * scale, scale, scale);
    }
  }
  return { canvas, modules: total, version: m.version };
}

/** A PNG data URL of the symbol for at most `cssWidth` CSS pixels on this screen: a whole
 *  number (4 or more) of screen pixels per module, so it is shown crisp, never resampled.
 *  `cssSize` is the size to show it at. */
export function qrDataUrl(text, cssWidth) {
  const { modules } = qrCanvas(text, 1);
  const dpr = Math.max(1, globalThis.devicePixelRatio || 1);
  const scale = Math.max(4, Math.floor((cssWidth * dpr) / modules));
  const { canvas, version } = qrCanvas(text, scale);
  return { url: canvas.toDataURL("image/png"), version, pixels: canvas.width, cssSize: canvas.width / dpr };
}
