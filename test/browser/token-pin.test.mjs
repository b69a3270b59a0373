// The management page's initialisation PIN, in headless Chromium at a phone viewport (scripts off: the page needs none)
// and on a desktop. The real cachet.jar starts with the order-checks fixture in DATA/deploy (it passes VERIFICATION and
// ACCEPTANCE as identity proofing, the organisation check and both acceptances would), so that a USB token order made
// through POST /api/v1/orders reaches ISSUANCE; the shipped `cachet-cli token provision` then provisions it on a blank
// SoftHSM2 token (a free slot plays the blank USB token) over HTTP, and the registered letter is marked sent, then
// delivered, over REST. The certificate manager opens the status link of their e-mail (read from the outbox): before
// delivery the PIN page says the PIN comes once the letter is delivered; after, "send me a code" sends an SMS (read from
// the outbox), a wrong code is refused with the tries left, the right one shows the 4 digits once — which pkcs11-tool
// confirms open the token — and the page never shows them again. The holder replaces the PIN with `cachet-cli token
// activate` and confirms on the page: the order is ACTIVE. The legal representative's link is refused.
// Screenshots: target/screenshots/token-pin-*.png. Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCachet, launchChromium, collectErrors, adminApiKey, until, shots, sizes, root, fixtureBundle } from './cachet.mjs';

const MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const cli = join(root, 'distribution', 'target', 'cachet-cli.jar');
const phone = { viewport: sizes.phone, isMobile: true, hasTouch: true, locale: 'en-GB', javaScriptEnabled: false };
const desktop = { viewport: sizes.desktop, locale: 'en-GB' };
const manager = { givenNames: 'Anna Maria', surname: 'Eriksson', birthDate: '1974-08-12', email: 'anna@token.example', mobile: '+33612345601' };
const representative = { givenNames: 'Jean', surname: 'Dupont', birthDate: '1960-03-01', email: 'jean@token.example', mobile: '+33698765402' };
let cachet, base, browser, key, orderId, work, env, tokenLabel, revealedPin;

async function api(path, init = {}) {
  return fetch(`${base}${path}`, { ...init, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...(init.headers || {}) } });
}

async function json(path, init) {
  const r = await api(path, init);
  const text = await r.text();
  assert.ok(r.ok, `${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

/** The outbox's messages of a channel to `to`, newest first. */
async function messages(channel, to) {
  return (await json(`/api/v1/outbox?channel=${channel}&limit=500`)).messages.filter((m) => m.to === to);
}

/** The status link e-mailed to `email` at submission. */
async function statusLink(email) {
  let link;
  await until(`the status e-mail to ${email}`, async () => {
    const mail = (await messages('email', email)).find((m) => /\/order\/status\//.test(m.body));
    link = mail && /(http\S+\/order\/status\/[A-Za-z0-9_-]+)/.exec(mail.body)[1];
    return Boolean(link);
  }, 60);
  return link;
}

/** The code of the newest PIN SMS to `mobile`, once there are `count` of them. */
async function smsCode(mobile, count) {
  let code;
  await until(`PIN code SMS #${count} to ${mobile}`, async () => {
    const sms = (await messages('sms', mobile)).filter((m) => /\b\d{6}\b/.test(m.body));
    if (sms.length < count) return false;
    code = /\b(\d{6})\b/.exec(sms[0].body)[1];
    return true;
  }, 30);
  return code;
}

