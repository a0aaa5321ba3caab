// What a newcomer sees after `npm run editor`: the script is run as the README says (with a
// scratch folder for its copy of the example and its profile, and a port of its own), the
// address it prints is opened in Chromium as a person would, and the first view must tell the
// story: the guest's domain file open, the Xen Network view expanded with the routed block's
// addresses, the status bar's routed subnet, and no Git prompt. The screenshot is kept as
// shots/editor-first-view.png. Prints "1 passed, 0 failed" or "0 passed, 1 failed".
// Usage: node out/test/e2e/first-view.js   (scripts/e2e.sh runs it after the suites)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { freePort, launchChromium, runCheck } from './browser';

const repoRoot = resolve(__dirname, '..', '..', '..');
const shots = process.env.XEN_E2E_SHOTS ?? join(repoRoot, 'test', 'e2e', '.run', 'shots');
const say = (s: string): void => void process.stdout.write(`first-view: ${s}\n`);

/** Starts `npm run editor -- --reset` in a process group of its own; resolves with the address it prints. */
function startEditor(dir: string, port: number): { child: ChildProcess; url: Promise<string>; output: () => string } {
  let out = '';
  const child = spawn('npm', ['run', 'editor', '--', '--reset'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), XEN_EDITOR_DIR: dir },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise<string>((res, rej) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      const hit = out
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l.startsWith(`http://127.0.0.1:${port}/`));
      if (hit) res(hit);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => rej(new Error(`npm run editor exited (${code}) before printing an address:\n${out.slice(-2000)}`)));
  });
  return { child, url, output: () => out };
}

async function main(): Promise<string[]> {
  mkdirSync(shots, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'xen-first-view-'));
  const port = await freePort();
  const editor = startEditor(dir, port);
  let browser: Browser | undefined;
  try {
    const url = await Promise.race([
      editor.url,
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('npm run editor printed no address within 300 s')), 300_000)),
    ]);
    say(`npm run editor printed ${url.slice(0, 60)}…`);
    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(url);
    const problems: string[] = [];
    const waitFor = async (what: string, css: string, timeout = 90_000): Promise<void> => {
      try {
        await page.locator(css).first().waitFor({ state: 'visible', timeout });
      } catch {
        problems.push(`not seen: ${what} (${css})`);
      }
    };
    // the guest's domain file is open in an editor tab, with its vif line shown
    await waitFor('the tab of vm1.cfg', '.tabs-container .tab:has-text("vm1.cfg")');
    await waitFor('the vif line in the editor', '.view-lines:has-text("ip=80.68.86.194")');
    // the Xen Network view is expanded and lists the block address by address
    await waitFor('the Xen Network view expanded', '.pane-header[aria-expanded="true"]:has-text("Xen Network")');
    await waitFor('the guest row in the view', '.monaco-list-row:has-text("80.68.86.194")');
    await waitFor('the gateway row in the view', '.monaco-list-row:has-text("80.68.86.193")');
    // the status bar names the routed block
    await waitFor('the status bar item', '.statusbar-item:has-text("Xen routed 80.68.86.192/29")');
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const shot = join(shots, 'editor-first-view.png');
    await page.screenshot({ path: shot });
    say(`screenshot ${shot}`);
    // no Git prompt about the checkout's repository (nor any other notification asking something)
    const toasts = await page.locator('.notification-toast, .notifications-toasts .notification-list-item').allInnerTexts();
    if (toasts.some((t) => /git repository/i.test(t))) problems.push(`a Git prompt is shown: ${toasts.join(' | ')}`);
    return problems;
  } finally {
    await browser?.close().catch(() => undefined);
    if (editor.child.pid) {
      try {
        process.kill(-editor.child.pid, 'SIGINT');
      } catch {
        /* gone */
      }
      await new Promise((r) => setTimeout(r, 4000));
      try {
        process.kill(-editor.child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

runCheck('npm run editor opens on the story (vm1.cfg open, the Xen Network view expanded, the routed subnet in the status bar, no Git prompt)', say, main);
