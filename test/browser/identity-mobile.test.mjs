// The phone flow of identity proofing (io.cachet.identity.mobile) in headless Chromium with a fake camera, against the
// real cachet.jar: an order whose two persons each get an identity link by e-mail. Anna's link opened on a computer
// shows a QR code and a short code; the short link opened on a phone (phone viewport, mobile browser, touch) walks
// the whole flow with a camera delivering 1080 × 1920 (a specimen passport drawn with OCR-B, its zone typed, a wrong
// check digit refused first) up to "with an operator". Bob's phone has a 720 × 1280 camera: the camera check stops
// with the message that says what to do. Screenshots in target/screenshots. Run: node --test test/browser/
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { startCachet, launchChromium, collectErrors, adminApiKey, outbox, until, shots, sizes } from './cachet.mjs';
import { td3, render, writeY4m, OCR_B } from './specimen.mjs';

const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const phone = { viewport: sizes.phone, userAgent: PHONE_UA, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const START = /(\/identity\/start\/[A-Za-z0-9_-]{20,})/;

let cachet, base, data, browser, key, cameras;

const expiry = new Date(Date.UTC(new Date().getUTCFullYear() + 5, 3, 15));
const zone = td3({ state: 'FRA', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], number: 'L898902C3',
  nationality: 'FRA', birth: '740812', sex: 'F', expiry, personal: 'ZE184226B' });

