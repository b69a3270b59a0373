// The customer's side in headless Chromium: the order page in French at a phone size and in English on a desktop,
// an invalid SIREN refused next to its field, the summary, the confirmation; then the personal link read from the
// outbox (GET /api/v1/outbox, the embedded default keeps e-mails there) opens the order's status page. Forged,
// revoked (cancelled order) links get their clear pages, and a cross-site post without the form token is refused.
// From the status page a person goes on to their identity proofing (the identity module's action).
// Starts the real cachet.jar on a fresh data directory. Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startCachet, launchChromium, collectErrors, adminApiKey, outbox, until, shots, sizes } from './cachet.mjs';

let cachet, base, data, browser, key;
const LINK = /http:\/\/localhost:(\d+)(\/order\/status\/[A-Za-z0-9_-]{43})/;

/** Fills a person's fields (prefix certificateManager or legalRepresentative). */
async function person(page, prefix, p) {
  await page.locator(`#f-${prefix}-givenNames`).fill(p.givenNames);
  await page.locator(`#f-${prefix}-surname`).fill(p.surname);
  await page.locator(`#f-${prefix}-birthDate`).fill(p.birthDate);
  await page.locator(`#f-${prefix}-email`).fill(p.email);
  await page.locator(`#f-${prefix}-mobile`).fill(p.mobile);
}

async function organisation(page, name, siren) {
  await page.locator('#f-organisation-name').fill(name);
  await page.locator('#f-organisation-country').fill('FR');
  await page.locator('#f-organisation-identifier').fill(siren);
  await page.locator('#f-organisation-vat').fill('FR96552100554');
  await page.locator('#f-organisation-address-lines-0').fill('1 rue de la Paix');
  await page.locator('#f-organisation-address-postalCode').fill('75002');
  await page.locator('#f-organisation-address-city').fill('Paris');
}

/** The status link e-mailed to `to`: waits for the message in the outbox; returns the page's URL on this server. */
async function statusLink(to) {
  // the person also gets other e-mails (the identity proofing's link): the one carrying a status link is looked for
  let message;
  await until(`an e-mail with a status link to ${to} in the outbox`,
    async () => (message = (await outbox(base, key, to)).find((m) => LINK.test(m.body))) !== undefined, 60);
  const found = message.body.match(LINK);
  assert.equal(found[1], new URL(base).port, 'the link names this server (public base URL default)');
  return { url: `${base}${found[2]}`, message };
}

