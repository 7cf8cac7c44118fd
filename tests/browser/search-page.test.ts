import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, withPage } from '../helpers/browser.js';
import { buildApp, SEED_ID } from '../helpers/corpus.js';
import { listenLocal } from '../helpers/server.js';
import { REPO_ROOT } from '../helpers/shared.js';

const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'screenshots');
const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('search page in headless Chromium', () => {
  let server: Awaited<ReturnType<typeof listenLocal>>;
  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    server = await listenLocal(buildApp());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('searches NAVO without JavaScript, shows marked hits, and follows one to its paragraph', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${server.url}/`);
      await page.getByLabel('Zoek in het nieuws').fill('NAVO');
      await Promise.all([page.waitForURL(/\?q=NAVO$/), page.getByRole('button', { name: 'Zoeken' }).click()]);

      // By article: the one article, with both of its NAVO paragraphs marked.
      await expect.poll(() => page.locator('li.article-hit').count()).toBe(1);
      expect(await page.locator('li.article-hit mark').allTextContents()).toEqual(['NAVO', 'NAVO']);
      expect((await page.locator('.summary').textContent())!.trim()).toMatch(/^1 artikel \(2 alinea's\)/);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'search-navo.png'), fullPage: true });

      // Period and order are a plain form: newest first within May 2025 keeps both paragraphs; June has none.
      await page.getByText('Periode en volgorde').click();
      await page.getByRole('combobox', { name: /^Volgorde/ }).selectOption('nieuwste');
      await page.getByLabel('Van', { exact: true }).fill('2025-05');
      await Promise.all([page.waitForURL(/sortering=nieuwste/), page.getByRole('button', { name: 'Toepassen' }).click()]);
      expect(page.url()).toContain('van=2025-05');
      expect(await page.locator('li.article-hit mark').allTextContents()).toEqual(['NAVO', 'NAVO']);
      await page.getByLabel('Van', { exact: true }).fill('2025-06');
      await Promise.all([page.waitForURL(/van=2025-06/), page.getByRole('button', { name: 'Toepassen' }).click()]);
      expect(await page.locator('li.article-hit').count()).toBe(0);
      await Promise.all([page.waitForURL(/\?q=NAVO$/), page.goto(`${server.url}/?q=NAVO`)]);

      // The paragraph view is a plain link away.
      await Promise.all([page.waitForURL(/weergave=alineas/), page.getByRole('link', { name: 'Per alinea' }).click()]);
      await expect.poll(() => page.locator('li.hit').count()).toBe(2);
      expect(await page.locator('li.hit mark').allTextContents()).toEqual(['NAVO', 'NAVO']);

      await Promise.all([page.waitForURL(/#p-16$/), page.locator('li.hit h2 a').first().click()]);
      expect(page.url()).toBe(`${server.url}/articles/${SEED_ID}?q=NAVO#p-16`);
      const target = page.locator('p:target');
      expect(await target.getAttribute('id')).toBe('p-16');
      expect(await target.locator('mark').allTextContents()).toEqual(['NAVO']);
      expect(await target.isVisible()).toBe(true);
      // The targeted paragraph is scrolled into view.
      const box = await target.boundingBox();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeLessThan(800);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'article-navo-p16.png') });
    });
  });

  it('offers completions as you type, chosen with the keyboard, under a policy that allows only its own script', async () => {
    await withPage({}, async (page) => {
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(`${server.url}/`);
      const box = page.getByRole('combobox', { name: 'Zoek in het nieuws' });
      await box.pressSequentially('oekr', { delay: 30 });
      const listbox = page.getByRole('listbox', { name: 'Suggesties' });
      await expect.poll(() => listbox.isVisible()).toBe(true);
      const offered = await page.getByRole('option').allTextContents();
      expect(offered).toContain('Oekraïne');
      expect(await box.getAttribute('aria-expanded')).toBe('true');
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'suggest-oekr.png') });

      // Down to Oekraïne: the active option is announced through aria-activedescendant.
      for (let i = 0; i <= offered.indexOf('Oekraïne'); i++) await box.press('ArrowDown');
      const active = await box.getAttribute('aria-activedescendant');
      expect(await page.locator(`[id="${active}"]`).textContent()).toBe('Oekraïne');
      expect(await page.locator(`[id="${active}"]`).getAttribute('aria-selected')).toBe('true');
      await Promise.all([page.waitForURL(/\?q=Oekra%C3%AFne$/), box.press('Enter')]);
      expect(await page.locator('li.article-hit mark').allTextContents()).toEqual(['Oekraïne']);

      // Escape closes the list and leaves the text as typed.
      await box.fill('');
      await box.pressSequentially('Kreml', { delay: 30 });
      await expect.poll(() => listbox.isVisible()).toBe(true);
      await box.press('Escape');
      expect(await listbox.isVisible()).toBe(false);
      expect(await box.inputValue()).toBe('Kreml');
      expect(violations).toEqual([]);
    });
  });

  it('closes the suggestions for good on Escape: an answer still on its way does not reopen them', async () => {
    await withPage({}, async (page) => {
      // A slow network: the suggestions arrive 400 ms after they are asked for.
      await page.route('**/api/suggest**', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        await route.continue();
      });
      await page.goto(`${server.url}/`);
      const box = page.getByRole('combobox', { name: 'Zoek in het nieuws' });
      await box.pressSequentially('oekr', { delay: 20 });
      await page.waitForTimeout(200); // asked, not yet answered
      await box.press('Escape');
      await page.waitForTimeout(700);
      expect(await page.getByRole('listbox', { name: 'Suggesties' }).isVisible()).toBe(false);
      expect(await box.getAttribute('aria-expanded')).toBe('false');
    });
  });

  it('submits the text typed after an option was highlighted, not the option', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}/`);
      const box = page.getByRole('combobox', { name: 'Zoek in het nieuws' });
      await box.pressSequentially('oekr', { delay: 20 });
      await expect.poll(() => page.getByRole('listbox', { name: 'Suggesties' }).isVisible()).toBe(true);
      await box.press('ArrowDown');
      await box.pressSequentially(' NAVO', { delay: 10 });
      await Promise.all([page.waitForURL(/\?q=/), box.press('Enter')]);
      expect(new URL(page.url()).searchParams.get('q')).toBe('oekr NAVO');
    });
  });

  it('fits a phone screen: no sideways scrolling, search box and button full width', async () => {
    await withPage({ viewport: { width: 360, height: 740 } }, async (page) => {
      for (const path of ['/', '/?q=Kremlin-woordvoerder', `/articles/${SEED_ID}?q=NAVO`]) {
        await page.goto(`${server.url}${path}`);
        const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      await page.goto(`${server.url}/?q=NAVO`);
      const input = await page.getByLabel('Zoek in het nieuws').boundingBox();
      expect(input!.width).toBeGreaterThan(300);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'search-navo-phone.png'), fullPage: true });
    });
  });
});
