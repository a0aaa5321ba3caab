// What the scripts that look at the editor as a person would (first-view, package-view) share:
// a free loopback port, Chromium started headless, and the line each prints at its end.
import { createServer, type AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => res(port));
    });
  });
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.XEN_E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  });
}

/** Runs one check that looks at the editor; prints its verdict and "1 passed, 0 failed" (or the reverse) and exits. */
export function runCheck(name: string, say: (s: string) => void, check: () => Promise<string[]>): void {
  check().then(
    (problems) => {
      if (problems.length) say(problems.join('\n'));
      say(problems.length ? `✘ ${name}` : `✔ ${name}`);
      console.log(problems.length ? '0 passed, 1 failed' : '1 passed, 0 failed');
      process.exit(problems.length ? 1 : 0);
    },
    (err: Error) => {
      say(`✘ ${name}: ${err.message}`);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}
