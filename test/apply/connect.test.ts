// What happens before and around the first connection (issue 12): what ssh_config would run is
// found without running it (the real `ssh -G`, never with a Match exec), the fetch's output is
// capped, the host's folder must lie in a workspace folder and every file sent be a plain file in
// it, and file text shown by the editor is never read as a link.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
// markdown-it: the Markdown renderer VS Code's hovers and tooltips use (a devDependency; it ships no types)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new () => { render(s: string): string; renderInline(s: string): string };
import { sshConfigInForce, scanSshConfig, parseSshG } from '../../server/src/apply/sshconfig';
import { fetchFiles, findSsh } from '../../server/src/apply';
import { HostIndex } from '../../server/src/host/index';
import { prepareApply } from '../../server/src/features/apply';
import { defaultSettings } from '../../server/src/core/settings';
import { mdText, plainText } from '../../client/src/text';

const tmp = mkdtempSync(join(tmpdir(), 'xnt-connect-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const haveSsh = existsSync(findSsh());

test('ssh_config commands are shown from the real ssh -G: ProxyCommand, LocalCommand (when permitted), KnownHostsCommand', async () => {
  if (!haveSsh) assert.fail('ssh is missing (Debian package openssh-client)');
  const mark = join(tmp, `ran-${randomBytes(4).toString('hex')}`);
  const cfg = join(tmp, 'config-commands');
  writeFileSync(
    cfg,
    [
      'Host dom0',
      '  HostName 192.0.2.10',
      '  User admin',
      '  Port 2200',
      `  ProxyCommand touch ${mark}; nc %h %p`,
      '  PermitLocalCommand yes',
      `  LocalCommand touch ${mark}-local`,
      `  KnownHostsCommand /bin/echo ${mark}-known`,
      '',
    ].join('\n'),
  );
  const r = await sshConfigInForce({ destination: 'dom0', configFile: cfg });
  assert.equal(r.error, undefined);
  assert.equal(r.evaluated, true);
  assert.deepEqual([r.user, r.hostname, r.port], ['admin', '192.0.2.10', '2200']);
  assert.ok(
    r.commands.some((c) => c.startsWith('ProxyCommand touch ') && c.includes(mark)),
    JSON.stringify(r.commands),
  );
  assert.ok(
    r.commands.some((c) => c.startsWith('LocalCommand touch ')),
    JSON.stringify(r.commands),
  );
  assert.ok(
    r.commands.some((c) => c.startsWith('KnownHostsCommand /bin/echo ')),
    JSON.stringify(r.commands),
  );
  assert.ok(r.ssh.startsWith('/'));
  for (const suffix of ['', '-local', '-known']) assert.ok(!existsSync(mark + suffix), 'ssh -G ran none of them');
  // no command at all: none shown
  const plain = join(tmp, 'config-plain');
  writeFileSync(plain, 'Host dom0\n  HostName 192.0.2.10\n');
  const q = await sshConfigInForce({ destination: 'dom0', configFile: plain });
  assert.deepEqual(q.commands, []);
  // a LocalCommand without PermitLocalCommand is not run by ssh: not shown
  assert.deepEqual(parseSshG('localcommand touch x\npermitlocalcommand no\n').commands, []);
});

test('a Match exec line (in the file or one it includes) is found, and ssh -G is not run, so it does not run either', async () => {
  const mark = join(tmp, `match-${randomBytes(4).toString('hex')}`);
  const inc = join(tmp, 'conf.d');
  mkdirSync(inc, { recursive: true });
  writeFileSync(join(inc, 'a.conf'), `Match host dom0 exec "touch ${mark}"\n  User x\n`);
  const cfg = join(tmp, 'config-match');
  writeFileSync(cfg, `Include ${inc}/*.conf\nHost dom0\n  HostName 192.0.2.10\n`);
  const r = await sshConfigInForce({ destination: 'dom0', configFile: cfg });
  assert.equal(r.evaluated, false);
  assert.equal(r.matchExec.length, 1);
  assert.match(r.matchExec[0], /a\.conf:1: Match host dom0 exec "touch /);
  assert.ok(!existsSync(mark), 'the Match exec command did not run');
  // the scan also knows `exec=` and upper case, and never follows Include loops for ever
  writeFileSync(join(tmp, 'loop'), `Include ${join(tmp, 'loop')}\nMATCH Exec=true\n`);
  assert.equal(scanSshConfig([join(tmp, 'loop')], tmp).matchExec.length, 1);
});

test('regression: the fetch stops reading at 16 MiB from a host that sends without end (a fake ssh), and says so', async (t) => {
  const fake = join(tmp, 'fake-ssh');
  writeFileSync(fake, '#!/bin/sh\nexec yes AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n');
  chmodSync(fake, 0o755);
  const before = process.memoryUsage().rss;
  const started = Date.now();
  const r = await fetchFiles({ destination: 'dom0', ssh: fake }, ['/etc/modules'], { timeoutMs: 30_000 });
  const ms = Date.now() - started;
  assert.equal(r.overflow, true);
  assert.deepEqual(r.files, []);
  assert.match(r.stderr, /more than 16 MiB/);
  assert.ok(ms < 10_000, `${ms} ms`);
  const grew = (process.memoryUsage().rss - before) / 1024 / 1024;
  assert.ok(grew < 200, `RSS grew ${grew.toFixed(0)} MiB`);
  t.diagnostic(`stopped after ${ms} ms; RSS grew ${grew.toFixed(0)} MiB`);
});

async function prep(folder: string, roots: string[]) {
  return prepareApply(
    {
      host: { name: 'dom0', destination: 'dom0', folder: '.' },
      folderUri: pathToFileURL(folder).href,
      workspaceFolderUris: roots.map((r) => pathToFileURL(r).href),
      fetch: false,
    },
    new HostIndex(),
    [],
    defaultSettings,
  );
}

test("the host's folder must lie in a workspace folder (not /, not .. out of it); every file sent is a plain file inside it", async () => {
  const ws = join(tmp, 'ws');
  const hostDir = join(ws, 'hosts/dom0');
  mkdirSync(join(hostDir, 'etc/network'), { recursive: true });
  mkdirSync(join(hostDir, 'etc/sysctl.d'), { recursive: true });
  writeFileSync(join(hostDir, 'etc/network/interfaces'), 'auto lo\niface lo inet loopback\n');
  const ok = await prep(hostDir, [ws]);
  assert.equal(ok.ok, true, JSON.stringify(ok));
  for (const [folder, why] of [
    ['/', '/'],
    [join(ws, '..'), '.. out of the workspace'],
    [join(tmp, 'elsewhere'), 'another folder'],
  ] as const) {
    mkdirSync(join(tmp, 'elsewhere/etc/network'), { recursive: true });
    writeFileSync(join(tmp, 'elsewhere/etc/network/interfaces'), 'auto lo\n');
    const r = await prep(folder, [ws]);
    assert.equal(r.ok, false, why);
    if (!r.ok) assert.match(r.errors[0], /must lie inside a workspace folder/, why);
  }
  assert.equal((await prep(hostDir, [])).ok, false, 'no workspace folder: refused');
  // a private key linked as a sysctl file: refused, never sent
  const key = join(tmp, 'id_ed25519');
  writeFileSync(key, 'net.ipv4.ip_forward = 1\n');
  symlinkSync(key, join(hostDir, 'etc/sysctl.d/99-key.conf'));
  writeFileSync(key, 'net.ipv4.ip_forward = 1\n# SECRET-KEY-MATERIAL\n');
  const linked = await prep(hostDir, [ws]);
  // Either refused with the file named, or (the host's reader takes no file whose real path leaves
  // the host: core/confine.ts) prepared without it: never sent either way.
  if (linked.ok) {
    assert.ok(!linked.files.some((f) => f.localUri.endsWith('99-key.conf')), 'the linked key is not among the files sent');
    assert.ok(!linked.files.some((f) => f.text.includes('SECRET-KEY-MATERIAL')), 'nothing of the key is among the texts sent');
  } else {
    assert.ok(
      linked.problems?.some((x) => x.uri.endsWith('99-key.conf') && /not a plain file inside the host's folder/.test(x.message)),
      JSON.stringify(linked),
    );
  }
  rmSync(join(hostDir, 'etc/sysctl.d/99-key.conf'));
  // a workspace folder that is itself a symbolic link: real paths are compared
  const wsLink = join(tmp, 'ws-link');
  symlinkSync(ws, wsLink);
  assert.equal((await prep(join(wsLink, 'hosts/dom0'), [ws])).ok, true);
});

test('file text in notifications and tooltips is never a link, emphasis or icon (rendered by markdown-it)', () => {
  const md = new MarkdownIt();
  const hostile = [
    '[click](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)',
    '**bold** _em_ `code` <b>x</b>',
    '$(alert) # title',
    '![img](http://192.0.2.1/x.png)',
    'a\\[b](c)',
  ];
  for (const h of hostile) {
    const html = md.render(mdText(h));
    assert.ok(!/<(a|em|strong|code|img|h1|b)[ >]/.test(html), `${h} -> ${html}`);
    assert.ok(!mdText(h).includes('$('), 'no theme icon');
    // the text reads as it was
    assert.equal(
      md
        .renderInline(mdText(h))
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
      h,
    );
    assert.ok(!plainText(h).includes(']('), 'a notification holds no [label](target) pair');
  }
});
