// The webhooks console page in headless Chromium, at desktop and phone sizes. The real cachet.jar starts with
// webhooks to this machine allowed (DATA/deploy/io.cachet.webhook.cfg, as an operator would write it) and the
// order-checks fixture (it passes VERIFICATION and ACCEPTANCE as identity proofing, the organisation check and both
// acceptances would). A reseller registers a webhook to a receiver in this process, whose first answer is a 500, and
// submits a cloud order; the CA issues its certificate; an operator revokes it from the certificate's console page.
// The receiver gets the state changes and a signed certificate.revoked delivery; /console/webhooks lists the webhook,
// and its delivery log says what each delivery told and how its attempts went. Screenshots:
// target/screenshots/webhooks-*.png. Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startCachet, launchChromium, collectErrors, adminApiKey, until, shots, sizes, fixtureBundle, adminLogIn, advance } from './cachet.mjs';

const adminPassword = 'quartz meadow falcon 31';
const desktop = { viewport: sizes.desktop, locale: 'en-GB' };
const received = [];
let cachet, base, browser, key, receiver, hookUrl, hook, orderId;

async function call(path, bearer, init = {}) {
  const r = await fetch(`${base}${path}`, { ...init, headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' } });
  const text = await r.text();
  assert.ok(r.ok, `${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

/** As the README tells receivers: HMAC-SHA256 over "<Cachet-Timestamp>.<raw body>", any v1= entry. */
function signedBy(secret, delivery) {
  const expected = createHmac('sha256', secret).update(`${delivery.timestamp}.`).update(delivery.raw).digest();
  return delivery.signature.split(',').some((entry) => entry.startsWith('v1=')
    && timingSafeEqual(Buffer.from(entry.substring(3), 'hex'), expected));
}

async function logIn(page, path) {
  await adminLogIn(page, cachet, path, adminPassword);
}

describe('the webhooks console page, in Chromium', () => {
  before(async () => {
    receiver = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const status = received.length === 0 ? 500 : 204;
        received.push({ id: req.headers['cachet-webhook-id'], timestamp: req.headers['cachet-timestamp'],
          signature: req.headers['cachet-signature'], raw, body: JSON.parse(raw.toString('utf8')), status });
        res.writeHead(status).end();
      });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
    const checks = fixtureBundle('order-checks', 'io/cachet/browsertest/checks/Activator.java');
    cachet = await startCachet('cachet-browser-webhooks-', (data) => {
      const deploy = join(data, 'deploy');
      mkdirSync(deploy, { recursive: true });
      execFileSync('cp', [checks, join(deploy, 'order-checks.jar')]);
      writeFileSync(join(deploy, 'io.cachet.webhook.cfg'), 'allowLocalhost=true\npollSeconds=1\ninitialBackoffSeconds=1\nmaxBackoffSeconds=2\n');
    });
    ({ base } = cachet);
    browser = await launchChromium();
    key = await adminApiKey(browser, base, cachet.data, adminPassword);

    const reseller = await call('/api/v1/resellers', key, { method: 'POST', body: JSON.stringify({ name: 'Hooked Browser' }) });
    hook = await call('/api/v1/webhooks', reseller.apiKey, { method: 'POST', body: JSON.stringify({ url: hookUrl }) });
    const address = { lines: ['1 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' };
    const person = { givenNames: 'Anna Maria', surname: 'Eriksson', birthDate: '1974-08-12', email: 'anna@hooked.example', mobile: '+33612345611' };
    const made = await call('/api/v1/orders', reseller.apiKey, { method: 'POST', body: JSON.stringify({
      product: 'enterprise-plus', validityYears: 1, medium: 'cloud', language: 'en',
      certificateManager: person, legalRepresentative: { sameAsCertificateManager: true },
      organisation: { name: 'Hooked Browser SAS', country: 'FR', identifier: '552100554', vat: 'FR96552100554', address },
    }) });
    orderId = made.id;
    await advance(base, key, orderId, 'ISSUANCE', 60);
    await until('the certificate issued', async () => {
      const r = await fetch(`${base}/api/v1/orders/${orderId}/certificate`, { headers: { Authorization: `Bearer ${key}` } });
      return r.ok && (await r.json()).status === 'ISSUED';
    }, 90);
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
    if (receiver) receiver.close();
  });

  test('desktop: the operator revokes the certificate; the reseller is told, and the log says so', async () => {
    const page = await browser.newPage(desktop);
    const errors = collectErrors(page);
    await logIn(page, `/console/certificate/${orderId}`);
    const form = page.locator('#revoke-form');
    await form.getByLabel('Reason').selectOption({ label: 'No longer used (the organisation ceased, the seal is withdrawn)' });
    await form.getByLabel(/I confirm that certificate/).check();
    await form.getByRole('button', { name: 'Revoke the certificate' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /is revoked \(No longer used/);
    const serial = await page.locator('#serial').innerText();

    await until('the revocation posted', async () => received.some((d) => d.body.type === 'certificate.revoked'), 30);
    const told = received.find((d) => d.body.type === 'certificate.revoked');
    assert.ok(signedBy(hook.secret, told), 'signed with the webhook\'s secret');
    assert.equal(told.body.order.id, orderId);
    assert.equal(told.body.certificate.serial, serial);
    assert.equal(told.body.certificate.reason, 'cessationOfOperation');
    assert.ok(received.some((d) => d.body.type === 'order.state_changed' && d.body.order.state === 'ISSUANCE'),
      'the state changes came before');
    assert.ok(received.every((d) => signedBy(hook.secret, d)));

    await page.goto(`${base}/console/webhooks`);
    assert.match(await page.title(), /^Webhooks - /);
    const row = page.locator('tbody tr').filter({ hasText: hookUrl });
    assert.match(await row.innerText(), /Hooked Browser/);
    await row.getByRole('link', { name: /Delivery log/ }).click();
    await page.waitForURL((u) => u.searchParams.get('id') === hook.id);
    const log = page.locator('table').nth(1);
    const revokedRow = log.locator('tbody tr').filter({ hasText: 'Certificate revoked' });
    assert.equal(await revokedRow.count(), 1);
    assert.match(await revokedRow.innerText(), new RegExp(orderId));
    assert.match(await revokedRow.innerText(), /Delivered/i);
    assert.ok(await log.locator('tbody tr').filter({ hasText: 'State change' }).count() >= 3, 'the order\'s state changes');
    assert.match(await log.innerText(), /HTTP 500/, 'the first attempt, answered 500, is in the log');
    await page.screenshot({ path: join(shots, 'webhooks-desktop.png'), fullPage: true });
    assert.deepEqual(errors, [], 'no script error nor content security policy violation');
    await page.close();
  });

  test('phone: the webhooks and the delivery log, without sideways scrolling', async () => {
    const page = await browser.newPage({ viewport: sizes.phone, isMobile: true, hasTouch: true, locale: 'en-GB' });
    const errors = collectErrors(page);
    await logIn(page, '/console/webhooks');
    await page.goto(`${base}/console/webhooks?id=${encodeURIComponent(hook.id)}`);
    assert.match(await page.locator('main').innerText(), /Certificate revoked/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no sideways scrolling on a phone (${width})`);
    await page.screenshot({ path: join(shots, 'webhooks-phone.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
