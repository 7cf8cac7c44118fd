/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core, with a
 * fresh profile and no background networking. Never downloads a browser.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Whether browser tests can run here. Outside CI a missing browser skips them with a notice; in CI
 * (`CI=true`) it is an error, so a broken install fails the run instead of passing it.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`browser tests: ${CHROMIUM_PATH} is missing in CI (scripts/install-system-deps.sh installs it)`);
  }
  console.warn(`notice: ${CHROMIUM_PATH} is absent, so the browser tests are skipped (apt-get install chromium)`);
  return false;
}

/**
 * Launches Chromium on a fresh, empty user-data-dir (Playwright passes it as `--user-data-dir`);
 * `close()` also removes the profile.
 */
export async function launchChromium(
  options: { viewport?: { width: number; height: number }; javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'nieuwszoeker-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: options.viewport ?? { width: 1000, height: 800 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `use` on a new page of a fresh Chromium (see `launchChromium`), with a 10 s limit on every action so a
 * missing element fails the test with its name instead of hanging, and closes the browser whatever happens.
 */
export async function withPage(options: Parameters<typeof launchChromium>[0], use: (page: Page) => Promise<void>): Promise<void> {
  const { context, close } = await launchChromium(options);
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await use(page);
  } finally {
    await close();
  }
}
