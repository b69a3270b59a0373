// The public home page in headless Chromium at phone and desktop sizes: French by default and to a French browser,
// English to an English one, the language switch (by keyboard, remembered), no content security policy violation,
// readable colours, cached assets; then the example reseller brand, installed and selected while Cachet runs the way
// an operator does it (its bundle dropped into DATA/deploy, brand=example in DATA/deploy/io.cachet.web.brand.cfg).
// Screenshots: test/browser/target/screenshots/home-*.png. Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, startCachet, launchChromium, collectErrors, until, shots, sizes } from './cachet.mjs';

const exampleJar = join(root, 'examples', 'brand-example', 'target', 'io.cachet.brand.example-0.1.0-SNAPSHOT.jar');
let cachet, base, browser;

/** WCAG contrast ratio of two CSS colours rgb(r, g, b). */
function contrast(a, b) {
  const lum = (css) => {
    const [r, g, bl] = css.match(/\d+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

async function colours(page, selector) {
  return page.locator(selector).first().evaluate((e) => {
    const s = getComputedStyle(e);
    let bg = s.backgroundColor, n = e;
    while (bg === 'rgba(0, 0, 0, 0)' && n.parentElement) { n = n.parentElement; bg = getComputedStyle(n).backgroundColor; }
    return { fg: s.color, bg };
  });
}

async function readable(page, selectors) {
  for (const sel of selectors) {
    const { fg, bg } = await colours(page, sel);
    assert.ok(contrast(fg, bg) >= 4.5, `${sel}: ${fg} on ${bg} is ${contrast(fg, bg).toFixed(2)}:1, under 4.5:1`);
  }
}

describe('home page in Chromium', () => {
  before(async () => {
    cachet = await startCachet('cachet-browser-home-');
    base = cachet.base;
    browser = await launchChromium();
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
  });

  test('French by default and to a French browser, English to an English one, at both sizes', async () => {
    const expected = {
      'fr-FR': { lang: 'fr', heading: 'Comment ça marche', skip: 'Aller au contenu', other: 'English' },
      'en-GB': { lang: 'en', heading: 'How it works', skip: 'Skip to content', other: 'Français' },
      'de-DE': { lang: 'fr', heading: 'Comment ça marche', skip: 'Aller au contenu', other: 'English' },
    };
    for (const [locale, want] of Object.entries(expected)) {
      for (const [name, viewport] of Object.entries(sizes)) {
        const page = await browser.newPage({ viewport, locale });
        const errors = collectErrors(page);
        const answer = await page.goto(`${base}/`);
        assert.equal(answer.status(), 200);
        assert.equal(await page.locator('html').getAttribute('lang'), want.lang, locale);
        assert.equal(await page.locator('h1').innerText(), 'Cachet');
        assert.equal(await page.getByRole('heading', { level: 2 }).innerText(), want.heading);
        assert.equal(await page.locator('.skip-link').innerText(), want.skip);
        assert.equal(await page.getByRole('main').count(), 1, 'one main landmark');
        assert.equal(await page.getByRole('contentinfo').count(), 1, 'a footer');
        assert.equal(await page.getByRole('link', { name: want.other, exact: true }).count(), 1, 'the switch offers the other language');
        assert.ok(await page.locator('header img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the brand logo loads');
        await readable(page, ['body', '.brand-name', '.site-footer', '.site-footer a']);
        if (locale !== 'de-DE') await page.screenshot({ path: join(shots, `home-${want.lang}-${name}.png`), fullPage: true });
        assert.deepEqual(errors, [], 'no console error (a policy violation would be one)');
        await page.close();
      }
    }
  });

  test('the language switch is reached with the keyboard, works, and is remembered', async () => {
    const context = await browser.newContext({ viewport: sizes.phone, locale: 'fr-FR' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${base}/`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Aller au contenu', 'the skip link comes first');
    let reached = false;
    for (let i = 0; i < 5 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement.getAttribute('hreflang') === 'en');
    }
    assert.ok(reached, 'the English link is reachable with Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible');
    await Promise.all([page.waitForURL(/lang=en/), page.keyboard.press('Enter')]);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.getByRole('heading', { level: 2 }).innerText(), 'How it works');
    const cookie = (await context.cookies()).find((c) => c.name === 'lang');
    assert.equal(cookie && cookie.value, 'en');
    await page.goto(`${base}/`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'remembered over the French browser');
    await page.screenshot({ path: join(shots, 'home-switched-en-phone.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('pages allow no inline code and assets are cached at versioned URLs', async () => {
    const home = await fetch(`${base}/`, { headers: { 'Accept-Language': 'en' } });
    const csp = home.headers.get('content-security-policy');
    assert.ok(csp.includes("default-src 'none'") && csp.includes("style-src 'self'") && !csp.includes('unsafe'), csp);
    const html = await home.text();
    assert.ok(!/<script|\sstyle=|\son[a-z]+=/i.test(html), 'no script, inline style or handler');
    const css = html.match(/href="(\/assets\/cachet\/[0-9a-f]{12}\/cachet\.css)"/)[1];
    const asset = await fetch(`${base}${css}`);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(asset.headers.get('content-type'), /^text\/css/);
    const again = await fetch(`${base}${css}`, { headers: { 'If-None-Match': asset.headers.get('etag') } });
    assert.equal(again.status, 304);
    assert.equal((await fetch(`${base}/assets/cachet/0/nothing.css`)).status, 404);
    const missing = await fetch(`${base}/no/such/page`, { headers: { 'Accept-Language': 'en' } });
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Page not found/);
  });

  test('the example brand, installed and selected while running, changes the look and the words', async () => {
    assert.ok(existsSync(exampleJar), `${exampleJar} is missing: build first`);
    copyFileSync(exampleJar, join(cachet.data, 'deploy', 'io.cachet.brand.example.jar'));
    writeFileSync(join(cachet.data, 'deploy', 'io.cachet.web.brand.cfg'), 'brand=example\n');
    await until('the example brand on the home page', async () =>
      (await (await fetch(`${base}/`)).text()).includes('Example Trust Services'), 60);

    const words = {
      'fr-FR': { lead: /scelle les documents de votre entreprise/, partner: /Revendeur agréé/ },
      'en-GB': { lead: /seals your company's documents/, partner: /Approved reseller/ },
    };
    for (const [locale, want] of Object.entries(words)) {
      for (const [name, viewport] of Object.entries(sizes)) {
        const page = await browser.newPage({ viewport, locale });
        const errors = collectErrors(page);
        await page.goto(`${base}/`);
        assert.equal(await page.locator('h1').innerText(), 'Example Trust Services');
        assert.equal(await page.locator('body').getAttribute('data-brand'), 'example');
        assert.match(await page.locator('.lead').innerText(), want.lead, 'a message the brand replaced');
        assert.match(await page.locator('#partner').innerText(), want.partner, 'the brand\'s own template and message');
        const header = await colours(page, '.brand-name');
        assert.equal(header.bg, 'rgb(122, 31, 92)', 'the brand\'s primary colour');
        await readable(page, ['.brand-name', '.lead', '.site-footer a', '#partner']);
        assert.ok((await page.locator('header img').getAttribute('src')).startsWith('/assets/brand/example/'));
        assert.ok(await page.locator('header img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the brand\'s logo loads');
        await page.screenshot({ path: join(shots, `home-example-${locale.slice(0, 2)}-${name}.png`), fullPage: true });
        assert.deepEqual(errors, []);
        await page.close();
      }
    }
  });
});