/** The shipped command line with SoftHSM2 reading this test's own token directory; its exit and output. */
function cachetCli(...args) {
  const r = spawnSync('java', ['-jar', cli, ...args], { env, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** pkcs11-tool logging in to the order's token with `pin`: whether the PIN opened it. */
function opens(pin) {
  const r = spawnSync('pkcs11-tool', ['--module', MODULE, '--token-label', tokenLabel, '--login', '--pin', pin, '--list-objects', '--type', 'privkey'], { env, encoding: 'utf8' });
  return r.status === 0;
}

/** Errors other than the status of a refused form (a wrong code is a 422 on purpose): CSP violations, failed scripts. */
function unexpected(errors) {
  return errors.filter((e) => !/Failed to load resource: the server responded with a status of 4(03|09|22|23|29)/.test(e));
}

describe('the initialisation PIN on the management page, in Chromium', () => {
  before(async () => {
    assert.ok(existsSync(MODULE), `${MODULE}: apt-get install softhsm2`);
    work = mkdtempSync(join(tmpdir(), 'cachet-token-pin-'));
    const tokens = join(work, 'tokens');
    mkdirSync(tokens);
    writeFileSync(join(work, 'softhsm2.conf'), `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
    env = { ...process.env, SOFTHSM2_CONF: join(work, 'softhsm2.conf') };
    const jar = fixtureBundle('order-checks', 'io/cachet/browsertest/checks/Activator.java');
    cachet = await startCachet('cachet-token-pin-', (data) => {
      const deploy = join(data, 'deploy');
      mkdirSync(deploy, { recursive: true });
      execFileSync('cp', [jar, join(deploy, 'order-checks.jar')]);
    });
    ({ base } = cachet);
    browser = await launchChromium();
    key = await adminApiKey(browser, base, cachet.data);
    const address = { lines: ['1 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' };
    const made = await json('/api/v1/orders', { method: 'POST', body: JSON.stringify({
      product: 'enterprise-plus', validityYears: 1, medium: 'usb-a', language: 'en',
      certificateManager: manager, legalRepresentative: representative,
      organisation: { name: 'Token Browser SAS', country: 'FR', identifier: '552100554', vat: 'FR96552100554', address },
      delivery: { beneficiary: 'Anna Maria Eriksson', address },
    }) });
    orderId = made.id;
    await until('the order in ISSUANCE', async () => {
      const state = (await json(`/api/v1/orders/${orderId}`)).state;
      if (state === 'ISSUANCE') return true;
      await fetch(`${base}/browser-test-checks/${orderId}`, { method: 'POST' });
      return false;
    }, 60);
    // the operator's station: the shipped command line provisions the blank token over HTTP
    writeFileSync(join(work, 'api-key'), `${key}\n`);
    const provisioned = cachetCli('token', 'provision', '--server', base, '--order', orderId, '--module', MODULE, '--api-key-file', join(work, 'api-key'));
    assert.equal(provisioned.status, 0, provisioned.out);
    const delivery = await json(`/api/v1/orders/${orderId}/token`);
    assert.equal(delivery.stage, 'PROVISIONED', JSON.stringify(delivery));
    tokenLabel = delivery.tokenLabel;
    await until('the order in DELIVERY', async () => (await json(`/api/v1/orders/${orderId}`)).state === 'DELIVERY', 30);
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('phone, no script: no PIN before delivery, then a code by SMS, a wrong code, the PIN shown once', async () => {
    const shipment = (await json(`/api/v1/orders/${orderId}/shipments`)).items[0];
    await json(`/api/v1/shipments/${shipment.id}/state`, { method: 'POST', body: JSON.stringify({ state: 'SENT', trackingNumber: '1A01234567890' }) });

    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const errors = collectErrors(page);
    const link = await statusLink(manager.email);
    assert.equal((await page.goto(link)).status(), 200);
    await page.getByRole('link', { name: 'Retrieve the initialisation PIN' }).click();
    assert.equal(await page.locator('h1').innerText(), 'The initialisation PIN of your seal token');
    assert.match(await page.locator('#not-delivered').innerText(), /given only once the letter is delivered/);
    assert.equal(await page.locator('#send-code').count(), 0, 'no code before delivery');
    await page.screenshot({ path: join(shots, 'token-pin-not-delivered-phone.png'), fullPage: true });

    await json(`/api/v1/shipments/${shipment.id}/state`, { method: 'POST', body: JSON.stringify({ state: 'DELIVERED' }) });
    await page.reload();
    await page.getByRole('button', { name: 'Send me a code by SMS to +33 6 •• •• •• 01' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /A code has been sent to your mobile/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no sideways scrolling on a phone (${width})`);
    const code = await smsCode(manager.mobile, 1);
    const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
    await page.getByLabel('Code received by SMS').fill(wrong);
    await page.getByRole('button', { name: 'Show the PIN' }).click();
    assert.match(await page.locator('[role=alert]').innerText(), /This code is wrong\. Wrong codes left: 2\./);
    assert.equal(await page.locator('#pin').count(), 0);
    await page.screenshot({ path: join(shots, 'token-pin-wrong-code-phone.png'), fullPage: true });

    const revealToken = await page.locator('#reveal-form input[type=hidden]').inputValue();
    const field = await page.locator('#reveal-form input[type=hidden]').getAttribute('name');
    await page.getByLabel('Code received by SMS').fill(code);
    const shown = page.waitForResponse((r) => r.url().includes('/reveal'));
    await page.getByRole('button', { name: 'Show the PIN' }).click();
    const answer = await shown;
    assert.match(answer.headers()['cache-control'] || '', /no-store/);
    revealedPin = (await page.locator('#pin').innerText()).trim();
    assert.match(revealedPin, /^\d{4}$/);
    assert.match(await page.locator('main').innerText(), /shown only this once/);
    assert.match(await page.locator('main').innerText(), /the PUK is disabled/);
    await page.screenshot({ path: join(shots, 'token-pin-shown-phone.png'), fullPage: true });
    assert.ok(opens(revealedPin), 'the PIN shown opens the token');

    // never again: a reload says when it was shown, and the same code posted again shows nothing
    await page.goto(link);
    await page.getByRole('link', { name: /initialisation PIN|activation/ }).first().click();
    assert.match(await page.locator('#revealed').innerText(), /was already shown on \d{4}-\d{2}-\d{2}/);
    assert.equal(await page.locator('#pin').count(), 0);
    const again = await context.request.post(page.url() + '/reveal', { form: { [field]: revealToken, code }, headers: { Origin: new URL(page.url()).origin, 'Accept-Language': 'en' } });
    assert.equal(again.status(), 409, await again.text());
    assert.doesNotMatch(await again.text(), new RegExp(`<strong>${revealedPin}</strong>`));
    assert.deepEqual(unexpected(errors), []);
    await context.close();
  });

  test('desktop: the holder sets their own PIN with cachet-cli, confirms on the page, and the order is active', async () => {
    assert.ok(revealedPin, 'the previous test revealed the PIN');
    writeFileSync(join(work, 'init-pin'), `${revealedPin}\n`);
    writeFileSync(join(work, 'new-pin'), '582947\n');
    const activated = cachetCli('token', 'activate', '--module', MODULE, '--token', tokenLabel, '--pin-file', join(work, 'init-pin'), '--new-pin-file', join(work, 'new-pin'));
    assert.equal(activated.status, 0, activated.out);
    assert.doesNotMatch(activated.out, new RegExp(`\\b${revealedPin}\\b`), 'the command line never prints the PIN');
    assert.ok(!opens(revealedPin), 'the initialisation PIN no longer opens the token');
    assert.ok(opens('582947'), "the holder's PIN does");

    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(await statusLink(manager.email));
    await page.getByRole('link', { name: /initialisation PIN|activation/ }).first().click();
    await page.getByRole('button', { name: 'I have set my own PIN' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /your token is activated and your order is active/);
    await page.screenshot({ path: join(shots, 'token-pin-activated-desktop.png'), fullPage: true });
    await until('the order ACTIVE', async () => (await json(`/api/v1/orders/${orderId}`)).state === 'ACTIVE', 30);
    assert.deepEqual(unexpected(errors), []);
    await context.close();
  });

  test("phone: the legal representative's link does not give the PIN", async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const link = await statusLink(representative.email);
    const token = link.substring(link.lastIndexOf('/') + 1);
    const answer = await page.goto(`${base}/token-pin/${token}`);
    assert.equal(answer.status(), 403);
    assert.match(await page.locator('main').innerText(), /Only the Certificate Manager of the order can retrieve/);
    assert.equal(await page.locator('#pin').count(), 0);
    await context.close();
  });
});
