// The boundary between the client and the server, read from the sources: no file under
// client/src imports anything of server/ but server/src/protocol; the protocol module imports
// nothing but vscode-languageserver-protocol and its own files; and the client starts no process
// (ssh runs in the server, or in the terminal the user sees).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { listFiles, repoRoot } from '../../support/paths';

const CLIENT = join(repoRoot, 'client', 'src');
const SERVER = join(repoRoot, 'server');
const PROTOCOL = join(repoRoot, 'server', 'src', 'protocol');

/**
 * The module specifiers of a TypeScript source: `from '…'` (imports and re-exports), a bare
 * `import '…'`, `import('…')` and `require('…')`. A plain scan (comments are read too, which can
 * only make the check stricter).
 */
export function specifiersOf(text: string): string[] {
  const out: string[] = [];
  const quoted = (at: number): string | undefined => {
    let i = at;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    const q = text[i];
    if (q !== "'" && q !== '"' && q !== '`') return undefined;
    const end = text.indexOf(q, i + 1);
    return end < 0 ? undefined : text.slice(i + 1, end);
  };
  const wordAt = (i: number, w: string) =>
    text.startsWith(w, i) && !/[A-Za-z0-9_$.]/.test(text[i - 1] ?? ' ') && !/[A-Za-z0-9_$]/.test(text[i + w.length] ?? ' ');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== 'f' && c !== 'i' && c !== 'r') continue;
    let s: string | undefined;
    if (wordAt(i, 'from')) s = quoted(i + 4);
    else if (wordAt(i, 'import')) {
      let j = i + 6;
      while (text[j] === ' ' || text[j] === '\t') j++;
      s = text[j] === '(' ? quoted(j + 1) : quoted(i + 6);
    } else if (wordAt(i, 'require')) {
      let j = i + 7;
      while (text[j] === ' ') j++;
      if (text[j] === '(') s = quoted(j + 1);
    }
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** The file or folder a relative specifier names, from the file that holds it. */
function target(file: string, spec: string): string {
  return resolve(dirname(file), spec);
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);
const sources = (dir: string) => listFiles(dir).filter((f) => f.endsWith('.ts'));

test('the scan finds every form of import (so that the checks below can fail)', () => {
  const sample = [
    "import * as vscode from 'vscode';",
    'import type {',
    '  ApplyInspection,',
    "} from '../../server/src/features/apply';",
    'export type { HostView } from "../../server/src/protocol";',
    "import '../../server/src/core/polyfills';",
    "const m = await import('../../server/src/cli');",
    "const cp = require('node:child_process');",
    'const informed = 1; // imported from nowhere, import types',
  ].join('\n');
  assert.deepEqual(specifiersOf(sample), [
    'vscode',
    '../../server/src/features/apply',
    '../../server/src/protocol',
    '../../server/src/core/polyfills',
    '../../server/src/cli',
    'node:child_process',
  ]);
});

test('the client imports nothing of server/ but server/src/protocol', () => {
  const files = sources(CLIENT);
  assert.ok(files.length >= 8, `the client's sources were found (${files.length} under ${CLIENT})`);
  const wrong: string[] = [];
  let protocolImports = 0;
  for (const f of files) {
    for (const spec of specifiersOf(readFileSync(f, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const t = target(f, spec);
      if (!inside(t, SERVER)) continue;
      if (inside(t, PROTOCOL)) protocolImports++;
      else wrong.push(`${relative(repoRoot, f)}: ${spec}`);
    }
  }
  assert.deepEqual(wrong, [], 'client files that import server code other than the protocol module');
  assert.ok(protocolImports > 0, 'the client does speak the protocol (it imports the protocol module)');
});

test('the client starts no process: ssh runs in the server (or in the terminal the user sees)', () => {
  const wrong: string[] = [];
  for (const f of sources(CLIENT)) {
    for (const spec of specifiersOf(readFileSync(f, 'utf8'))) {
      if (spec === 'child_process' || spec === 'node:child_process' || spec === 'worker_threads' || spec === 'node:worker_threads')
        wrong.push(`${relative(repoRoot, f)}: ${spec}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the protocol module imports nothing but vscode-languageserver-protocol and its own files', () => {
  const files = sources(PROTOCOL);
  assert.ok(
    files.some((f) => f.endsWith(`${sep}index.ts`)),
    `server/src/protocol/index.ts exists (${files.length} files found)`,
  );
  const wrong: string[] = [];
  for (const f of files) {
    for (const spec of specifiersOf(readFileSync(f, 'utf8'))) {
      const ok = spec === 'vscode-languageserver-protocol' || (spec.startsWith('.') && inside(target(f, spec), PROTOCOL));
      if (!ok) wrong.push(`${relative(repoRoot, f)}: ${spec}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('every custom method the client sends is one of the protocol module (no method name written in the client)', () => {
  const wrong: string[] = [];
  for (const f of sources(CLIENT)) {
    const text = readFileSync(f, 'utf8');
    for (let i = text.indexOf("'xen/"); i >= 0; i = text.indexOf("'xen/", i + 1))
      wrong.push(`${relative(repoRoot, f)}: ${text.slice(i, text.indexOf("'", i + 1) + 1)}`);
    for (let i = text.indexOf('sendRequest<'); i >= 0; i = text.indexOf('sendRequest<', i + 1))
      wrong.push(`${relative(repoRoot, f)}: an untyped sendRequest<…>`);
  }
  assert.deepEqual(wrong, []);
  assert.ok(existsSync(join(PROTOCOL, 'index.ts')));
});
