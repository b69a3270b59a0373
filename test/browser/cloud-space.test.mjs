// The cloud delivery's pages in headless Chromium: the customer space and Click&Cert. The real cachet.jar starts with
// the order-checks fixture in DATA/deploy (it passes VERIFICATION and ACCEPTANCE as identity proofing, the
// organisation check and both acceptances would), so that a cloud order made through POST /api/v1/orders is issued on
// the platform's cloud key token and reaches DELIVERY, where the customer space opens and e-mails its Certificate
// Manager a link (read from the outbox). On a phone the manager chooses a password (a common one is refused, the
// strength meter moves) and the order becomes ACTIVE. On a desktop they log in, enrol an authenticator app (the test
// computes its RFC 6238 codes from the key the page shows) and a security key (Chrome DevTools Protocol
// WebAuthn.addVirtualAuthenticator), log out, log in again with the key, and seal a PDF with Click&Cert: the seal
// chosen, the PDF uploaded, a visible seal placed on the preview, the hash shown, re-authentication with the password
// and the key, the signed PDF downloaded and checked with pdfsig. On a phone they log in with the app's code and seal
// another PDF with the password and a fresh code. Another manager's session sees, downloads and signs none of it.
// A seal acknowledged just before kill -9 is there after the restart, with the session, and a used code stays used.
// Last, on a phone, the holder revokes their seal's certificate from "Certificates" (a wrong password first: nothing
// revoked): openssl's OCSP client reads it good before and revoked after, Click&Cert no longer offers the seal, both
// persons are e-mailed, and the desktop list shows the revocation. Then an operator closes the holder's account from
// the console: their session ends, a login on a phone is refused as closed, and reopening e-mails a new link. Screenshots:
// target/screenshots/cloud-*.png. Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCachet, launchChromium, collectErrors, adminApiKey, until, shots, sizes, fixtureBundle, onePagePdf, adminLogIn, advance, apiClient } from './cachet.mjs';

const phone = { viewport: sizes.phone, isMobile: true, hasTouch: true, locale: 'en-GB' };
const desktop = { viewport: sizes.desktop, locale: 'en-GB' };
const manager = { givenNames: 'Claire', surname: 'Martin', birthDate: '1981-02-17', email: 'claire@cloud.example', mobile: '+33612345611' };
const representative = { givenNames: 'Paul', surname: 'Bernard', birthDate: '1959-11-30', email: 'paul@cloud.example', mobile: '+33698765412' };
const password = 'lantern orchard basalt 1987 quill';
let api, json, cachet, base, space, browser, key, orderId, work, totpKey;
let lastTotpStep = -1;

/** The authenticator app of the test: RFC 6238 (HMAC-SHA1, 6 digits, 30 s) over the Base32 key the page showed. */
function totp(step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of totpKey.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const secret = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** A code of a 30 s step not used yet: the server refuses a step's code twice, so wait for the next step if needed. */
async function freshCode() {
  await until('a TOTP step not used yet', () => Math.floor(Date.now() / 30000) > lastTotpStep, 35);
  lastTotpStep = Math.floor(Date.now() / 30000);
  return totp(lastTotpStep);
}

/** A virtual FIDO2 authenticator on the page, as a security key plugged in (user presence and verification given). */
async function securityKey(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: {
    protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
    automaticPresenceSimulation: true } });
  return { cdp, authenticatorId };
}

