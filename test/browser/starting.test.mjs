// What a person sees while Cachet starts: an address not served yet (here one that is never served) is a branded
// "starting" page with 503 and Retry-After, in French or English, at phone and desktop sizes, without any policy
// violation; its reload link, followed once Cachet is ready, gives the ordinary "page not found". The server is
// watched from the moment its port opens (a first start: several seconds before it is ready).
// Screenshots: test/browser/target/screenshots/starting-*.png. Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jar, freePort, launchChromium, collectErrors, until, shots, sizes } from './cachet.mjs';

let server, data, base, browser;

describe('the "starting" page in Chromium', () => {
  before(async () => {
    assert.ok(existsSync(jar), `${jar} is missing: build first`);
    mkdirSync(shots, { recursive: true });
    browser = await launchChromium();
    data = mkdtempSync(join(tmpdir(), 'cachet-browser-starting-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn('java', ['-jar', jar, '--data', data, '--port', String(port)], { stdio: 'ignore' });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) server.kill('SIGKILL');
    if (data) rmSync(data, { recursive: true, force: true });
  });

  test('503 with Retry-After and a branded page in the reader\'s language, then "not found" once ready', async () => {
    // the port opens early in the start; from then until ready, an unknown address is the "starting" answer
    let first;
    await until('the port to open', async () => {
      try { first = await fetch(`${base}/no-such-page`); return true; } catch { return false; }
    });
    assert.equal(first.status, 503, 'the first answer of a starting server (is it already ready?)');
    assert.equal(first.headers.get('retry-after'), '1');

    const words = {
      'fr-FR': { lang: 'fr', heading: 'Démarrage en cours', reload: 'Recharger la page', notFound: 'Page introuvable' },
      'en-GB': { lang: 'en', heading: 'Starting', reload: 'Reload the page', notFound: 'Page not found' },
    };
    const kept = [];
    for (const [locale, want] of Object.entries(words)) {
      for (const [name, viewport] of Object.entries(sizes)) {
        const page = await browser.newPage({ viewport, locale });
        const errors = collectErrors(page);
        // the page's own 503 (and 404 later) is what this test wants; Chromium logs each as a failed load, so they
        // are left out of the console errors, and what the page loads besides (its styles, the logo) is checked
        const assetFailures = [];
        page.on('response', (r) => {
          if (r.request().resourceType() !== 'document' && r.status() >= 400) assetFailures.push(`${r.status()} ${r.url()}`);
        });
        const answer = await page.goto(`${base}/no-such-page`);
        assert.equal(answer.status(), 503, `${locale} ${name}: still starting`);
        assert.equal(answer.headers()['retry-after'], '1');
        assert.equal(await page.locator('html').getAttribute('lang'), want.lang);
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), want.heading);
        assert.equal(await page.getByRole('main').count(), 1, 'one main landmark');
        assert.equal(await page.getByRole('link', { name: want.reload, exact: true }).count(), 1, 'a reload link');
        await page.screenshot({ path: join(shots, `starting-${want.lang}-${name}.png`), fullPage: true });
        kept.push({ page, errors, assetFailures, want, name });
      }
    }

    await until('/health 200', async () => {
      try { return (await fetch(`${base}/health`)).status === 200; } catch { return false; }
    });
    for (const { page, errors, assetFailures, want, name } of kept) {
      const [answer] = await Promise.all([
        page.waitForNavigation(),
        page.getByRole('link', { name: want.reload, exact: true }).click(),
      ]);
      assert.equal(answer.status(), 404, `${want.lang} ${name}: once ready, the page is really not there`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), want.notFound);
      assert.ok(page.url().endsWith('/no-such-page'), `the link reloaded the same address: ${page.url()}`);
      const documentStatus = /^Failed to load resource: the server responded with a status of (503|404) /;
      assert.deepEqual(errors.filter((e) => !documentStatus.test(e)), [], 'no console error (a policy violation would be one)');
      assert.equal(errors.filter((e) => documentStatus.test(e)).length, 2, `the two pages' own statuses: ${errors}`);
      assert.deepEqual(assetFailures, [], 'every style and image of both pages loaded');
      await page.close();
    }
  });
});
