// Shared by the generate tests: the article's host, applying a result's changes, and running our
// own checks (host model + every format's diagnostics) and the real parsers over a generated host.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHost, type HostFile } from '../../../server/src/host/model';
import { checkHost } from '../../../server/src/host/checks';
import { languageOf, serviceFor } from '../../../server/src/formats/index';
import { resolveSettings } from '../../../server/src/core/settings';
import type { GenerateError, GenerateResult, HostTexts } from '../../../server/src/generate/types';
import { oraclesDir, oraclesInstalled, repoRoot } from '../../support/paths';

/** The e2e fixture of the article's host (read-only here), as relative path -> text. */
export function articleHost(): HostTexts {
  const root = join(repoRoot, 'test', 'e2e', 'fixtures', 'article-host');
  const out: HostTexts = {};
  const walk = (dir: string, rel: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p, `${rel}${n}/`);
      else out[`${rel}${n}`] = readFileSync(p, 'utf8');
    }
  };
  walk(root, '');
  return out;
}

/** The same host under xl: xl.conf instead of xend-config.sxp. */
export function articleHostXl(): HostTexts {
  const h = articleHost();
  delete h['etc/xen/xend-config.sxp'];
  h['etc/xen/xl.conf'] = [
    '# xl.conf of the article host',
    '',
    '# Routed networking',
    'vif.default.script="vif-route"',
    'vif.default.gatewaydev="dummy0"',
    '',
  ].join('\n');
  return h;
}

export function ok(r: GenerateResult | GenerateError): GenerateResult {
  if ('error' in r) assert.fail(`unexpected refusal: ${r.error}`);
  return r;
}

export function refused(r: GenerateResult | GenerateError): GenerateError {
  if (!('error' in r)) assert.fail(`expected a refusal, got ${r.changes.length} changes`);
  return r;
}

/** The host after the changes (checks that each change's oldText is the current text). */
export function apply(files: HostTexts, r: GenerateResult): HostTexts {
  const out = { ...files };
  for (const c of r.changes) {
    assert.equal(c.oldText, files[c.path], `oldText of ${c.path}`);
    assert.notEqual(c.newText, c.oldText, `${c.path} listed but unchanged`);
    out[c.path] = c.newText;
  }
  return out;
}

/** Every diagnostic our server would show for the host: host checks and each file's own. */
export function ourDiagnostics(files: HostTexts, toolstack: 'auto' | 'xm' | 'xl' = 'auto'): string[] {
  const settings = resolveSettings({ domain: { toolstack } });
  const root = 'file:///gen-host/';
  const list: HostFile[] = [];
  const out: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    if (typeof text !== 'string') continue;
    const lang = languageOf(path);
    // a sysctl file (IP forwarding under xl) has no language of ours: it is read by the host model only
    if (!lang && /^etc\/sysctl\.d\/[^/]+\.conf$/.test(path)) {
      list.push({ uri: root + path, languageId: '', text });
      continue;
    }
    assert.ok(lang, `no language for ${path}`);
    list.push({ uri: root + path, languageId: lang, text });
    const svc = serviceFor(lang);
    for (const d of svc.diagnostics(svc.parse(text, settings, root + path), settings))
      out.push(`${path}:${d.range.start.line + 1} ${String(d.code)} ${d.message}`);
  }
  for (const [uri, diags] of checkHost(buildHost(list)))
    for (const d of diags) out.push(`${uri.slice(root.length)}:${d.range.start.line + 1} ${String(d.code)} ${d.message}`);
  return out;
}

/** The real parsers' verdict on every file of the host (validate.sh per format); undefined when they are not installed. */
export function oracleFailures(files: HostTexts): string[] | undefined {
  if (!oraclesInstalled()) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'xen-gen-'));
  try {
    const byFormat: Record<string, string[]> = { interfaces: [], sxp: [], xl: [] };
    for (const [path, text] of Object.entries(files)) {
      if (typeof text !== 'string') continue;
      const p = join(dir, path);
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, text);
      const lang = languageOf(path);
      if (lang === 'debian-interfaces') byFormat.interfaces.push(p);
      else if (lang === 'xen-xend-config') byFormat.sxp.push(p);
      else if (lang === 'xen-domain') byFormat.xl.push(p);
    }
    const failures: string[] = [];
    for (const [fmt, paths] of Object.entries(byFormat)) {
      if (!paths.length) continue;
      const r = spawnSync('bash', [join(oraclesDir, 'validate.sh'), fmt, ...paths], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) failures.push(`${fmt}: exit ${r.status}\n${r.stdout}${r.stderr}`.replaceAll(dir + '/', ''));
    }
    return failures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines of a text that are not comments and not blank. */
export function codeLines(text: string, comment = '#'): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith(comment));
}

/** The article's host gone wrong: bridged xend, a dummy0 stanza with wrong values, no dummy module, a bridged vm1. */
export function brokenHost(): HostTexts {
  const h = articleHost();
  h['etc/network/interfaces'] = [
    '# /etc/network/interfaces on the Xen host (dom0).',
    'auto lo',
    'iface lo inet loopback',
    '',
    'auto eth0',
    'iface eth0 inet static',
    '    address 80.68.80.24',
    '    netmask 255.255.255.0',
    '    gateway 80.68.80.1',
    '',
    '# dummy0: half set up',
    'iface dummy0 inet manual',
    '\taddress 80.68.86.193/24',
    '\tbroadcast 80.68.86.255',
    '\t# a comment inside the stanza stays',
    '\tup echo dummy0 is up',
    '',
    '# trailing comment',
    '',
  ].join('\n');
  h['etc/xen/xend-config.sxp'] = [
    '# -*- sh -*-',
    '#(network-script network-route)',
    '#(vif-script     vif-route)',
    '(logfile /var/log/xen/xend.log)',
    "(network-script 'network-bridge netdev=eth0')",
    '(dom0-min-mem 196)',
    '# the end',
    '',
  ].join('\n');
  h['etc/modules'] = '# modules\nloop\n';
  h['etc/xen/vm1.cfg'] = ["name = 'vm1'", 'memory = 256', "vif = [ 'mac=00:16:3e:00:00:01, bridge=xenbr0' ]", "ip = '10.0.0.5'", ''].join('\n');
  return h;
}