describe('customer portal in Chromium', () => {
  before(async () => {
    cachet = await startCachet('cachet-portal-');
    ({ base, data } = cachet);
    browser = await launchChromium();
    key = await adminApiKey(browser, base, data);
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
  });

  test('French, phone: an invalid SIREN is shown next to its field, then the order goes through to the status page', async () => {
    const page = await browser.newPage({ viewport: sizes.phone, locale: 'fr-FR' });
    const errors = collectErrors(page);
    const answer = await page.goto(`${base}/order`);
    assert.equal(answer.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Commander un cachet électronique qualifié');
    assert.ok(await page.locator('table.prices').count() <= 1);
    await page.locator('#f-validityYears-1').check();
    await page.locator('#f-medium-cloud').check();
    await person(page, 'certificateManager', { givenNames: 'Anna Maria', surname: 'Eriksson', birthDate: '1974-08-12',
      email: 'anna.fr@example.org', mobile: '06 12 34 56 78' });
    await page.getByLabel(/aussi le représentant légal/).check();
    await organisation(page, 'ACME SAS', '552100555'); // wrong check digit
    await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();

    const field = page.locator('#f-organisation-identifier');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    const message = page.locator('#f-organisation-identifier-error');
    assert.match(await message.innerText(), /SIREN/);
    assert.match(await field.getAttribute('aria-describedby'), /f-organisation-identifier-error/);
    assert.equal(await page.locator('.error-summary a[href="#f-organisation-identifier"]').count(), 1, 'listed at the top too');
    assert.equal(await page.locator('#f-certificateManager-givenNames').inputValue(), 'Anna Maria', 'values kept');
    await page.screenshot({ path: join(shots, 'order-siren-error-phone.png'), fullPage: true });

    await field.fill('552100554');
    await page.getByRole('button', { name: 'Continuer vers le récapitulatif' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Vérifiez votre commande');
    assert.match(await page.locator('dl.summary').first().innerText(), /1 an/);
    assert.match(await page.locator('main').innerText(), /552100554/);
    await page.screenshot({ path: join(shots, 'order-summary-phone.png'), fullPage: true });
    await page.getByRole('button', { name: 'Confirmer la commande' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Merci : votre commande est enregistrée');
    assert.match(await page.locator('main').innerText(), /anna\.fr@example\.org/);
    await page.screenshot({ path: join(shots, 'order-done-phone.png'), fullPage: true });

    const { url, message: mail } = await statusLink('anna.fr@example.org');
    assert.match(mail.subject, /votre commande/);
    const status = await page.goto(url);
    assert.equal(status.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Votre commande');
    const text = await page.locator('main').innerText();
    assert.match(text, /Anna Maria Eriksson, responsable du certificat et représentant légal/);
    assert.match(text, /ACME SAS/);
    assert.match(text, /Commande reçue/);
    assert.match(await page.locator('#deadline').innerText(), /doivent être terminés avant le \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC ; ensuite, la commande expire/);
    await page.screenshot({ path: join(shots, 'status-phone.png'), fullPage: true });
    // the form shown again with the SIREN error answers 400 (bad input), which Chromium logs: not a page error
    assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), [], 'no script or policy error');
    await page.close();
  });

  test('English, desktop: two persons and a token; each gets a link; the other person is shown by name only', async () => {
    const page = await browser.newPage({ viewport: sizes.desktop, locale: 'en-GB' });
    const errors = collectErrors(page);
    await page.goto(`${base}/order`);
    assert.equal(await page.locator('h1').innerText(), 'Order a qualified electronic seal');
    await page.locator('#f-validityYears-2').check();
    await page.locator('#f-medium-usb-c').check();
    await person(page, 'certificateManager', { givenNames: 'Anna', surname: 'Eriksson', birthDate: '1974-08-12',
      email: 'anna.en@example.org', mobile: '+33612345678' });
    await person(page, 'legalRepresentative', { givenNames: 'Bob', surname: 'Martin', birthDate: '1968-02-03',
      email: 'bob.en@example.org', mobile: '+33698765432' });
    await organisation(page, 'Globex SARL', '552100554');
    await page.locator('#f-delivery-beneficiary').fill('Anna Eriksson');
    await page.locator('#f-delivery-address-lines-0').fill('2 rue des Lilas');
    await page.locator('#f-delivery-address-postalCode').fill('69001');
    await page.locator('#f-delivery-address-city').fill('Lyon');
    await page.screenshot({ path: join(shots, 'order-form-desktop.png'), fullPage: true });
    await page.getByRole('button', { name: 'Continue to the summary' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Check your order');
    assert.match(await page.locator('main').innerText(), /2 rue des Lilas/);
    await page.screenshot({ path: join(shots, 'order-summary-desktop.png'), fullPage: true });
    await page.getByRole('button', { name: 'Confirm the order' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Thank you: your order is recorded');

    const anna = await statusLink('anna.en@example.org');
    const bob = await statusLink('bob.en@example.org');
    assert.notEqual(anna.url, bob.url, 'one link per person');
    await page.goto(bob.url);
    const text = await page.locator('main').innerText();
    assert.match(text, /You: Bob Martin, legal representative/);
    assert.match(text, /Also named: Anna Eriksson, certificate manager/);
    for (const secret of ['anna.en@example.org', '+33612345678', '1974-08-12']) {
      assert.ok(!text.includes(secret), `${secret} is not shown to the other person`);
    }
    await page.screenshot({ path: join(shots, 'status-desktop.png'), fullPage: true });
    // the identity module's action: Bob goes on to his own identity proofing from the status page
    const identify = page.getByRole('link', { name: 'Identify yourself' });
    assert.equal(await identify.count(), 1, 'offered while his identity is to be proven');
    await identify.click();
    await page.waitForURL((u) => u.pathname.startsWith('/identity/mobile/'));
    assert.match(await page.locator('main').innerText(), /Continue on your phone/);
    assert.deepEqual(errors, [], 'no script or policy error');
    await page.close();
  });

  test('a forged link is a clear 404 page; a cancelled order\'s link offers a fresh one without showing the order', async () => {
    const page = await browser.newPage({ viewport: sizes.phone, locale: 'en-GB' });
    const forged = await page.goto(`${base}/order/status/${'A'.repeat(43)}`);
    assert.equal(forged.status(), 404);
    assert.equal(await page.locator('h1').innerText(), 'This link is not recognised');
    await page.screenshot({ path: join(shots, 'link-unknown-phone.png'), fullPage: true });

    // an order by the API, cancelled by an operator: its links are revoked
    const body = { product: 'enterprise-plus', validityYears: 1, medium: 'cloud', language: 'en',
      certificateManager: { givenNames: 'Carla', surname: 'Bruni', birthDate: '1970-01-01', email: 'carla@example.org', mobile: '+33612345678' },
      legalRepresentative: { sameAsCertificateManager: true },
      organisation: { name: 'Initech SAS', country: 'FR', identifier: '552100554', vat: 'FR96552100554',
        address: { lines: ['3 rue Y'], postalCode: '75003', city: 'Paris', country: 'FR' } } };
    const made = await fetch(`${base}/api/v1/orders`, { method: 'POST', body: JSON.stringify(body),
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' } });
    assert.equal(made.status, 201, await made.clone().text());
    const { id } = await made.json();
    const { url } = await statusLink('carla@example.org');
    assert.equal((await page.goto(url)).status(), 200);
    const cancelled = await fetch(`${base}/api/v1/orders/${id}/cancellation`, { method: 'POST', body: JSON.stringify({ reason: 'test' }),
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' } });
    assert.equal(cancelled.status, 200, await cancelled.clone().text());

    const revoked = await page.goto(url);
    assert.equal(revoked.status(), 410);
    assert.equal(await page.locator('h1').innerText(), 'This link no longer opens');
    const text = await page.locator('main').innerText();
    assert.ok(!text.includes('Initech') && !text.includes('Carla'), 'no order data on the page');
    await page.screenshot({ path: join(shots, 'link-expired-phone.png'), fullPage: true });
    await page.getByRole('button', { name: 'Send me a fresh link' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /If this link may be renewed/);
    await page.screenshot({ path: join(shots, 'link-renew-asked-phone.png'), fullPage: true });
    await page.close();
  });

  test('a cross-site post of the order form, without the browser\'s form token, is refused and orders nothing', async () => {
    const before = await (await fetch(`${base}/api/v1/orders`, { headers: { Authorization: `Bearer ${key}` } })).json();
    const form = new URLSearchParams({ step: 'confirm', product: 'enterprise-plus', validityYears: '1', medium: 'cloud',
      'certificateManager.givenNames': 'Eve', 'certificateManager.surname': 'Forger', 'certificateManager.birthDate': '1980-01-01',
      'certificateManager.email': 'eve@example.org', 'certificateManager.mobile': '+33612345678',
      'legalRepresentative.sameAsCertificateManager': 'true', 'organisation.name': 'Evil SAS', 'organisation.country': 'FR',
      'organisation.identifier': '552100554', 'organisation.address.lines[0]': '1 rue Z', 'organisation.address.postalCode': '75001',
      'organisation.address.city': 'Paris', 'organisation.address.country': 'FR', csrf: 'guessed' });
    const noCookie = await fetch(`${base}/order`, { method: 'POST', body: form, headers: { Origin: 'https://evil.example' } });
    assert.equal(noCookie.status, 403);
    const withCookie = await fetch(`${base}/order`, { method: 'POST', body: form,
      headers: { Origin: 'https://evil.example', Cookie: `cachet_form=${'B'.repeat(43)}` } });
    assert.equal(withCookie.status, 403);
    const after = await (await fetch(`${base}/api/v1/orders`, { headers: { Authorization: `Bearer ${key}` } })).json();
    assert.equal(after.orders.length, before.orders.length, 'no order made');
  });
});
