// Drives Click&Cert's pages in headless Chromium for ClickCertBrowserTest (which serves them and checks the results).
// Arguments: playwright-core's index.mjs URL, base URL, session cookie name and value, the holder's password, the PDF
// to sign, the folder for downloads and screenshots. Prints "RESULT {json}" last; any failure exits non-zero.
import { readFileSync } from 'node:fs';

const [, , playwright, base, cookieName, cookieValue, password, pdfPath, out] = process.argv;
const { chromium } = await import(playwright);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const pdf = readFileSync(pdfPath).toString('base64');
const result = {};
let current;
let currentErrors = [];

async function open(options) {
  const context = await browser.newContext({ ...options, acceptDownloads: true });
  await context.addCookies([{ name: cookieName, value: cookieValue, url: base }]);
  const page = await context.newPage();
  const errors = [];
  current = page;
  currentErrors = errors;
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

async function signAndDownload(page, name) {
  await page.fill('#password', password);
  await Promise.all([page.waitForSelector('#download'), page.click('#sign')]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  await download.saveAs(`${out}/${name}.pdf`);
}

try {
  const widths = {
    desktop: { viewport: { width: 1366, height: 900 }, locale: 'en-GB' },
    phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR' },
  };
  for (const [name, options] of Object.entries(widths)) {
    const { context, page, errors } = await open(options);
    await page.goto(`${base}/space/sign`);
    await page.screenshot({ path: `${out}/${name}-start.png`, fullPage: true });
    // the PDF dropped on the drop zone, as a file dragged from the desktop
    await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'contract.pdf', { type: 'application/pdf' }));
      const zone = document.getElementById('dropzone');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, pdf);
    const chosen = await page.locator('#file-chosen').textContent();
    if (!chosen.includes('contract.pdf')) throw new Error(`${name}: the dropped file is not chosen: "${chosen}"`);
    await Promise.all([page.waitForURL(/document=/), page.click('#upload')]);
    await page.selectOption('#page', '2');
    await Promise.all([page.waitForURL(/page=2/), page.click('#show-page')]);
    await page.locator('#preview[data-natural-width]').waitFor();
    await page.evaluate(() => document.getElementById('preview').scrollIntoView({ block: 'start' }));
    const box = await page.locator('#preview').boundingBox();
    await Promise.all([page.waitForURL(/px=/), page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.25)]);
    const x = await page.locator('#sign-form input[name="x"]').getAttribute('value');
    const y = await page.locator('#sign-form input[name="y"]').getAttribute('value');
    await page.screenshot({ path: `${out}/${name}-sign.png`, fullPage: true });
    await signAndDownload(page, name);
    await page.screenshot({ path: `${out}/${name}-done.png`, fullPage: true });
    result[name] = { x, y, previewWidth: box.width, errors };
    await context.close();
  }

  // without scripts: the file picker, plain forms, the seal placed by the image button
  const { context, page } = await open({ viewport: { width: 1366, height: 900 }, locale: 'en-GB', javaScriptEnabled: false });
  await page.goto(`${base}/space/sign`);
  await page.setInputFiles('#file', pdfPath);
  await Promise.all([page.waitForURL(/document=/), page.click('#upload')]);
  // the preview at its own size: the image button's coordinates are the picture's pixels
  await page.evaluate(() => document.getElementById('preview').scrollIntoView({ block: 'start' }));
  const box = await page.locator('#preview').boundingBox();
  await Promise.all([page.waitForURL(/at\.x=/), page.mouse.click(box.x + 300, box.y + 200)]);
  result.noscript = {
    x: await page.locator('#sign-form input[name="x"]').getAttribute('value'),
    y: await page.locator('#sign-form input[name="y"]').getAttribute('value'),
    previewWidth: box.width,
  };
  await page.screenshot({ path: `${out}/noscript-sign.png`, fullPage: true });
  await signAndDownload(page, 'noscript');
  await context.close();
} catch (e) {
  console.error(String(e && e.stack || e));
  if (current) {
    console.error('errors: ' + JSON.stringify(currentErrors));
    console.error('at ' + current.url() + '\n' + (await current.content()).slice(0, 4000));
  }
  await browser.close();
  process.exit(1);
}
await browser.close();
console.log('RESULT ' + JSON.stringify(result));
