// The acceptance page in headless Chromium at a phone viewport, scripts off (the page needs none). The real cachet.jar
// starts with a fixture of this test in DATA/deploy (fixtures/order-checks, compiled and packed here) that passes the
// checks of VERIFICATION as identity proofing and the organisation check would, so that an order made through
// POST /api/v1/orders reaches ACCEPTANCE. Each person opens the link of their e-mail (read from the outbox): the form
// is shown as page images, "send me a code" sends an SMS (read from the outbox), a wrong code is refused with the
// tries left, the right one accepts and the platform seals the form; the second person, coming from their status page's
// "Sign the acceptance form", sees the first's acceptance and accepts in turn; the form then carries two signatures pdfsig finds valid and the order has moved to ISSUANCE. A link
// of one person does not accept with the other's code; a second acceptance is refused; no content security policy
// violation. Screenshots: target/screenshots/acceptance-*.png.
// Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { startCachet, launchChromium, collectErrors, adminApiKey, until, shots, sizes, root, fixtureBundle, initialAdmin, advance, apiClient } from './cachet.mjs';

const phone = { viewport: sizes.phone, isMobile: true, hasTouch: true, locale: 'en-GB', javaScriptEnabled: false };
let api, cachet, base, browser, key, orderId;

/** The outbox's messages of a channel to `to`, newest first. */
async function messages(channel, to) {
  const answer = await api(`/api/v1/outbox?channel=${channel}&limit=500`);
  assert.equal(answer.status, 200, 'GET /api/v1/outbox');
  return (await answer.json()).messages.filter((m) => m.to === to);
}

