// Stands in for the VS Code executable that @vscode/test-electron launches (test/e2e/bin/code
// runs this file). No desktop VS Code or Electron can be installed here, so it runs the same
// VS Code as a server (code-server, in test/e2e/.host) on 127.0.0.1, opens its workbench in
// Chromium (playwright-core), hands the workbench the extension and the test suite through VS
// Code's test payload, prints the suite's output and exits with the suite's exit code.
//
// It also serves the suite a small control endpoint on 127.0.0.1 (the address is passed in the
// environment as XEN_E2E_CONTROL): GET /shot?name=N&wait=CSS... waits until every CSS selector
// is visible in the workbench and saves a screenshot to $XEN_E2E_SHOTS/N.png.
//
// Everything it starts is stopped on the way out: code-server's whole process group (extension
// hosts included) and the browser, also on SIGINT, SIGTERM and SIGHUP.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const t0 = Date.now();
const repoRoot = resolve(__dirname, '..', '..', '..', '..');
const hostDir = process.env.XEN_E2E_HOST ?? join(repoRoot, 'test', 'e2e', '.host');
const runDir = process.env.XEN_E2E_RUN ?? join(repoRoot, 'test', 'e2e', '.run');
const shotsDir = process.env.XEN_E2E_SHOTS ?? join(runDir, 'shots');
const startTimeoutMs = Number(process.env.XEN_E2E_START_TIMEOUT ?? 90_000);
const totalTimeoutMs = Number(process.env.XEN_E2E_TIMEOUT ?? 240_000);
const chromiumPath = process.env.XEN_E2E_CHROMIUM ?? '/usr/bin/chromium';
const verbose = process.env.XEN_E2E_VERBOSE === '1';
// XEN_E2E_TRUST=restricted: Workspace Trust on, the folder not trusted (VS Code's Restricted Mode)
const restricted = process.env.XEN_E2E_TRUST === 'restricted';
const node24 = join(hostDir, 'node', 'node_modules', 'node', 'bin', 'node');
const codeServerEntry = join(hostDir, 'code', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** What test-electron passes: `[folder] --extensionDevelopmentPath=P --extensionTestsPath=T ...`. */
function parseArgs(argv: string[]): { folder: string; devPath: string; testsPath: string; userDataDir: string; extensionsDir: string } {
  const opt = (name: string): string | undefined => {
    const prefix = `--${name}=`;
    const hit = argv.find((a) => a.startsWith(prefix));
    return hit?.slice(prefix.length);
  };
  const folder = argv.find((a) => !a.startsWith('-'));
  const devPath = opt('extensionDevelopmentPath');
  const testsPath = opt('extensionTestsPath');
  if (!folder || !devPath || !testsPath) {
    throw new Error(`expected a folder, --extensionDevelopmentPath and --extensionTestsPath; got: ${argv.join(' ')}`);
  }
  return {
    folder: resolve(folder),
    devPath: resolve(devPath),
    testsPath: resolve(testsPath),
    userDataDir: resolve(opt('user-data-dir') ?? join(runDir, 'user-data')),
    extensionsDir: resolve(opt('extensions-dir') ?? join(runDir, 'extensions')),
  };
}

function elapsed(): string {
  return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

function say(msg: string): void {
  process.stdout.write(`[vscode] ${msg}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => res(port));
    });
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((res) => {
    const req = http.get(url, { timeout: 2000 }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.on('error', () => res(0));
    req.on('timeout', () => {
      req.destroy();
      res(0);
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** User settings that keep the workbench quiet and predictable (no tours, chat, updates). */
function writeUserSettings(userDataDir: string): void {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.colorTheme': 'Default Dark Modern',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.ignoreRecommendations': true,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    // Restricted Mode: trust on and no start-up dialog, so the folder stays untrusted
    'security.workspace.trust.enabled': restricted,
    'security.workspace.trust.startupPrompt': 'never',
    'git.enabled': false,
    'editor.minimap.enabled': false,
    'editor.fontSize': 14,
    'editor.hover.delay': 150,
    // completion must show what the language server offers, not the words already in the file
    'editor.wordBasedSuggestions': 'off',
    'files.autoSave': 'off',
    'window.commandCenter': false,
    'workbench.layoutControl.enabled': false,
  };
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

class Run {
  codeServer: ChildProcess | undefined;
  browser: Browser | undefined;
  page: Page | undefined;
  control: http.Server | undefined;
  private cleaning: Promise<void> | undefined;
  suiteStarted = false;
  passed = 0;
  failed = 0;
  summaryPrinted = false;

  async startCodeServer(a: ReturnType<typeof parseArgs>, controlUrl: string): Promise<number> {
    if (!existsSync(node24) || !existsSync(codeServerEntry)) {
      throw new Error(`code-server is not installed in ${hostDir}: run scripts/setup-vscode-host.sh`);
    }
    const scratch = join(runDir, 'home');
    for (const d of ['tmp', 'config', 'cache', 'data', 'state']) mkdirSync(join(scratch, d), { recursive: true });
    mkdirSync(a.extensionsDir, { recursive: true });
    writeUserSettings(a.userDataDir);
    const logFile = join(runDir, 'code-server.log');
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const log = createWriteStream(logFile, { flags: attempt === 1 ? 'w' : 'a' });
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: `${dirname(node24)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        HOME: scratch,
        TMPDIR: join(scratch, 'tmp'),
        XDG_CONFIG_HOME: join(scratch, 'config'),
        XDG_CACHE_HOME: join(scratch, 'cache'),
        XDG_DATA_HOME: join(scratch, 'data'),
        XDG_STATE_HOME: join(scratch, 'state'),
        XEN_E2E_CONTROL: controlUrl,
        XEN_E2E_SHOTS: shotsDir,
        // no extension gallery: the machine reaches only the loopback
        EXTENSIONS_GALLERY: '{"serviceUrl":""}',
      };
      delete env.VSCODE_IPC_HOOK_CLI;
      delete env.ELECTRON_RUN_AS_NODE;
      const args = [
        codeServerEntry,
        '--config',
        '/dev/null',
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        ...(restricted ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override',
        '--disable-file-downloads',
        '--vscode-option',
        'enable-smoke-test-driver',
        '--reconnection-grace-time',
        '10',
        '--user-data-dir',
        a.userDataDir,
        '--extensions-dir',
        a.extensionsDir,
      ];
      // its own process group, so that killing the group also ends the extension hosts
      const child = spawn(node24, args, { env, cwd: scratch, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      this.codeServer = child;
      writeFileSync(join(runDir, 'code-server.pgid'), String(child.pid));
      child.stdout!.pipe(log);
      child.stderr!.pipe(log);
      let exited: string | undefined;
      child.on('exit', (code, sig) => (exited = `exited with ${code ?? sig}`));
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !exited) {
        if ((await httpStatus(`http://127.0.0.1:${port}/healthz`)) === 200) {
          say(`code-server ${port} ready after ${elapsed()}`);
          return port;
        }
        await new Promise((r) => setTimeout(r, 150));
      }
      const why = exited ?? 'did not answer /healthz within 60 s';
      await this.killCodeServer();
      const logText = tail(logFile);
      if (attempt < 3 && /EADDRINUSE/.test(logText)) continue;
      throw new Error(`code-server ${why}. Last lines of ${logFile}:\n${logText}`);
    }
  }

  async killCodeServer(): Promise<void> {
    const child = this.codeServer;
    if (!child?.pid) return;
    const pgid = child.pid;
    const groupAlive = (): boolean => {
      try {
        process.kill(-pgid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const deadline = Date.now() + 3000;
    while (groupAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive()) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    this.codeServer = undefined;
    rmSync(join(runDir, 'code-server.pgid'), { force: true });
  }

  startControl(): Promise<string> {
    mkdirSync(shotsDir, { recursive: true });
    this.control = http.createServer((req, res) => {
      void this.handleControl(req, res);
    });
    return new Promise((res) => {
      this.control!.listen(0, '127.0.0.1', () => {
        res(`http://127.0.0.1:${(this.control!.address() as net.AddressInfo).port}`);
      });
    });
  }

  private async handleControl(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/click') return this.handleClick(url, reply);
    if (url.pathname === '/type') return this.handleType(url, reply);
    if (url.pathname === '/texts') return this.handleTexts(url, reply);
    if (url.pathname !== '/shot') return reply(404, { ok: false, error: 'unknown path' });
    const name = (url.searchParams.get('name') ?? 'shot').replace(/[^\w.-]/g, '_');
    const waits = url.searchParams.getAll('wait');
    const timeout = Number(url.searchParams.get('timeout') ?? 15_000);
    const page = this.page;
    if (!page) return reply(503, { ok: false, error: 'no page' });
    try {
      for (const css of waits) {
        await page.locator(css).first().waitFor({ state: 'visible', timeout });
      }
      // let the workbench paint what it has just laid out (two animation frames)
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      const path = join(shotsDir, `${name}.png`);
      await page.screenshot({ path });
      say(`screenshot ${path}`);
      reply(200, { ok: true, path });
    } catch (err) {
      const path = join(shotsDir, `${name}-FAILED.png`);
      await page.screenshot({ path }).catch(() => undefined);
      reply(200, { ok: false, error: `${(err as Error).message.split('\n')[0]} (screenshot of the page then: ${path})` });
    }
  }

  /**
   * GET /click?css=SELECTOR&text=TEXT: clicks, as a person would, the first visible element that
   * matches the selector (and holds the text, when given), waiting for it up to `timeout` ms. For
   * the parts of the workbench the extension API cannot press: the Refactor Preview's Apply
   * button, a modal dialog's buttons.
   */
  private async handleClick(url: URL, reply: (status: number, body: unknown) => void): Promise<void> {
    const css = url.searchParams.get('css') ?? 'a, button, .monaco-button';
    const text = url.searchParams.get('text');
    const timeout = Number(url.searchParams.get('timeout') ?? 15_000);
    const page = this.page;
    if (!page) return reply(503, { ok: false, error: 'no page' });
    try {
      let target = page.locator(css);
      if (text) target = target.filter({ hasText: text });
      const first = target.first();
      await first.waitFor({ state: 'visible', timeout });
      await first.click({ timeout });
      say(`clicked ${css}${text ? ` "${text}"` : ''}`);
      reply(200, { ok: true });
    } catch (err) {
      const path = join(shotsDir, `click-FAILED.png`);
      await page.screenshot({ path }).catch(() => undefined);
      reply(200, { ok: false, error: `${(err as Error).message.split('\n')[0]} (screenshot of the page then: ${path})` });
    }
  }

  /** GET /texts?css=SELECTOR: the text of every visible element matching the selector, as a person reads it. */
  private async handleTexts(url: URL, reply: (status: number, body: unknown) => void): Promise<void> {
    const page = this.page;
    if (!page) return reply(503, { ok: false, error: 'no page' });
    try {
      const css = url.searchParams.get('css') ?? 'body';
      const all = page.locator(css);
      const texts: string[] = [];
      for (let i = 0, n = await all.count(); i < n; i++) {
        const el = all.nth(i);
        if (await el.isVisible()) texts.push((await el.innerText()).trim());
      }
      reply(200, { ok: true, texts });
    } catch (err) {
      reply(200, { ok: false, error: (err as Error).message.split('\n')[0] });
    }
  }

  /** GET /type?focus=CSS&text=TEXT&press=KEY: waits for the element and focuses it (when given), types the text into what has the focus, then presses the key, as a person would. */
  private async handleType(url: URL, reply: (status: number, body: unknown) => void): Promise<void> {
    const page = this.page;
    if (!page) return reply(503, { ok: false, error: 'no page' });
    try {
      const focus = url.searchParams.get('focus');
      if (focus) {
        const target = page.locator(focus).first();
        await target.waitFor({ state: 'visible', timeout: Number(url.searchParams.get('timeout') ?? 15_000) });
        await target.focus();
      }
      const select = url.searchParams.get('selectAll');
      if (select) await page.keyboard.press('Control+A');
      const text = url.searchParams.get('text');
      if (text) await page.keyboard.type(text, { delay: 20 });
      const key = url.searchParams.get('press');
      if (key) await page.keyboard.press(key);
      reply(200, { ok: true });
    } catch (err) {
      reply(200, { ok: false, error: (err as Error).message.split('\n')[0] });
    }
  }

  /** One line of the workbench's log. The suite's own lines start with "[e2e] ". */
  onLog(level: string, message: string): void {
    const text = String(message);
    const i = text.indexOf('[e2e] ');
    if (verbose) writeFileSync(join(runDir, 'workbench.log'), `${level} ${text}\n`, { flag: 'a' });
    if (i < 0) {
      if (level === 'error' && verbose) say(`workbench error: ${text.slice(0, 500)}`);
      return;
    }
    for (const line of text.slice(i + 6).split('\n')) {
      if (line.startsWith('start ')) {
        if (this.suiteStarted) continue;
        this.suiteStarted = true;
        say(`extension tests started after ${elapsed()}`);
        continue;
      }
      if (line.startsWith('✔ ')) this.passed++;
      if (line.startsWith('✘ ')) this.failed++;
      if (/^\d+ passed, \d+ failed/.test(line)) {
        this.summaryPrinted = true;
      }
      process.stdout.write(`${line}\n`);
    }
  }

  browserReady: Promise<Browser> | undefined;

  /** Starts Chromium (while code-server starts: the two take seconds each on a busy machine). */
  launchBrowser(): void {
    this.browserReady = chromium
      .launch({
        executablePath: chromiumPath,
        headless: true,
        timeout: 60_000,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-dev-shm-usage',
        ],
      })
      .then((b) => {
        this.browser = b;
        say(`chromium ready after ${elapsed()}`);
        return b;
      });
    this.browserReady.catch(() => undefined); // reported where it is awaited
  }

  async openWorkbench(a: ReturnType<typeof parseArgs>, port: number): Promise<number> {
    const browser = await this.browserReady!;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    this.page = page;
    let resolveExit!: (code: number) => void;
    const exit = new Promise<number>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationLog', (level: string, message: string) => this.onLog(level, message));
    await page.exposeFunction('codeAutomationExit', (code: number, logs?: { relativePath: string; contents: string }[]) => {
      if (Array.isArray(logs)) {
        for (const l of logs) {
          const p = join(runDir, 'logs', l.relativePath.replace(/\.\.+/g, '_'));
          mkdirSync(dirname(p), { recursive: true });
          writeFileSync(p, l.contents);
        }
      }
      resolveExit(Number(code));
    });
    page.on('crash', () => resolveExit(70));
    page.on('pageerror', (e) => verbose && say(`page error: ${e.message}`));
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(a.devPath)],
      ['extensionTestsPath', remote(a.testsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(a.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    say(`workbench loading (${elapsed()})`);

    const startDeadline = Date.now() + startTimeoutMs;
    const totalDeadline = Date.now() + totalTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<number>((res) => {
      const tick = (): void => {
        if (!this.suiteStarted && Date.now() > startDeadline) {
          say(
            `VS Code did not start the extension tests within ${startTimeoutMs / 1000} s of loading the workbench: the workbench or the extension host failed to come up.`,
          );
          say(`see ${join(shotsDir, 'not-started.png')}, ${join(runDir, 'code-server.log')} (set XEN_E2E_VERBOSE=1 for the workbench log)`);
          void page
            .screenshot({ path: join(shotsDir, 'not-started.png') })
            .catch(() => undefined)
            .finally(() => res(2));
          return;
        }
        if (Date.now() > totalDeadline) {
          say(`the end-to-end run did not finish within ${totalTimeoutMs / 1000} s; stopping it`);
          void page
            .screenshot({ path: join(shotsDir, 'timed-out.png') })
            .catch(() => undefined)
            .finally(() => res(3));
          return;
        }
        timer = setTimeout(tick, 250);
      };
      tick();
    });
    const code = await Promise.race([exit, watchdog]);
    if (timer) clearTimeout(timer);
    return code;
  }

  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      this.control?.close();
      await this.browserReady?.then((b) => b.close()).catch(() => undefined);
      await this.killCodeServer();
    })();
    return this.cleaning;
  }
}

async function main(): Promise<number> {
  const run = new Run();
  let interrupted = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (interrupted) return;
      interrupted = true;
      say(`${sig}: stopping code-server and the browser`);
      void run.cleanup().finally(() => process.exit(130));
    });
  }
  let code: number;
  try {
    const a = parseArgs(process.argv.slice(2));
    mkdirSync(runDir, { recursive: true });
    rmSync(join(runDir, 'workbench.log'), { force: true });
    const controlUrl = await run.startControl();
    run.launchBrowser();
    const port = await run.startCodeServer(a, controlUrl);
    code = await run.openWorkbench(a, port);
    if (code === 2) {
      run.failed++;
    } else if (!run.summaryPrinted) {
      say(`the test suite ended (exit code ${code}) without reporting its totals`);
      if (run.failed === 0 && code !== 0) run.failed++;
    }
  } catch (err) {
    say(`could not run VS Code: ${(err as Error).message}`);
    run.failed++;
    code = 2;
  }
  await run.cleanup();
  if (!run.summaryPrinted) process.stdout.write(`${run.passed} passed, ${run.failed} failed\n`);
  say(`VS Code closed after ${elapsed()} (exit code ${code})`);
  return code;
}

void main().then((code) => process.exit(code));
