// The packaged extension as a user meets it. `npm run package` must ask nothing and pack only
// what runs, with the user's README (made from EXTENSION.md, not the developers' README) whose
// screenshots are captions. Then the same with XEN_IMAGES_BASE_URL pointing at docs/images/
// published on an https server on the loopback (standing in for the project's public home): the
// .vsix installed into a fresh VS Code (code-server's --install-extension), its page opened from
// the Extensions view as a person would, must show that README with every screenshot loaded.
// The page is kept as shots/extension-details.png.
// Prints "1 passed, 0 failed" or "0 passed, 1 failed".
// Usage: node out/test/e2e/package-view.js   (scripts/e2e.sh runs it last: it rebuilds dist/ minified)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Frame } from 'playwright-core';
import { freePort, launchChromium, runCheck } from './browser';

const repoRoot = resolve(__dirname, '..', '..', '..');
const shots = process.env.XEN_E2E_SHOTS ?? join(repoRoot, 'test', 'e2e', '.run', 'shots');
const host = join(repoRoot, 'test', 'e2e', '.host');
const node24 = join(host, 'node', 'node_modules', 'node', 'bin', 'node');
const entry = join(host, 'code', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const say = (s: string): void => void process.stdout.write(`package-view: ${s}\n`);

/** What the .vsix may hold (below extension/): what runs, and what its page shows. */
const ALLOWED = [
  /^package\.json$/,
  /^readme\.md$/,
  /^changelog\.md$/,
  /^LICENSE\.txt$/,
  /^dist\/(client|server)\.js$/,
  /^syntaxes\/[\w.-]+\.json$/,
  /^server\/bin\/xen-language-server$/,
];

function npmRunPackage(env: NodeJS.ProcessEnv = process.env): string {
  const pack = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  const vsix = join(repoRoot, 'xen-network.vsix');
  if (pack.status !== 0 || !existsSync(vsix)) throw new Error(`npm run package failed (${pack.status}): ${(pack.stdout + pack.stderr).slice(-1500)}`);
  return vsix;
}

/** The screenshots of the user README (EXTENSION.md): each an image line `![caption](docs/images/NAME.png)`. */
const SHOTS = readFileSync(join(repoRoot, 'EXTENSION.md'), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('![')).length;

/** docs/images/ over https on the loopback, with a certificate made for the run. */
async function imageServer(dir: string): Promise<{ server: Server; url: string }> {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], {
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const name = (req.url ?? '').replace(/^\/docs\/images\//, '');
    if (!/^[\w-]+\.png$/.test(name) || !existsSync(join(repoRoot, 'docs', 'images', name))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(readFileSync(join(repoRoot, 'docs', 'images', name)));
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, url: `https://127.0.0.1:${port}` };
}

async function main(): Promise<string[]> {
  const problems: string[] = [];
  mkdirSync(shots, { recursive: true });
  // 1. npm run package, with no terminal to answer a question
  let vsix = npmRunPackage();
  say('npm run package made xen-network.vsix without asking anything');
  const listing = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
  if (listing.status !== 0) return [`cannot list the .vsix: ${listing.stderr}`];
  const inside = listing.stdout
    .split('\n')
    .filter((l) => l.startsWith('extension/') && !l.endsWith('/'))
    .map((l) => l.slice('extension/'.length));
  for (const f of inside) if (!ALLOWED.some((re) => re.test(f))) problems.push(`the .vsix holds ${f}, which neither runs nor shows`);
  say(`the .vsix holds ${inside.length} files: ${inside.join(' ')}`);
  const packed = spawnSync('unzip', ['-p', vsix, 'extension/readme.md'], { encoding: 'utf8' }).stdout;
  if (!packed.includes('Across the files of one host')) problems.push('the packaged readme is not the user README (EXTENSION.md)');
  if (/npm test|npm run editor/.test(packed)) problems.push('the packaged readme holds developer instructions');
  if (packed.includes('](docs/') || packed.split('*Screenshot: ').length - 1 !== SHOTS)
    problems.push(`without XEN_IMAGES_BASE_URL the ${SHOTS} screenshots are not captions`);

  // 2. packaged with the screenshots published (on the loopback), installed into a fresh VS Code
  const dir = mkdtempSync(join(tmpdir(), 'xen-package-view-'));
  const images = await imageServer(dir);
  vsix = npmRunPackage({ ...process.env, XEN_IMAGES_BASE_URL: images.url });
  const ext = join(dir, 'extensions');
  const data = join(dir, 'user-data');
  const home = join(dir, 'home');
  const folder = join(dir, 'folder');
  for (const d of [ext, join(data, 'User'), home, folder]) mkdirSync(d, { recursive: true });
  writeFileSync(
    join(data, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'chat.disableAIFeatures': true,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    }),
  );
  const env = {
    ...process.env,
    HOME: home,
    TMPDIR: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    PATH: `${dirname(node24)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
  };
  const install = spawnSync(node24, [entry, '--extensions-dir', ext, '--user-data-dir', data, '--install-extension', vsix], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (install.status !== 0) return [...problems, `code-server --install-extension failed (${install.status}): ${install.stdout}${install.stderr}`];
  say(`installed: ${install.stdout.trim().split('\n').pop()}`);

  const port = await freePort();
  const server = spawn(
    node24,
    [
      entry,
      '--config',
      '/dev/null',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      data,
      '--extensions-dir',
      ext,
    ],
    { env, detached: true, stdio: 'ignore' },
  );
  let browser: Browser | undefined;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) return [...problems, 'code-server did not answer within 60 s'];
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await launchChromium(['--ignore-certificate-errors']); // the loopback's own certificate
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
    // 3. the Extensions view, the installed extension clicked, as a person would
    await page.keyboard.press('Control+Shift+X');
    const row = page.locator('.extensions-viewlet .monaco-list-row:has-text("Xen Network Configuration")').first();
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    await row.click();
    // the details page renders the README in a webview (nested frames): find the frame holding it
    let readme: Frame | undefined;
    for (let i = 0; i < 300 && !readme; i++) {
      for (const f of page.frames()) {
        const text = (await f.evaluate('document.body ? document.body.innerText : ""').catch(() => '')) as string;
        if (text.includes('Across the files of one host')) readme = f;
      }
      if (!readme) await new Promise((r) => setTimeout(r, 200));
    }
    if (!readme) return [...problems, 'the extension page shows no README with "Across the files of one host"'];
    // every screenshot loaded (given a few seconds to arrive)
    let shown: { src: string; ok: boolean }[] = [];
    for (let i = 0; i < 50; i++) {
      shown = (await readme.evaluate('[...document.images].map((im) => ({ src: im.outerHTML.slice(0, 300), ok: im.complete && im.naturalWidth > 0 }))')) as {
        src: string;
        ok: boolean;
      }[];
      if (shown.length && shown.every((im) => im.ok)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (shown.length < SHOTS) problems.push(`the page shows ${shown.length} images, not the ${SHOTS} screenshots`);
    for (const im of shown) if (!im.ok) problems.push(`a broken image on the extension page: ${im.src}`);
    say(`the page shows ${shown.length} images, ${shown.filter((im) => im.ok).length} loaded`);
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const shot = join(shots, 'extension-details.png');
    await page.screenshot({ path: shot });
    say(`screenshot ${shot}`);
    return problems;
  } finally {
    await browser?.close().catch(() => undefined);
    images.server.close();
    try {
      process.kill(-server.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

runCheck(
  'the packaged extension: npm run package asks nothing, the .vsix holds only what runs or shows, its page shows the user README with every screenshot',
  say,
  main,
);
