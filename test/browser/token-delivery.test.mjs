// The token delivery's pages in headless Chromium: the operators' console queue and letters (desktop and phone
// widths) and the certificate manager's initialisation PIN page (phone with scripts off, desktop). The real
// cachet.jar starts with the order-checks fixture in DATA/deploy (it passes VERIFICATION and ACCEPTANCE as identity
// proofing, the organisation check and both acceptances would), so that a USB token order made through
// POST /api/v1/orders reaches ISSUANCE. /console/tokens lists it with the command line to run; the shipped
// `cachet-cli token provision` provisions it on a blank SoftHSM2 token (a free slot plays the blank USB token) over
// HTTP; the queue empties and /console/shipments shows the letter, which the operator marks sent with its tracking
// number (its label is a PDF). The certificate manager opens the status link of their e-mail (read from the outbox):
// before delivery the PIN page says the PIN comes once the letter is delivered; after, "send me a code" sends an SMS
// (read from the outbox), a wrong code is refused with the tries left, the right one shows the 4 digits once — which
// pkcs11-tool confirms open the token — and the page never shows them again. The holder replaces the PIN with
// `cachet-cli token activate` and confirms on the page: the order is ACTIVE; the operator attaches the signed
// acknowledgement of receipt, and reads, downloads (pdfsig finds its seal valid) and time-stamps again the order's
// evidence file, and its certificate (openssl reads the downloaded PEM), from the order's console page. The legal
// representative's link is refused. Last, the certificate manager, whose token is lost, revokes its certificate from
// the status page on a phone with an SMS code (a wrong code first revokes nothing): openssl's OCSP client, good
// before, reads it revoked, both persons are e-mailed, and support's console page shows it.
// Screenshots: target/screenshots/token-*.png.
// Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCachet, launchChromium, collectErrors, adminApiKey, until, shots, sizes, root, fixtureBundle, adminLogIn, advance, apiClient } from './cachet.mjs';

const MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const cli = join(root, 'distribution', 'target', 'cachet-cli.jar');
const phone = { viewport: sizes.phone, isMobile: true, hasTouch: true, locale: 'en-GB', javaScriptEnabled: false };
const desktop = { viewport: sizes.desktop, locale: 'en-GB' };
const manager = { givenNames: 'Anna Maria', surname: 'Eriksson', birthDate: '1974-08-12', email: 'anna@token.example', mobile: '+33612345601' };
const representative = { givenNames: 'Jean', surname: 'Dupont', birthDate: '1960-03-01', email: 'jean@token.example', mobile: '+33698765402' };
const adminPassword = 'amber falcon quarry 42';
let api, json, cachet, base, browser, key, orderId, work, env, tokenLabel, revealedPin;

