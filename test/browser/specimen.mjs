// A specimen identity document for the phone flow's browser test, made by the test: an ICAO 9303 passport data page
// (TD3) for the person of the test's order, with a machine readable zone whose check digits are computed here and
// whose expiry lies five years ahead, drawn in Chromium on a canvas with the OCR-B font of Debian's fonts-ocr-b, and
// written as a YUV4MPEG2 file: Chromium's fake camera (--use-file-for-fake-video-capture) delivers its frame size.
// Not a test file (node --test runs *.test.mjs only).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

export const OCR_B = ['/usr/share/fonts/opentype/ocr-b/OCRB.otf', '/usr/share/fonts/truetype/ocr-b/OCRB.ttf']
  .find((f) => existsSync(f));

/** ICAO 9303 check digit: weights 7, 3, 1; digits their value, A–Z 10–35, < 0. */
export function checkDigit(field) {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    const v = c === '<' ? 0 : c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55;
    sum += v * weights[i % 3];
  }
  return String(sum % 10);
}

const pad = (s, n) => (s + '<'.repeat(n)).slice(0, n);
const yymmdd = (d) => d.toISOString().slice(2, 10).replace(/-/g, '');

/**
 * A TD3 zone (2 × 44) with every check digit right.
 * @param p { state, surname, givenNames: [..], number, nationality, birth: 'YYMMDD', sex, expiry: Date, personal }
 */
export function td3(p) {
  const line1 = pad(`P<${p.state}${p.surname}<<${p.givenNames.join('<')}`, 44);
  const number = pad(p.number, 9);
  const expiry = yymmdd(p.expiry);
  const personal = pad(p.personal || '', 14);
  const n = number + checkDigit(number);
  const b = p.birth + checkDigit(p.birth);
  const e = expiry + checkDigit(expiry);
  const o = personal + checkDigit(personal);
  const composite = checkDigit(n + b + e + o);
  const line2 = n + p.nationality + b + p.sex + e + o + composite;
  return [line1, line2];
}

/** Draws the data page in the browser page `page` at width × height; returns the pixels (RGBA). */
export async function render(page, { width, height, mrz, fields }) {
  const font = readFileSync(OCR_B).toString('base64');
  const rgba = await page.evaluate(async ({ width, height, mrz, fields, font }) => {
    const bytes = Uint8Array.from(atob(font), (c) => c.charCodeAt(0));
    const face = new FontFace('OCRB', bytes.buffer);
    await face.load();
    document.fonts.add(face);
    const canvas = document.createElement('canvas');
    canvas.width = width; canvas.height = height;
    const g = canvas.getContext('2d');
    const u = width / 1080; // drawn for 1080 wide, scaled
    g.scale(u, u);
    g.fillStyle = '#6e6e6e'; g.fillRect(0, 0, 1080, 1920); // a table under the document, not brighter than it
    // the data page, landscape, centred
    const x = 60, y = 620, w = 960, h = 680;
    g.fillStyle = '#efe9dc'; g.fillRect(x, y, w, h);
    g.fillStyle = '#c9d6e3'; g.fillRect(x, y, w, 70);
    g.fillStyle = '#1b2a4a'; g.font = 'bold 36px sans-serif'; g.fillText('PASSPORT · PASSEPORT · SPECIMEN', x + 30, y + 48);
    g.fillStyle = '#b7b0a0'; g.fillRect(x + 30, y + 100, 240, 300); // photo
    g.fillStyle = '#222'; g.font = '28px sans-serif';
    fields.forEach(([label, value], i) => {
      g.fillStyle = '#555'; g.font = '20px sans-serif'; g.fillText(label, x + 300, y + 110 + i * 62);
      g.fillStyle = '#111'; g.font = '30px OCRB'; g.fillText(value, x + 300, y + 140 + i * 62);
    });
    g.fillStyle = '#111'; g.font = '36px OCRB';
    mrz.forEach((line, i) => g.fillText(line, x + 20, y + 560 + i * 56, w - 40));
    const data = g.getImageData(0, 0, width, height).data;
    let s = '';
    for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode.apply(null, data.subarray(i, i + 0x8000));
    return btoa(s);
  }, { width, height, mrz, fields, font });
  return Buffer.from(rgba, 'base64');
}

/** Writes RGBA pixels as a YUV4MPEG2 file (4:2:0, full-range BT.601), `frames` identical frames. */
export function writeY4m(file, width, height, rgba, frames = 2) {
  const ySize = width * height;
  const cw = width / 2, ch = height / 2;
  const frame = Buffer.alloc(ySize + 2 * cw * ch);
  for (let i = 0; i < ySize; i++) {
    const r = rgba[i * 4], g = rgba[i * 4 + 1], b = rgba[i * 4 + 2];
    frame[i] = Math.max(0, Math.min(255, Math.round(0.299 * r + 0.587 * g + 0.114 * b)));
  }
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const i = ((cy * 2 + dy) * width + cx * 2 + dx) * 4;
        r += rgba[i]; g += rgba[i + 1]; b += rgba[i + 2];
      }
      r /= 4; g /= 4; b /= 4;
      const k = cy * cw + cx;
      frame[ySize + k] = Math.max(0, Math.min(255, Math.round(-0.168736 * r - 0.331264 * g + 0.5 * b + 128)));
      frame[ySize + cw * ch + k] = Math.max(0, Math.min(255, Math.round(0.5 * r - 0.418688 * g - 0.081312 * b + 128)));
    }
  }
  const parts = [Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`, 'ascii')];
  for (let f = 0; f < frames; f++) parts.push(Buffer.from('FRAME\n', 'ascii'), frame);
  writeFileSync(file, Buffer.concat(parts));
}