function pdfsig(file) {
  const r = spawnSync('pdfsig', ['-nocert', '-no-ocsp', file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

/** A program's session of the customer space's JSON endpoints (cookie and X-CSRF-Token kept). */
async function apiSession(email, pw, factorKind, factorResponse) {
  const r = await fetch(`${space}/space/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email, password: pw, factorKind, factorResponse }) });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf } = JSON.parse(text);
  return {
    get: (path) => fetch(`${space}${path}`, { headers: { Cookie: cookie, Accept: 'application/json' } }),
    post: (path, body, raw, headers = {}) => fetch(`${space}${path}`, { method: 'POST', headers: { Cookie: cookie, Origin: space, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json', Accept: 'application/json', ...headers }, body: raw ?? JSON.stringify(body) }),
  };
}

async function logIn(page, factor) {
  await page.goto(`${space}/space/login`);
  await page.locator('#email').fill(manager.email);
  await page.locator('#password').fill(password);
  await page.locator('#login').click();
  await page.waitForLoadState();
  if (factor === 'key') {
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/space/login')), page.locator('#use-key').click()]);
  } else if (factor === 'totp') {
    await page.locator('#code').fill(await freshCode());
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/space/login')), page.locator('#send-code').click()]);
  } else {
    await page.waitForURL((u) => !u.pathname.startsWith('/space/login'));
  }
}

/** Click&Cert from the seal's choice to the signed PDF on disk; `authorise` fills the re-authentication and signs. */
async function sealAPdf(page, name, authorise, placeSeal) {
  await page.goto(`${space}/space/sign`);
  await page.locator('#seal-0').check();
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, onePagePdf(['Contrat de prestation', `Document ${name}`, 'Signé avec Click&Cert']));
  await page.setInputFiles('#file', file);
  await Promise.all([page.waitForURL(/document=/), page.locator('#upload').click()]);
  assert.equal(await page.locator('#file-name').innerText(), `${name}.pdf`);
  if (placeSeal) {
    await page.locator('#preview').scrollIntoViewIfNeeded();
    const box = await page.locator('#preview').boundingBox();
    await Promise.all([page.waitForURL(/px=|at\.x=/), page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.8)]);
    assert.match(await page.locator('#placed').innerText(), /The seal will appear on page 1/);
  }
  // the hash the holder authorises is the document's
  const shown = (await page.locator('#sha256').innerText()).replace(/\s/g, '').toLowerCase();
  const expected = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
  assert.equal(shown, expected);
  await page.screenshot({ path: join(shots, `cloud-sign-${name}.png`), fullPage: true });
  await authorise(page);
  await page.locator('#done').waitFor();
  assert.match(await page.locator('#signed-level').innerText(), /PAdES-LT/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
  const signed = join(work, `${name}-signed.pdf`);
  await download.saveAs(signed);
  await page.screenshot({ path: join(shots, `cloud-done-${name}.png`), fullPage: true });
  return signed;
}

describe('the customer space and Click&Cert, in Chromium', () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'cachet-cloud-'));
    const jar = fixtureBundle('order-checks', 'io/cachet/browsertest/checks/Activator.java');
    cachet = await startCachet('cachet-cloud-', (data) => {
      const deploy = join(data, 'deploy');
      mkdirSync(deploy, { recursive: true });
      execFileSync('cp', [jar, join(deploy, 'order-checks.jar')]);
    });
    ({ base } = cachet);
    // WebAuthn needs a host name (an IP address is no relying party id): the holder's pages go through localhost
    space = base.replace('127.0.0.1', 'localhost');
    browser = await launchChromium();
    key = await adminApiKey(browser, base, cachet.data);
    ({ api, json } = apiClient(base, key));
    const address = { lines: ['8 rue des Nuages'], postalCode: '69002', city: 'Lyon', country: 'FR' };
    const made = await json('/api/v1/orders', { method: 'POST', body: JSON.stringify({
      product: 'enterprise-plus', validityYears: 1, medium: 'cloud', language: 'en',
      certificateManager: manager, legalRepresentative: representative,
      organisation: { name: 'Nuage Browser SAS', country: 'FR', identifier: '552100554', vat: 'FR96552100554', address },
    }) });
    orderId = made.id;
    await advance(base, key, orderId, 'DELIVERY', 120);
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('phone: the e-mailed link sets the password (a common one refused) and the order becomes ACTIVE', async () => {
    let link;
    await until('the password e-mail', async () => {
      const mail = (await json('/api/v1/outbox?channel=email&limit=500')).messages
        .find((m) => m.to === manager.email && /\/space\/password\//.test(m.body));
      link = mail && /(https?:\/\/\S+\/space\/password\/[A-Za-z0-9_-]+)/.exec(mail.body)[1];
      return Boolean(link);
    }, 60);
    assert.equal((await json(`/api/v1/orders/${orderId}/cloud-space`)).state, 'LINK_SENT');
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const errors = collectErrors(page);
    // the order's status page leads to the space: a new link while this one waits
    const submitted = (await json('/api/v1/outbox?channel=email&limit=500')).messages
      .find((m) => m.to === manager.email && /\/order\/status\//.test(m.body));
    const statusPage = /(https?:\/\/\S+\/order\/status\/[A-Za-z0-9_-]+)/.exec(submitted.body)[1].replace(/^https?:\/\/[^/]+/, space);
    await page.goto(statusPage);
    const toSpace = page.getByRole('link', { name: 'Set the password of your customer space' });
    assert.equal(await toSpace.getAttribute('href'), '/space/forgot');
    assert.match(await page.locator('main').innerText(), new RegExp(`We e-mailed ${manager.email.replace('.', '\\.')} a link to choose your password, valid until`));
    await page.goto(link.replace(/^https?:\/\/[^/]+/, space));
    assert.match(await page.locator('h1').innerText(), /Choose the password/);
    await page.locator('#password').fill('Motdepasse2026!!');
    assert.ok(await page.locator('#password-meter').isVisible(), 'the strength meter shows as the holder types');
    await page.locator('#confirm').fill('Motdepasse2026!!');
    await page.locator('#save-password').click();
    await page.waitForLoadState();
    assert.match(await page.locator('body').innerText(), /too common/);
    await page.locator('#password').fill(password);
    assert.match(await page.locator('#password-meter-text').innerText(), /strong|good/);
    await page.locator('#confirm').fill(password);
    await page.screenshot({ path: join(shots, 'cloud-password-phone.png'), fullPage: true });
    await page.locator('#save-password').click();
    await page.waitForLoadState();
    assert.match(await page.locator('body').innerText(), /Your password is saved/);
    await until('the order ACTIVE', async () => (await json(`/api/v1/orders/${orderId}`)).state === 'ACTIVE', 30);
    assert.equal((await json(`/api/v1/orders/${orderId}/cloud-space`)).state, 'ACTIVE');
    // the status page now opens the space
    await page.goto(statusPage);
    await page.getByRole('link', { name: 'Open your customer space' }).click();
    await page.waitForURL((u) => u.pathname === '/space/login');
    // the link works once
    await page.goto(link.replace(/^https?:\/\/[^/]+/, space));
    assert.match(await page.locator('h1').innerText(), /already used/);
    // the refused password (422) and the used link (410) answer with their status on purpose
    assert.deepEqual(errors.filter((e) => !/status of 4(10|22)/.test(e)), []);
    await context.close();
  });

  test('desktop: authenticator app and security key enrolled, login with the key, a PDF sealed with the key', async () => {
    const context = await browser.newContext({ ...desktop, acceptDownloads: true });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await securityKey(page);
    await logIn(page, null);
    assert.equal(new URL(page.url()).pathname, '/space/sign');

    await page.goto(`${space}/space/security`);
    assert.match(await page.locator('#no-factor').innerText(), /no second factor/);
    await Promise.all([page.waitForLoadState(), page.locator('#totp-start button').click()]);
    totpKey = await page.locator('#totp-secret').innerText();
    const qrWidth = await page.locator('#totp-qr').evaluate((img) => img.decode().then(() => img.naturalWidth, () => 0));
    assert.ok(qrWidth > 100, `the QR code is shown (${qrWidth} pixels wide)`);
    await page.locator('#enrol-code').fill('000000' === totp(Math.floor(Date.now() / 30000)) ? '111111' : '000000');
    await Promise.all([page.waitForLoadState(), page.locator('#totp-confirm button').click()]);
    assert.match(await page.locator('body').innerText(), /not right/);
    await page.locator('#enrol-code').fill(await freshCode());
    await Promise.all([page.waitForLoadState(), page.locator('#totp-confirm button').click()]);
    assert.match(await page.locator('body').innerText(), /authenticator app is added/);

    await page.locator('#key-name').fill('Virtual key');
    await Promise.all([page.waitForURL(/\/space\/security/), page.locator('#register-key').click()]);
    await until('the key listed', async () => /Security key/.test(await page.locator('#factors').innerText()), 20);
    assert.match(await page.locator('#factors').innerText(), /Authenticator app/);
    await page.screenshot({ path: join(shots, 'cloud-security-desktop.png'), fullPage: true });

    // log out, and back in: the password, then the key
    await Promise.all([page.waitForURL(/\/space\/login/), page.getByRole('button', { name: 'Log out' }).click()]);
    await page.goto(`${space}/space/sign`);
    assert.match(new URL(page.url()).pathname, /\/space\/login/);
    await logIn(page, 'key');

    const signed = await sealAPdf(page, 'desktop', async (p) => {
      await p.locator('#password').fill(password);
      await p.locator('#sign-webauthn').click();
    }, true);
    const check = pdfsig(signed);
    assert.match(check, /Signature is Valid\./, check);
    assert.match(check, /Nuage Browser SAS/, check);
    // the wrong enrolment code (422) answers with its status on purpose
    assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);

    // the history lists it with its hash and level
    await page.goto(`${space}/space/history`);
    assert.match(await page.locator('main').innerText(), /desktop\.pdf[\s\S]*LT/);
    await context.close();
  });

  test('phone: login with the app\'s code, a wrong password refused, a PDF sealed with the password and a code', async () => {
    const context = await browser.newContext({ ...phone, acceptDownloads: true });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await logIn(page, 'totp');
    const signed = await sealAPdf(page, 'phone', async (p) => {
      await p.locator('#password').fill('not my password at all');
      await p.locator('#totp').fill(await freshCode());
      await Promise.all([p.waitForLoadState(), p.locator('#sign').click()]);
      await p.screenshot({ path: join(shots, 'cloud-sign-refused-phone.png'), fullPage: true });
      assert.match(await p.locator('body').innerText(), /password is wrong|not accepted/, await p.content());
      await p.locator('#password').fill(password);
      await p.locator('#totp').fill(await freshCode());
      await p.locator('#sign').click();
    }, false);
    const check = pdfsig(signed);
    assert.match(check, /Signature is Valid\./, check);
    // 4xx answers of the refused signature are on purpose
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), []);
    await context.close();
  });

  test('another holder sees, downloads and signs none of this holder\'s documents or seals', async () => {
    // this holder's signed documents, through the JSON endpoints with the app's code
    const mine = await apiSession(manager.email, password, 'totp', await freshCode());
    const documents = await (await mine.get('/space/api/documents')).json();
    const signedOnes = documents.filter((d) => d.status === 'SIGNED');
    assert.ok(signedOnes.length >= 2, JSON.stringify(documents));
    const theirs = signedOnes[0];

    // a second cloud order of another manager, its space opened through the JSON endpoint of the e-mailed link
    const other = { ...manager, givenNames: 'Louis', email: 'louis@cloud.example', mobile: '+33612345612' };
    const made = await json('/api/v1/orders', { method: 'POST', body: JSON.stringify({
      product: 'enterprise-plus', validityYears: 1, medium: 'cloud', language: 'en',
      certificateManager: other, legalRepresentative: representative,
      organisation: { name: 'Autre Nuage SAS', country: 'FR', identifier: '552100554', vat: 'FR96552100554',
        address: { lines: ['1 quai Est'], postalCode: '69002', city: 'Lyon', country: 'FR' } },
    }) });
    let token;
    await advance(base, key, made.id, 'DELIVERY', 120);
    await until('the second order\'s password e-mail', async () => {
      const mail = (await json('/api/v1/outbox?channel=email&limit=500')).messages
        .find((m) => m.to === other.email && /\/space\/password\//.test(m.body));
      token = mail && /\/space\/password\/([A-Za-z0-9_-]+)/.exec(mail.body)[1];
      return Boolean(token);
    }, 120);
    const set = await fetch(`${space}/space/api/password`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ token, password: 'another long pass phrase 2031' }) });
    assert.equal(set.status, 204, await set.text());
    const intruder = await apiSession(other.email, 'another long pass phrase 2031');

    const seals = await (await intruder.get('/space/api/seals')).json();
    assert.deepEqual(seals.map((x) => x.orderId), [made.id]);
    assert.deepEqual(await (await intruder.get('/space/api/documents')).json(), []);
    assert.equal((await intruder.get(`/space/api/documents/${theirs.id}`)).status, 404);
    assert.equal((await intruder.get(`/space/api/documents/${theirs.id}/signed`)).status, 404);
    // what the intruder's software could try: the holder's document with the holder's seal, its own password
    const signed = await intruder.post(`/space/api/documents/${theirs.id}/sign`, { orderId: orderId, password: 'another long pass phrase 2031' });
    const refusal = await signed.text();
    assert.ok([403, 404].includes(signed.status), `signing another holder's document with their seal: ${signed.status} ${refusal}`);
    assert.doesNotMatch(refusal, /Refused: a request that changes something/, 'refused by Click&Cert itself, not by the forgery guard');
    // the holder's own document still downloads
    assert.equal((await mine.get(`/space/api/documents/${theirs.id}/signed`)).status, 200);
  });

  test('the operator\'s console lists the cloud order with its active space (desktop and phone)', async () => {
    for (const options of [desktop, phone]) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      const errors = collectErrors(page);
      await adminLogIn(page, cachet, '/console/cloud');
      assert.equal(await page.locator('h1').innerText(), 'Customer spaces of cloud orders');
      const row = page.locator(`#space-${orderId}`);
      assert.match(await row.innerText(), /Active/);
      assert.match(await row.innerText(), /claire@cloud\.example/);
      await page.screenshot({ path: join(shots, `cloud-console-${options === phone ? 'phone' : 'desktop'}.png`), fullPage: true });
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test('phone: "forgot password" answers alike for any address and e-mails a reset link to the holder', async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const errors = collectErrors(page);
    const before = (await json('/api/v1/outbox?channel=email&limit=500')).messages.filter((m) => m.to === manager.email).length;
    const answers = [];
    for (const email of ['nobody@cloud.example', manager.email]) {
      await page.goto(`${space}/space/forgot`);
      await page.locator('#email').fill(email);
      await Promise.all([page.waitForLoadState(), page.locator('#send-link').click()]);
      answers.push(await page.locator('main').innerText());
    }
    assert.equal(answers[0], answers[1], 'the answer does not tell which accounts exist');
    assert.match(answers[1], /If an account exists/);
    await until('the reset e-mail', async () => (await json('/api/v1/outbox?channel=email&limit=500')).messages
      .filter((m) => m.to === manager.email && /\/space\/password\//.test(m.body)).length > 0
      && (await json('/api/v1/outbox?channel=email&limit=500')).messages.filter((m) => m.to === manager.email).length > before, 30);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('what the space acknowledged survives kill -9: the session, a seal just made, a used code', async () => {
    const code = await freshCode();
    const mine = await apiSession(manager.email, password, 'totp', code);
    const file = join(work, 'crash.pdf');
    writeFileSync(file, onePagePdf(['Sealed just before a power cut']));
    const up = await mine.post('/space/api/documents', undefined, readFileSync(file), { 'Content-Type': 'application/pdf', 'X-Filename': 'crash.pdf' });
    const upText = await up.text();
    assert.equal(up.status, 201, upText);
    const uploaded = JSON.parse(upText);
    const sign = await mine.post(`/space/api/documents/${uploaded.id}/sign`, { orderId, password, factorKind: 'totp', factorResponse: await freshCode() });
    const signText = await sign.text();
    assert.equal(sign.status, 200, signText);
    const signed = JSON.parse(signText);

    await cachet.crashAndRestart();

    // the session, the sealed document and its history survived; the order is still ACTIVE
    const again = await mine.get(`/space/api/documents/${uploaded.id}/signed`);
    assert.equal(again.status, 200, 'the session and the sealed PDF survive the crash');
    const pdf = join(work, 'crash-signed.pdf');
    writeFileSync(pdf, Buffer.from(await again.arrayBuffer()));
    assert.match(pdfsig(pdf), /Signature is Valid\./);
    const history = await (await mine.get('/space/api/documents')).json();
    assert.equal(history.find((d) => d.id === uploaded.id).signedSha256, signed.signedSha256);
    assert.equal((await json(`/api/v1/orders/${orderId}`)).state, 'ACTIVE');
    // the codes used before the crash stay used
    const replay = await fetch(`${space}/space/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ email: manager.email, password, factorKind: 'totp', factorResponse: totp(lastTotpStep) }) });
    assert.equal(replay.status, 401, 'a code used before the crash is refused after it');
  });
  test('phone: the holder revokes their seal\'s certificate (a wrong password first), OCSP and both persons are told, and the desktop list shows it', async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await logIn(page, 'totp');
    await Promise.all([page.waitForURL((u) => u.pathname === '/space/certificates'), page.getByRole('link', { name: 'Certificates' }).first().click()]);
    assert.equal(await page.locator('h1').innerText(), 'Your seal certificates');
    const row = page.locator(`#certificate-${orderId}`);
    const certificate = await json(`/api/v1/orders/${orderId}/certificate`);
    assert.match(await row.innerText(), /Valid/);
    assert.match(await row.innerText(), new RegExp(`Serial ${certificate.serial}`));
    await page.screenshot({ path: join(shots, 'cloud-certificates-phone.png'), fullPage: true });

    // OCSP before: good, as openssl reads it
    const chain = join(work, 'chain.pem');
    writeFileSync(chain, await (await fetch(`${base}/pki/chain.pem`)).text());
    const issuing = join(work, 'issuing.pem');
    const leaf = join(work, 'cloud-leaf.pem');
    execFileSync('openssl', ['x509', '-in', chain, '-out', issuing]);
    writeFileSync(leaf, await (await api(`/api/v1/orders/${orderId}/certificate`, { headers: { Accept: 'application/pem-certificate-chain' } })).text());
    const ocsp = () => {
      const r = spawnSync('openssl', ['ocsp', '-issuer', issuing, '-cert', leaf, '-url', `${base}/ocsp`, '-CAfile', chain], { encoding: 'utf8' });
      return r.stdout + r.stderr;
    };
    const before = ocsp();
    assert.match(before, /Response verify OK/, before);
    assert.match(before, /cloud-leaf\.pem: good/, before);

    await Promise.all([page.waitForURL((u) => u.pathname === `/space/certificates/${orderId}`), row.getByRole('link', { name: /Revoke the certificate of/ }).click()]);
    const form = page.locator('#revoke-form');
    assert.match(await form.innerText(), /Revocation is final/);
    assert.equal(await form.locator('input[name=reason]').count(), 5, 'a subscriber\'s five reasons');
    await form.getByLabel('The seal may have been used by someone else').check();
    await form.getByLabel(/I understand that the revocation of certificate [0-9a-f]+ is final/).check();
    await form.getByLabel(/Your password/).fill('not my password at all');
    await form.getByLabel('Code from your authenticator app').fill(await freshCode());
    await form.getByRole('button', { name: 'Revoke the certificate' }).click();
    await page.locator('[role=alert]:visible').waitFor();
    assert.match(await page.locator('[role=alert]:visible').innerText(), /Your password is wrong; nothing was revoked/);
    assert.equal((await json(`/api/v1/orders/${orderId}/certificate`)).revoked, false, 'nothing revoked');
    await page.screenshot({ path: join(shots, 'cloud-revoke-refused-phone.png'), fullPage: true });
    assert.equal(await form.getByLabel('The seal may have been used by someone else').isChecked(), true, 'the reason is kept');

    await form.getByLabel(/I understand that the revocation/).check();
    await form.getByLabel(/Your password/).fill(password);
    await form.getByLabel('Code from your authenticator app').fill(await freshCode());
    await form.getByRole('button', { name: 'Revoke the certificate' }).click();
    await page.locator('[role=status]').waitFor();
    assert.match(await page.locator('[role=status]').innerText(), new RegExp(`Certificate ${certificate.serial} was revoked on .*\\(The seal may have been used by someone else\\)`));
    assert.match(await page.locator(`#certificate-${orderId}`).innerText(), /Revoked on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await page.screenshot({ path: join(shots, 'cloud-revoked-phone.png'), fullPage: true });

    const atTheCa = await json(`/api/v1/certificates/${certificate.serial}`);
    assert.equal(atTheCa.status, 'revoked');
    assert.equal(atTheCa.revocation.reason, 'keyCompromise');
    const after = ocsp();
    assert.match(after, /Response verify OK/, after);
    assert.match(after, /cloud-leaf\.pem: revoked/, after);
    assert.match(after, /Reason: keyCompromise/, after);

    // Click&Cert no longer offers the seal
    await page.goto(`${space}/space/sign`);
    assert.match(await page.locator('#seals').innerText(), /Revoked/);
    assert.equal(await page.locator('#seal-0').isDisabled(), true);

    // the Certificate Manager and the Legal Representative are e-mailed
    const revokedMail = (m) => m.subject.includes('seal certificate of Nuage Browser SAS revoked');
    const mails = async (to) => (await json('/api/v1/outbox?channel=email&limit=500')).messages.filter((m) => m.to === to);
    await until('the revocation e-mailed', async () => (await mails(manager.email)).some(revokedMail), 20);
    assert.match((await mails(manager.email)).find(revokedMail).body, new RegExp(`serial ${certificate.serial}\\) was revoked on .*: its key is compromised\\.`));
    assert.ok((await mails(representative.email)).some(revokedMail), 'the legal representative too');
    // 401 of the refused revocation is on purpose
    assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
    await context.close();

    const wide = await browser.newContext(desktop);
    const desk = await wide.newPage();
    const deskErrors = collectErrors(desk);
    await logIn(desk, 'totp');
    await desk.goto(`${space}/space/certificates`);
    assert.match(await desk.locator(`#certificate-${orderId}`).innerText(), /Revoked on .*\(The seal may have been used by someone else\)/);
    assert.equal(await desk.locator(`#certificate-${orderId} a`).count(), 0, 'nothing left to revoke');
    await desk.screenshot({ path: join(shots, 'cloud-certificates-desktop.png'), fullPage: true });
    assert.deepEqual(deskErrors, []);
    await wide.close();
  });
  test('desktop console: an operator closes the holder\'s account (their session ends, login refused on a phone), then reopens it with a new link', async () => {
    const mine = await apiSession(manager.email, password, 'totp', await freshCode());
    assert.equal((await mine.get('/space/api/seals')).status, 200);
    const mails = async () => (await json('/api/v1/outbox?channel=email&limit=500')).messages.filter((m) => m.to === manager.email);
    const linksBefore = (await mails()).filter((m) => /\/space\/password\//.test(m.body)).length;

    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await adminLogIn(page, cachet, '/console/cloud');
    const row = page.locator(`#space-${orderId}`);
    await row.getByLabel('Why (kept in the audit log)').fill('The holder left the organisation');
    await row.getByRole('button', { name: 'Close the account' }).click();
    await page.locator('[role=status]').waitFor();
    assert.match(await page.locator('[role=status]').innerText(), new RegExp(`space of order ${orderId} is closed`));
    assert.match(await page.locator(`#space-${orderId}`).innerText(), /Closed/);
    await page.screenshot({ path: join(shots, 'cloud-console-closed-desktop.png'), fullPage: true });

    // the holder's session ended at once; their login is refused, saying why
    assert.equal((await mine.get('/space/api/seals')).status, 401, 'the open session ended');
    const phonePage = await (await browser.newContext(phone)).newPage();
    const phoneErrors = collectErrors(phonePage);
    await phonePage.goto(`${space}/space/login`);
    await phonePage.locator('#email').fill(manager.email);
    await phonePage.locator('#password').fill(password);
    await phonePage.locator('#login').click();
    await phonePage.locator('[role=alert]:visible').waitFor();
    assert.match(await phonePage.locator('[role=alert]:visible').innerText(), /This account is closed/);
    await phonePage.screenshot({ path: join(shots, 'cloud-login-closed-phone.png'), fullPage: true });
    await until('the closure e-mailed', async () => (await mails()).some((m) => /your customer space was closed/.test(m.subject)), 20);

    await page.locator(`#space-${orderId}`).getByRole('button', { name: 'Reopen (new password link)' }).click();
    await page.locator('[role=status]').waitFor();
    assert.match(await page.locator('[role=status]').innerText(), /is reopened/);
    assert.match(await page.locator(`#space-${orderId}`).innerText(), /Link sent/);
    await until('a new password link e-mailed', async () => (await mails()).filter((m) => /\/space\/password\//.test(m.body)).length > linksBefore, 20);
    assert.deepEqual(errors, []);
    // the refused login answers 4xx on purpose
    assert.deepEqual(phoneErrors.filter((e) => !/status of 4\d\d/.test(e)), []);
    await context.close();
    await phonePage.context().close();
  });
});