/** The acceptance link e-mailed to `email`. */
async function acceptanceLink(email) {
  let link;
  await until(`the acceptance e-mail to ${email}`, async () => {
    const mail = (await messages('email', email)).find((m) => /\/acceptance\//.test(m.body));
    link = mail && /(http\S+\/acceptance\/\S+)/.exec(mail.body)[1];
    return Boolean(link);
  }, 60);
  return link;
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

/** The code of the newest acceptance SMS to `mobile`, once there are `count` of them. */
async function smsCode(mobile, count) {
  let code;
  await until(`acceptance SMS #${count} to ${mobile}`, async () => {
    const sms = (await messages('sms', mobile)).filter((m) => /acceptance code/.test(m.body));
    if (sms.length < count) return false;
    code = /\b(\d{6})\b/.exec(sms[0].body)[1];
    return true;
  }, 30);
  return code;
}

/** Errors other than the status of a refused form (a wrong code is a 422 on purpose): CSP violations, failed scripts. */
function unexpected(errors) {
  return errors.filter((e) => !/Failed to load resource: the server responded with a status of 4(09|22|29)/.test(e));
}

/** Whether every page image of the form was loaded and decoded (the servlet rendered real PNGs). */
async function pagesShown(page) {
  return page.locator('img.form-page').evaluateAll((imgs) => imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 500));
}

describe('the acceptance page, in Chromium at a phone viewport', () => {
  before(async () => {
    const jar = fixtureBundle('order-checks', 'io/cachet/browsertest/checks/Activator.java');
    cachet = await startCachet('cachet-acceptance-', (data) => {
      const deploy = join(data, 'deploy');
      mkdirSync(deploy, { recursive: true });
      execFileSync('cp', [jar, join(deploy, 'order-checks.jar')]);
    });
    ({ base } = cachet);
    browser = await launchChromium();
    key = await adminApiKey(browser, base, cachet.data);
    ({ api } = apiClient(base, key));
    const body = {
      product: 'enterprise-plus', validityYears: 1, medium: 'cloud', language: 'en',
      certificateManager: { givenNames: 'Anna Maria', surname: 'Eriksson', birthDate: '1974-08-12', email: 'anna@accept.example', mobile: '+33612345678' },
      legalRepresentative: { givenNames: 'Jean', surname: 'Dupont', birthDate: '1960-03-01', email: 'jean@accept.example', mobile: '+33698765412' },
      organisation: { name: 'Acceptance Browser SAS', country: 'FR', identifier: '552100554', vat: 'FR96552100554',
        address: { lines: ['1 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' } },
    };
    const made = await api('/api/v1/orders', { method: 'POST', body: JSON.stringify(body) });
    assert.equal(made.status, 201, await made.clone().text());
    orderId = (await made.json()).id;
    await advance(base, key, orderId, 'ACCEPTANCE', 60);
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
  });

  test('phone, no script: the form as pages, a code by SMS, a wrong code, the acceptance sealed', async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const errors = collectErrors(page);
    const link = await acceptanceLink('anna@accept.example');
    assert.equal((await page.goto(link)).status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Accept your seal certificate');
    assert.match(await page.locator('main').innerText(), /Hello Anna Maria Eriksson,/);
    assert.match(await page.locator('#status-me').innerText(), /Your acceptance is awaited/);
    assert.match(await page.locator('.status-other').innerText(), /Jean Dupont has not accepted yet/);
    await until('the form pages shown', () => pagesShown(page), 30);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no sideways scrolling on a phone (${width})`);
    assert.equal(await page.locator('#code').count(), 0, 'no code field before a code was sent');
    await page.screenshot({ path: join(shots, 'acceptance-form-phone.png'), fullPage: true });

    await page.getByRole('button', { name: 'Send me a code by SMS to +33 6 •• •• •• 78' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /A code has been sent to your mobile/);
    const code = await smsCode('+33612345678', 1);
    const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
    await page.getByLabel('Code received by SMS').fill(wrong);
    await page.getByRole('button', { name: 'I accept the form' }).click();
    assert.match(await page.locator('[role=alert]').innerText(), /This code is wrong\. Tries left: 4\./);
    await page.screenshot({ path: join(shots, 'acceptance-wrong-code-phone.png'), fullPage: true });

    const acceptToken = await page.locator('#accept-form input[name=csrf]').inputValue();
    await page.getByLabel('Code received by SMS').fill(code);
    await page.getByRole('button', { name: 'I accept the form' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /your acceptance is recorded and the form is sealed/);
    assert.match(await page.locator('#status-me').innerText(), /You accepted on \d{4}-\d{2}-\d{2}/);
    assert.equal(await page.locator('#send-code').count(), 0, 'nothing more to do');
    await until('the sealed form pages shown', () => pagesShown(page), 30);
    await page.screenshot({ path: join(shots, 'acceptance-accepted-phone.png'), fullPage: true });
    // the same acceptance posted again (a stale tab): refused, nothing changed
    const again = await context.request.post(`${link}/accept`, { form: { csrf: acceptToken, code }, headers: { Origin: new URL(link).origin, 'Accept-Language': 'en' } });
    assert.equal(again.status(), 409, await again.text());
    assert.match(await again.text(), /You have already accepted this form/);
    assert.deepEqual(unexpected(errors), []);
    await context.close();
  });

  test('phone, no script: the second person, the other\'s code refused, then both signatures valid', async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const errors = collectErrors(page);
    // Jean comes from his status page (as after the reminder, or having lost the acceptance e-mail)
    assert.equal((await page.goto(await statusLink('jean@accept.example'))).status(), 200);
    await page.getByRole('link', { name: 'Sign the acceptance form' }).click();
    assert.match(new URL(page.url()).pathname, /^\/acceptance\/[A-Za-z0-9_-]+$/);
    assert.match(await page.locator('.status-other').innerText(), /Anna Maria Eriksson has accepted/);
    await page.getByRole('button', { name: /Send me a code by SMS to \+33 6 •• •• •• 12/ }).click();
    const code = await smsCode('+33698765412', 1);
    const annas = await smsCode('+33612345678', 1);
    if (annas !== code) {
      await page.getByLabel('Code received by SMS').fill(annas);
      await page.getByRole('button', { name: 'I accept the form' }).click();
      assert.match(await page.locator('[role=alert]').innerText(), /This code is wrong/);
    }
    await page.getByLabel('Code received by SMS').fill(code);
    await page.getByRole('button', { name: 'I accept the form' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /your acceptance is recorded/);
    assert.match(await page.locator('.status-other').innerText(), /Anna Maria Eriksson has accepted/);
    await until('the sealed form pages shown', () => pagesShown(page), 30);
    await page.screenshot({ path: join(shots, 'acceptance-both-phone.png'), fullPage: true });
    assert.deepEqual(unexpected(errors), []);
    await context.close();

    const status = await (await api(`/api/v1/acceptance/${orderId}`)).json();
    assert.equal(status.complete, true, JSON.stringify(status));
    assert.deepEqual(status.persons.map((p) => p.status), ['ACCEPTED', 'ACCEPTED']);
    const form = await api(`/api/v1/acceptance/${orderId}/form`);
    assert.equal(form.status, 200);
    assert.equal(form.headers.get('content-type'), 'application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'cachet-acceptance-form-'));
    const file = join(dir, 'form.pdf');
    writeFileSync(file, Buffer.from(await form.arrayBuffer()));
    const pdfsig = execFileSync('pdfsig', ['-nocert', '-no-ocsp', file], { encoding: 'utf8' });
    assert.equal((pdfsig.match(/Signature is Valid\./g) || []).length, 2, pdfsig);
    // the issuance module issues a cloud order's certificate at once: ISSUANCE may already be behind it
    await until('the order in ISSUANCE or past it', async () => ['ISSUANCE', 'DELIVERY'].includes((await (await api(`/api/v1/orders/${orderId}`)).json()).state), 30);
  });

  test("desktop console: the order's acceptance, each person's and the signed form", async () => {
    const context = await browser.newContext({ viewport: sizes.desktop, locale: 'en-GB', acceptDownloads: true });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${base}/console/login?next=/console/orders/${orderId}`);
    await page.getByLabel('Login').fill(initialAdmin(cachet.data).login);
    await page.getByLabel('Password').fill('violet tractor harbour 77'); // adminApiKey's
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === `/console/orders/${orderId}`);
    const more = page.locator('section[aria-labelledby=more]');
    assert.match(await more.innerText(), /Acceptance\s+2 of 2 accepted\./);
    await more.getByRole('link', { name: 'Acceptance' }).click();
    await page.waitForURL((u) => u.pathname === `/console/acceptance/${orderId}`);
    assert.equal(await page.locator('.console-tabs [aria-current=page]').textContent(), 'Orders');
    assert.match(await page.locator('#complete').innerText(), /Every person accepted; the acceptance was complete on \d{4}-\d{2}-\d{2}/);
    const rows = await page.locator('#persons tbody tr').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => /Accepted on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/.test(r)), rows.join('\n'));
    assert.match(rows[0], /Anna Maria Eriksson\s+certificate manager/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#form').click()]);
    const file = join(mkdtempSync(join(tmpdir(), 'cachet-acceptance-console-')), 'form.pdf');
    await download.saveAs(file);
    const pdfsig = execFileSync('pdfsig', ['-nocert', '-no-ocsp', file], { encoding: 'utf8' });
    assert.equal((pdfsig.match(/Signature is Valid\./g) || []).length, 2, pdfsig);
    await page.screenshot({ path: join(shots, 'acceptance-console-desktop.png'), fullPage: true });
    assert.deepEqual(unexpected(errors), []);
    await context.close();

    // on a phone: readable without sideways scrolling
    const phoneContext = await browser.newContext({ viewport: sizes.phone, isMobile: true, hasTouch: true, locale: 'en-GB' });
    const small = await phoneContext.newPage();
    await small.goto(`${base}/console/login?next=/console/acceptance/${orderId}`);
    await small.getByLabel('Login').fill(initialAdmin(cachet.data).login);
    await small.getByLabel('Password').fill('violet tractor harbour 77');
    await small.getByRole('button', { name: 'Log in' }).click();
    await small.waitForURL((u) => u.pathname === `/console/acceptance/${orderId}`);
    assert.equal(await small.locator('#persons tbody tr').count(), 2);
    const width = await small.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no sideways scrolling on a phone (${width})`);
    await small.screenshot({ path: join(shots, 'acceptance-console-phone.png'), fullPage: true });
    await phoneContext.close();
  });

  test('phone: an unknown link shows nothing of the order', async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const unknown = await page.goto(`${base}/acceptance/${'x'.repeat(43)}`);
    assert.equal(unknown.status(), 404);
    assert.equal(await page.locator('h1').innerText(), 'Unknown link');
    const text = await page.locator('main').innerText();
    assert.ok(!text.includes('Acceptance Browser') && !text.includes('Anna'), 'no order data');
    await context.close();
  });
});