function order() {
  return {
    product: 'enterprise-plus', validityYears: 1, medium: 'cloud',
    certificateManager: { givenNames: 'Anna Maria', surname: 'Eriksson', birthDate: '1974-08-12', email: 'anna@mobile.example', mobile: '+33612345678' },
    legalRepresentative: { givenNames: 'Bob', surname: 'Martin', birthDate: '1968-02-03', email: 'bob@mobile.example', mobile: '+33698765432' },
    organisation: { name: 'Mobile SAS', country: 'FR', identifier: '552100554', vat: 'FR96552100554',
      address: { lines: ['1 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' } },
  };
}

/** The identity link e-mailed to `to`, on this server. */
async function identityLink(to) {
  let found = null;
  await until(`an identity e-mail to ${to}`, async () => {
    for (const m of await outbox(base, key, to)) {
      const hit = m.body.match(START);
      if (hit) { found = hit[1]; return true; }
    }
    return false;
  }, 60);
  return `${base}${found}`;
}

/** A Chromium whose fake camera films `file` (its frame size is the camera's resolution). */
function withCamera(file) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${file}`],
  });
}

describe('identity proofing on a phone, in Chromium with a fake camera', () => {
  before(async () => {
    assert.ok(OCR_B, 'the OCR-B font (Debian fonts-ocr-b) is installed');
    cachet = await startCachet('cachet-idmobile-');
    ({ base, data } = cachet);
    browser = await launchChromium();
    key = await adminApiKey(browser, base, data);
    // the cameras: the specimen passport filmed at 1080 × 1920 and at 720 × 1280
    cameras = mkdtempSync(join(tmpdir(), 'cachet-cameras-'));
    const page = await browser.newPage();
    const fields = [['Surname / Nom', 'ERIKSSON'], ['Given names / Prénoms', 'ANNA MARIA'], ['Date of birth', '12 AUG 1974'],
      ['Date of expiry', expiry.toISOString().slice(0, 10)]];
    for (const [w, h] of [[1080, 1920], [720, 1280]]) {
      writeY4m(join(cameras, `camera-${w}x${h}.y4m`), w, h, await render(page, { width: w, height: h, mrz: zone, fields }));
    }
    await page.close();
    const r = await fetch(`${base}/api/v1/orders`, { method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(order()) });
    assert.equal(r.status, 201, await r.text());
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
    if (cameras) rmSync(cameras, { recursive: true, force: true });
  });

  test('a computer gets a QR code and a short code; the phone walks the flow to the operator at 1080 × 1920', async () => {
    const link = await identityLink('anna@mobile.example');

    // on a computer: the QR code and the short code, nothing else
    const desktop = await browser.newPage({ viewport: sizes.desktop, locale: 'en-GB' });
    const desktopErrors = collectErrors(desktop);
    await desktop.goto(link);
    assert.match(new URL(desktop.url()).pathname, /^\/identity\/mobile\/[A-Za-z0-9_-]+$/);
    assert.equal(await desktop.locator('h1').innerText(), 'Continue on your phone');
    assert.equal(await desktop.locator('svg.qr path').count(), 1, 'a QR code drawn by the server');
    const code = await desktop.locator('#short-code').innerText();
    assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const shortUrl = await desktop.locator('#short-link').getAttribute('href');
    assert.equal(shortUrl, `${base}/identity/m/${code.replace('-', '')}`);
    await desktop.screenshot({ path: join(shots, 'identity-desktop-qr.png'), fullPage: true });
    assert.deepEqual(desktopErrors, [], 'no script or policy error');
    await desktop.close();

    // on the phone, with a 1080 × 1920 camera: the short code typed on /identity/m
    const cam = await withCamera(join(cameras, 'camera-1080x1920.y4m'));
    try {
      const context = await cam.newContext({ ...phone, locale: 'en-GB' });
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(`${base}/identity/m`);
      await page.getByLabel('Code shown on the computer').fill(code.toLowerCase());
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/\/identity\/mobile\/[A-Za-z0-9_-]+(\?|$)/);
      assert.equal(await page.locator('h1').innerText(), 'Prove your identity');
      const main = await page.locator('main').innerText();
      assert.match(main, /original identity document/);
      assert.match(main, /back-light/);
      assert.equal(await page.locator('a[href="/identity/documents"]').count(), 1);
      await page.screenshot({ path: join(shots, 'identity-phone-start.png'), fullPage: true });
      await page.getByLabel(/Passport/i).first().check();
      await page.getByRole('button', { name: 'Check my camera' }).click();
      await page.waitForURL(/\/capture\?type=/);

      await page.getByRole('button', { name: 'Start the camera' }).click();
      const status = page.locator('#camera-status');
      await until('the camera check', async () => /1080 × 1920 pixels: good/.test(await status.innerText()), 30);
      await until('the light measured', async () => (await page.locator('#light').innerText()) !== '', 30);
      assert.equal(await page.locator('#light').innerText(), 'Light: good.');
      assert.equal(await page.locator('#step-heading').innerText(), 'Front of the document');
      await page.screenshot({ path: join(shots, 'identity-phone-camera.png'), fullPage: true });

      await page.getByRole('button', { name: 'Take the photo' }).click();
      await until('the front received', async () => (await page.locator('#state-document-front').innerText()) === 'received', 60);
      await until('the selfie step', async () => (await page.locator('#step-heading').innerText()) === 'Your face', 30);
      assert.ok(await page.locator('#thumb-document-front').isVisible(), 'the photo taken is shown');
      assert.equal(await page.locator('#thumb-selfie').isVisible(), false, 'not before it is taken');
      await page.screenshot({ path: join(shots, 'identity-phone-selfie.png'), fullPage: true });
      await page.getByRole('button', { name: 'Take the photo' }).click();
      await until('the selfie received', async () => (await page.locator('#state-selfie').innerText()) === 'received', 60);
      const next = page.getByRole('link', { name: 'Continue: type the machine readable zone' });
      await until('the way to the zone', async () => next.isVisible(), 30);
      assert.equal(await page.locator('#upload-error').isVisible(), false);
      await page.screenshot({ path: join(shots, 'identity-phone-captured.png'), fullPage: true });
      await next.click();

      // the zone: a mistyped check digit first, then the right one
      assert.equal(await page.locator('h1').innerText(), 'Type the machine readable zone');
      const wrong = zone[1].slice(0, 19) + String((Number(zone[1][19]) + 1) % 10) + zone[1].slice(20);
      await page.getByLabel('Machine readable zone').fill(`${zone[0]}\n${wrong}`);
      await page.getByRole('button', { name: 'Check the zone' }).click();
      const error = await page.locator('[role=alert]').innerText();
      assert.match(error, /check digit/i);
      assert.match(error, /birth date/);
      await page.screenshot({ path: join(shots, 'identity-phone-mrz-error.png'), fullPage: true });
      await page.getByLabel('Machine readable zone').fill(`${zone[0]}\n${zone[1]}`);
      await page.getByRole('button', { name: 'Check the zone' }).click();
      assert.match(await page.locator('#mrz-accepted').innerText(), /correct and matches the order/);
      await page.screenshot({ path: join(shots, 'identity-phone-mrz-accepted.png'), fullPage: true });
      await page.getByRole('button', { name: 'Send for verification' }).click();
      assert.equal(await page.locator('h1').innerText(), 'Thank you: your documents were sent');
      assert.match(await page.locator('main').innerText(), /with an operator/);
      assert.match(await page.locator('main').innerText(), /by e-mail/);
      await page.screenshot({ path: join(shots, 'identity-phone-done.png'), fullPage: true });
      // the mistyped zone answers 422, which Chromium logs: not a page error
      assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), [], 'no script or policy error');

      // the flow is over: its page says so, and the short code no longer leads anywhere
      const again = await page.goto(`${base}/identity/m/${code.replace('-', '')}`);
      assert.equal(again.status(), 404);
      await context.close();
    } finally {
      await cam.close();
    }
  });

  test('a 720 × 1280 camera is refused with what to do', async () => {
    const link = await identityLink('bob@mobile.example');
    const cam = await withCamera(join(cameras, 'camera-720x1280.y4m'));
    try {
      const context = await cam.newContext({ ...phone, locale: 'fr-FR' });
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(link);
      await page.waitForURL(/\/identity\/mobile\//);
      assert.equal(await page.locator('h1').innerText(), 'Prouvez votre identité');
      await page.getByLabel(/Passeport/i).first().check();
      await page.getByRole('button', { name: 'Vérifier mon appareil photo' }).click();
      await page.getByRole('button', { name: 'Démarrer l’appareil photo' }).click();
      const message = page.locator('#camera-error');
      await until('the refusal', async () => message.isVisible(), 30);
      const text = await message.innerText();
      assert.match(text, /ne fournit que 720 × 1280 pixels/);
      assert.match(text, /au moins 1080 × 1920/);
      assert.match(text, /Utilisez un autre téléphone/);
      assert.equal(await page.locator('#viewer').isVisible(), false, 'no capture with this camera');
      assert.equal(await page.getByRole('button', { name: 'Prendre la photo' }).isVisible(), false);
      const other = page.getByRole('link', { name: 'Afficher un QR code pour continuer sur un autre téléphone' });
      assert.ok(await other.isVisible(), 'the way to another phone is offered');
      assert.match(await other.getAttribute('href'), /\/identity\/mobile\/[A-Za-z0-9_-]+\?device=desktop$/);
      await page.screenshot({ path: join(shots, 'identity-phone-camera-refused.png'), fullPage: true });
      assert.deepEqual(errors, [], 'no script or policy error');

      // the upload itself, over HTTP with this phone's cookie, checked again by the identity service
      const flow = page.locator('#flow');
      const upload = `${base}${await flow.getAttribute('data-upload')}`;
      const token = await flow.getAttribute('data-token');
      const send = (kind, body, headers = {}) => page.request.post(upload + kind, {
        headers: { Origin: base, 'Content-Type': 'image/jpeg', 'X-Cachet-Form': token, ...headers }, data: body });
      const png = (w, h) => page.evaluate(([w, h]) => {
        const c = document.createElement('canvas'); c.width = w; c.height = h;
        const g = c.getContext('2d'); g.fillStyle = '#888'; g.fillRect(0, 0, w, h);
        return c.toDataURL('image/png').split(',')[1];
      }, [w, h]).then((b64) => Buffer.from(b64, 'base64'));
      const notImage = await send('selfie', Buffer.from('%PDF-1.7 not a photo'));
      assert.equal(notImage.status(), 422);
      assert.equal((await notImage.json()).code, 'image.not-an-image');
      const small = await send('selfie', await png(720, 1280));
      assert.equal(small.status(), 422);
      assert.equal((await small.json()).code, 'image.too-small');
      assert.match((await small.json()).message, /720 × 1280/);
      const big = Buffer.alloc(40 * 1024 * 1024, 0x41);
      (await png(8, 8)).copy(big);
      const huge = await send('selfie', big);
      assert.equal(huge.status(), 413);
      assert.equal((await huge.json()).code, 'image.too-large');
      const forged = await send('selfie', await png(1080, 1920), { 'X-Cachet-Form': 'forged' });
      assert.equal(forged.status(), 403);
      const foreign = await send('selfie', await png(1080, 1920), { Origin: 'https://attacker.example' });
      assert.equal(foreign.status(), 403, 'another origin is refused by the HTTP guard');
      const ok = await send('document-front', await png(1080, 1920));
      assert.equal(ok.status(), 200, await ok.text());
      assert.deepEqual(await ok.json(), { kind: 'document-front', width: 1080, height: 1920 });
      await context.close();
    } finally {
      await cam.close();
    }
  });

  test('an unknown flow and a wrong short code get clear pages', async () => {
    const page = await browser.newPage({ ...phone, locale: 'en-GB' });
    const unknown = await page.goto(`${base}/identity/mobile/${'A'.repeat(43)}`);
    assert.equal(unknown.status(), 404);
    assert.equal(await page.locator('h1').innerText(), 'This link no longer works');
    await page.screenshot({ path: join(shots, 'identity-phone-unknown.png'), fullPage: true });
    const wrong = await page.goto(`${base}/identity/m/ZZZZ2222`);
    assert.equal(wrong.status(), 404);
    assert.match(await page.locator('[role=alert]').innerText(), /unknown or has expired/);
    // a cross-site upload (no token, no cookie of this site) is refused
    const forged = await fetch(`${base}/identity/mobile/${'A'.repeat(43)}/image/selfie`, { method: 'POST', body: 'x' });
    assert.equal(forged.status, 404);
    await page.close();
  });
});