/** Logs the first administrator (whose password adminApiKey replaced) in on the console, then opens `path`. */
async function logIn(page, path) {
  await adminLogIn(page, cachet, path, adminPassword);
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

describe('the token delivery pages, in Chromium', () => {
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
    key = await adminApiKey(browser, base, cachet.data, adminPassword);
    ({ api, json } = apiClient(base, key));
    const address = { lines: ['1 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' };
    const made = await json('/api/v1/orders', { method: 'POST', body: JSON.stringify({
      product: 'enterprise-plus', validityYears: 1, medium: 'usb-a', language: 'en',
      certificateManager: manager, legalRepresentative: representative,
      organisation: { name: 'Token Browser SAS', country: 'FR', identifier: '552100554', vat: 'FR96552100554', address },
      delivery: { beneficiary: 'Anna Maria Eriksson', address },
    }) });
    orderId = made.id;
    await advance(base, key, orderId, 'ISSUANCE', 60);
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('desktop console: the order in the token queue, provisioned by cachet-cli, its letter marked sent', async () => {
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await logIn(page, '/console/tokens');
    assert.equal(await page.locator('h1').innerText(), 'Tokens to provision');
    const row = page.locator(`#token-${orderId}`);
    assert.match(await row.innerText(), /WAITING/);
    assert.match(await row.locator('.token-command').innerText(), new RegExp(`cachet-cli token provision .*--order ${orderId}`));
    await page.screenshot({ path: join(shots, 'token-queue-desktop.png'), fullPage: true });

    // the operator's station: the shipped command line provisions the blank token over HTTP
    writeFileSync(join(work, 'api-key'), `${key}\n`);
    const provisioned = cachetCli('token', 'provision', '--server', base, '--order', orderId, '--module', MODULE, '--api-key-file', join(work, 'api-key'));
    assert.equal(provisioned.status, 0, provisioned.out);
    const delivery = await json(`/api/v1/orders/${orderId}/token`);
    assert.equal(delivery.stage, 'PROVISIONED', JSON.stringify(delivery));
    tokenLabel = delivery.tokenLabel;
    await until('the order in DELIVERY', async () => (await json(`/api/v1/orders/${orderId}`)).state === 'DELIVERY', 30);
    await page.reload();
    assert.equal(await page.locator(`#token-${orderId}`).count(), 0, 'no longer in the queue');

    await page.goto(`${base}/console/shipments`);
    const shipment = (await json(`/api/v1/orders/${orderId}/shipments`)).items[0];
    const letter = page.locator(`#s-${shipment.id}`);
    assert.match(await letter.innerText(), /Anna Maria Eriksson/);
    const label = await context.request.get(new URL(await letter.getByRole('link', { name: 'Label (English)' }).getAttribute('href'), base).href);
    assert.equal(label.status(), 200);
    assert.equal(label.headers()['content-type'], 'application/pdf');
    assert.equal((await label.body()).subarray(0, 5).toString(), '%PDF-');
    await letter.getByLabel('Tracking number').fill('1A01234567890');
    await letter.getByRole('button', { name: 'Mark sent' }).click();
    await until('the letter SENT', async () => (await json(`/api/v1/shipments/${shipment.id}`)).state === 'SENT', 10);
    await page.getByRole('link', { name: 'Sent', exact: true }).click();
    assert.match(await page.locator(`#s-${shipment.id}`).innerText(), /1A01234567890/);
    await page.screenshot({ path: join(shots, 'token-shipments-desktop.png'), fullPage: true });
    assert.deepEqual(unexpected(errors), []);
    await context.close();
  });

  test('phone, no script: no PIN before delivery, then a code by SMS, a wrong code, the PIN shown once', async () => {
    assert.ok(tokenLabel, 'the previous test provisioned the token');
    const shipment = (await json(`/api/v1/orders/${orderId}/shipments`)).items[0];

    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const errors = collectErrors(page);
    const link = await statusLink(manager.email);
    assert.equal((await page.goto(link)).status(), 200);
    await page.getByRole('link', { name: 'Retrieve the initialisation PIN' }).click();
    assert.equal(await page.locator('h1').innerText(), 'The initialisation PIN of your seal token');
    assert.match(await page.locator('#not-delivered').innerText(), /given only once the letter is delivered/);
    assert.match(await page.locator('#letter-sent').innerText(), /^Sent on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\. Tracking number: 1A01234567890\.$/);
    assert.equal(await page.locator('#send-code').count(), 0, 'no code before delivery');
    await page.screenshot({ path: join(shots, 'token-pin-not-delivered-phone.png'), fullPage: true });

    await json(`/api/v1/shipments/${shipment.id}/state`, { method: 'POST', body: JSON.stringify({ state: 'DELIVERED' }) });
    await page.reload();
    await page.getByRole('button', { name: 'Send me a code by SMS to +33 6 •• •• •• 01' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /A code has been sent to your mobile/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no sideways scrolling on a phone (${width})`);
    let code = await smsCode(manager.mobile, 1);
    const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
    await page.getByLabel('Code received by SMS').fill(wrong);
    await page.getByRole('button', { name: 'Show the PIN' }).click();
    assert.match(await page.locator('[role=alert]').innerText(), /This code is wrong\. Wrong codes left: 2\./);
    assert.equal(await page.locator('#pin').count(), 0);
    await page.screenshot({ path: join(shots, 'token-pin-wrong-code-phone.png'), fullPage: true });

    // two more wrong codes lock the retrieval; support reopens it from the order's console page
    for (const left of [1, 0]) {
      await page.getByLabel('Code received by SMS').fill(wrong);
      await page.getByRole('button', { name: 'Show the PIN' }).click();
      if (left > 0) assert.match(await page.locator('[role=alert]').innerText(), new RegExp(`Wrong codes left: ${left}\\.`));
    }
    assert.match(await page.locator('#locked').innerText(), /the retrieval of the PIN is locked\. Contact support/);
    assert.equal(await page.locator('#pin, #send-code').count(), 0);
    const support = await browser.newContext(desktop);
    const desk = await support.newPage();
    const consoleErrors = collectErrors(desk);
    await logIn(desk, `/console/orders/${orderId}`);
    await desk.getByRole('link', { name: 'Reopen the PIN retrieval' }).click();
    await desk.waitForURL((u) => u.pathname === `/console/token-pin/${orderId}`);
    assert.equal(await desk.locator('.console-tabs [aria-current=page]').textContent(), 'Orders');
    await desk.getByLabel(/Reason/).fill('Anna called: identity checked against the order by phone');
    await desk.getByRole('button', { name: 'Reopen the PIN retrieval' }).click();
    assert.match(await desk.locator('[role=status]').innerText(), /The PIN retrieval is reopened/);
    await desk.screenshot({ path: join(shots, 'token-pin-reopened-desktop.png'), fullPage: true });
    assert.equal((await json(`/api/v1/orders/${orderId}/token`)).pin, 'HELD');
    await desk.goto(`${base}/console/orders/${orderId}`);
    assert.equal(await desk.getByRole('link', { name: 'Reopen the PIN retrieval' }).count(), 0, 'offered only while locked');
    assert.deepEqual(unexpected(consoleErrors), []);
    await support.close();

    await page.goto(link);
    await page.getByRole('link', { name: 'Retrieve the initialisation PIN' }).click();
    await page.getByRole('button', { name: 'Send me a code by SMS to +33 6 •• •• •• 01' }).click();
    code = await smsCode(manager.mobile, 2);

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
    assert.match(await page.locator('main').innerText(), /at its first use, the token's software asks you for this initialisation PIN/);
    assert.doesNotMatch(await page.locator('main').innerText(), /cachet-cli/, 'no tool of the provider\'s for a holder');
    assert.match(await page.getByRole('region', { name: 'Using your token' }).innerText(), /PDF documents \(PAdES signatures\)/);
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
    assert.match(await page.locator('main').innerText(), /do not lose your token/);
    assert.match(await page.getByRole('region', { name: 'Using your token' }).innerText(), /detached XAdES or CAdES/);
    await page.screenshot({ path: join(shots, 'token-pin-activated-desktop.png'), fullPage: true });
    await until('the order ACTIVE', async () => (await json(`/api/v1/orders/${orderId}`)).state === 'ACTIVE', 30);
    assert.deepEqual(unexpected(errors), []);
    await context.close();
  });

  test('phone console: the delivered letter gets its signed acknowledgement of receipt', async () => {
    const shipment = (await json(`/api/v1/orders/${orderId}/shipments`)).items[0];
    assert.equal(shipment.state, 'DELIVERED');
    const context = await browser.newContext({ viewport: sizes.phone, isMobile: true, hasTouch: true, locale: 'en-GB' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await logIn(page, '/console/shipments');
    await page.goto(`${base}/console/shipments?state=DELIVERED`);
    const letter = page.locator(`#s-${shipment.id}`);
    const scan = join(work, 'receipt.pdf');
    writeFileSync(scan, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    await letter.getByLabel('Signed acknowledgement of receipt (PDF, JPEG or PNG)').setInputFiles(scan);
    await letter.getByRole('button', { name: 'Attach' }).click();
    await until('the receipt attached', async () => (await json(`/api/v1/shipments/${shipment.id}`)).receiptAttached === true, 10);
    assert.equal(await page.locator(`#s-${shipment.id}`).getByRole('link', { name: 'Receipt' }).count(), 1);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no sideways scrolling on a phone (${width})`);
    await page.screenshot({ path: join(shots, 'token-receipt-phone.png'), fullPage: true });
    await page.goto(`${base}/console/tokens`);
    assert.match(await page.locator('[role=status]').innerText(), /No token waits for provisioning/);
    assert.deepEqual(unexpected(errors), []);
    await context.close();
  });

  test("desktop console: the order's evidence file, read, downloaded and time-stamped again, and its certificate", async () => {
    await until('the evidence file made', async () => (await api(`/api/v1/orders/${orderId}/evidence/info`)).ok, 60);
    const info = await json(`/api/v1/orders/${orderId}/evidence/info`);
    const context = await browser.newContext({ ...desktop, acceptDownloads: true });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await logIn(page, `/console/orders/${orderId}`);
    const more = page.locator('section[aria-labelledby=more]');
    assert.match(await more.innerText(), new RegExp(`Evidence file[\\s\\S]*Sealed \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC: ${info.sections.length} attachments`));
    await more.getByRole('link', { name: 'Evidence file' }).click();
    await page.waitForURL((u) => u.pathname === `/console/evidence/${orderId}`);
    assert.equal(await page.locator('.console-tabs [aria-current=page]').textContent(), 'Orders');
    assert.equal(await page.locator('#sha256').innerText(), info.sha256);
    assert.deepEqual(await page.locator('#sections li').allInnerTexts(), info.sections);
    assert.match(await page.locator('#timestamps').innerText(), /^1, the last on /);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
    assert.equal(download.suggestedFilename(), `evidence-${orderId}.pdf`);
    const file = join(work, 'evidence.pdf');
    await download.saveAs(file);
    const pdfsig = execFileSync('pdfsig', ['-nocert', '-no-ocsp', file], { encoding: 'utf8' });
    assert.match(pdfsig, /Signature is Valid\./, pdfsig);
    await page.getByRole('button', { name: 'Add an archive time-stamp now' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /An archive time-stamp was added: the file now carries 2/);
    assert.equal((await json(`/api/v1/orders/${orderId}/evidence/info`)).timestamps, 2);
    await page.screenshot({ path: join(shots, 'token-evidence-desktop.png'), fullPage: true });

    // the order's certificate, from the same order page
    const certificate = await json(`/api/v1/orders/${orderId}/certificate`);
    await page.goto(`${base}/console/orders/${orderId}`);
    assert.match(await more.innerText(), new RegExp(`Certificate[\\s\\S]*Serial ${certificate.serial}, valid until`));
    await more.getByRole('link', { name: 'Certificate' }).click();
    await page.waitForURL((u) => u.pathname === `/console/certificate/${orderId}`);
    assert.equal(await page.locator('#status').innerText(), 'Issued');
    assert.equal(await page.locator('#serial').innerText(), certificate.serial);
    const [pem] = await Promise.all([page.waitForEvent('download'), page.locator('#pem').click()]);
    const pemFile = join(work, 'certificate.pem');
    await pem.saveAs(pemFile);
    const serial = execFileSync('openssl', ['x509', '-in', pemFile, '-noout', '-serial'], { encoding: 'utf8' });
    assert.equal(BigInt(`0x${serial.trim().replace(/^serial=/, '')}`), BigInt(`0x${certificate.serial}`), serial);
    await page.screenshot({ path: join(shots, 'token-certificate-desktop.png'), fullPage: true });
    assert.deepEqual(unexpected(errors), []);
    await context.close();

    // both pages on a phone: readable without sideways scrolling
    const phoneContext = await browser.newContext({ viewport: sizes.phone, isMobile: true, hasTouch: true, locale: 'en-GB' });
    const small = await phoneContext.newPage();
    const smallErrors = collectErrors(small);
    await logIn(small, `/console/evidence/${orderId}`);
    for (const [path, name] of [[`/console/evidence/${orderId}`, 'evidence'], [`/console/certificate/${orderId}`, 'certificate']]) {
      await small.goto(`${base}${path}`);
      assert.equal(await small.locator('h1 code').innerText(), orderId);
      const width = await small.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= sizes.phone.width, `${name}: no sideways scrolling on a phone (${width})`);
      await small.screenshot({ path: join(shots, `token-${name}-phone.png`), fullPage: true });
    }
    assert.deepEqual(unexpected(smallErrors), []);
    await phoneContext.close();
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

  test("phone, no script: the holder revokes the lost token's certificate with an SMS code, and OCSP says so to openssl", async () => {
    const chain = join(work, 'chain.pem');
    writeFileSync(chain, await (await fetch(`${base}/pki/chain.pem`)).text());
    const issuing = join(work, 'issuing.pem');
    const leaf = join(work, 'leaf.pem');
    execFileSync('openssl', ['x509', '-in', chain, '-out', issuing]);
    execFileSync('openssl', ['x509', '-in', join(work, 'certificate.pem'), '-out', leaf]);
    // OpenSSL 3 exits 1 when a status is not good: its text is what tells (the verification is on stderr)
    const ocsp = () => {
      const r = spawnSync('openssl', ['ocsp', '-issuer', issuing, '-cert', leaf, '-url', `${base}/ocsp`, '-CAfile', chain],
        { encoding: 'utf8' });
      return r.stdout + r.stderr;
    };
    const before = ocsp();
    assert.match(before, /Response verify OK/, before);
    assert.match(before, /leaf\.pem: good/, before);
    const certificate = await json(`/api/v1/orders/${orderId}/certificate`);

    // the order is ACTIVE: its status page offers the revocation, not the PIN
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(await statusLink(manager.email));
    assert.equal(await page.getByRole('link', { name: 'Retrieve the initialisation PIN' }).count(), 0);
    await page.getByRole('link', { name: 'Token lost or stolen? Revoke its certificate' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Revoke the seal certificate of your token');
    assert.equal(await page.locator('#serial').innerText(), certificate.serial);
    assert.match(await page.locator('#revoke-lead').innerText(), /Revocation is final/);
    await page.getByRole('button', { name: 'Send me a code by SMS to +33 6 •• •• •• 01' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /A code has been sent to your mobile/);
    let code;
    await until('the revocation code SMS', async () => {
      const sms = (await messages('sms', manager.mobile)).find((m) => /REVOKE/.test(m.body));
      code = sms && /\b(\d{6})\b/.exec(sms.body)[1];
      return Boolean(code);
    }, 30);
    const form = page.locator('#revoke-form');
    await form.getByLabel('The token was lost or stolen, or its PIN is known to someone else').check();
    await form.getByLabel(`I confirm that certificate ${certificate.serial} must be revoked, for good.`).check();
    await form.getByLabel('Code received by SMS').fill(String((Number(code) + 1) % 1000000).padStart(6, '0'));
    await form.getByRole('button', { name: 'Revoke the certificate' }).click();
    assert.match(await page.locator('[role=alert]').innerText(), /This code is wrong\. Wrong codes left: 2\./);
    assert.equal((await json(`/api/v1/certificates/${certificate.serial}`)).status, 'good', 'a wrong code revokes nothing');
    await page.screenshot({ path: join(shots, 'token-revoke-wrong-code-phone.png'), fullPage: true });
    assert.ok(await form.getByLabel('The token was lost or stolen, or its PIN is known to someone else').isChecked(), 'the reason is kept');
    await form.getByLabel(`I confirm that certificate ${certificate.serial} must be revoked, for good.`).check();
    await form.getByLabel('Code received by SMS').fill(code);
    await form.getByRole('button', { name: 'Revoke the certificate' }).click();
    assert.match(await page.locator('[role=status]').innerText(),
      new RegExp(`Certificate ${certificate.serial} is revoked \\(The token was lost or stolen`));
    assert.match(await page.locator('#revoked').innerText(), /Revoked on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    assert.equal(await page.locator('#revoke-form, #send-code').count(), 0, 'no second revocation');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no sideways scrolling on a phone (${width})`);
    await page.screenshot({ path: join(shots, 'token-revoked-phone.png'), fullPage: true });
    assert.deepEqual(unexpected(errors), []);
    await context.close();

    const atTheCa = await json(`/api/v1/certificates/${certificate.serial}`);
    assert.equal(atTheCa.status, 'revoked');
    assert.equal(atTheCa.revocation.reason, 'keyCompromise');
    const after = ocsp();
    assert.match(after, /Response verify OK/, after);
    assert.match(after, /leaf\.pem: revoked/, after);
    assert.match(after, /Reason: keyCompromise/, after);
    // both persons of the order are e-mailed
    const revokedMail = (m) => m.subject.includes('seal certificate of Token Browser SAS revoked');
    await until('the revocation e-mailed', async () => (await messages('email', manager.email)).some(revokedMail), 20);
    const told = (await messages('email', manager.email)).find(revokedMail);
    assert.match(told.body, new RegExp(`serial ${certificate.serial}\\) was revoked on .*: its key is compromised\\.`), told.body);
    assert.ok((await messages('email', representative.email)).some(revokedMail), 'the legal representative too');

    // support sees it on the certificate's console page, with no revocation form left
    const desk = await browser.newContext(desktop);
    const support = await desk.newPage();
    const consoleErrors = collectErrors(support);
    await logIn(support, `/console/certificate/${orderId}`);
    assert.match(await support.locator('#revoked').innerText(), /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(Key compromised\)/);
    assert.equal(await support.locator('#revoke-form').count(), 0);
    await support.screenshot({ path: join(shots, 'token-certificate-revoked-desktop.png'), fullPage: true });
    assert.deepEqual(unexpected(consoleErrors), []);
    await desk.close();
  });
});
