// xen/remote/importHost and xen/remote/compareHost through the routing table: junk params answer
// their documented refusal ({ ok: false, ... }) before any ssh runs, never a throw. (Over real
// ssh: test/apply/ssh-import.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CancellationToken } from 'vscode-languageserver';
import type { ServerContext } from '../../server/src/lsp/context';
import { ROUTES } from '../../server/src/lsp/routes';
import { defaultSettings } from '../../server/src/core/settings';
import { HostIndex } from '../../server/src/host/index';
import { RemoteCompareRequest, RemoteImportRequest } from '../../server/src/protocol';

const token: CancellationToken = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
const errors: string[] = [];
const ctx = {
  index: new HostIndex(),
  documents: { all: () => [], get: () => undefined },
  settingsFor: async () => defaultSettings,
  reportError: (what: string, err: unknown) => errors.push(`${what}: ${String(err)}`),
} as unknown as ServerContext;

test('the two requests are routed', () => {
  assert.equal(typeof ROUTES[RemoteImportRequest.method], 'function');
  assert.equal(typeof ROUTES[RemoteCompareRequest.method], 'function');
});

test('importHost: junk params, a destination that is an ssh option, a folder that is no local path: refused in words', async () => {
  const ask = (p: unknown) => ROUTES[RemoteImportRequest.method](ctx, p, token) as Promise<{ ok: boolean; reason?: string; errors?: string[] }>;
  for (const p of [undefined, null, 3, 'x', {}, { folderUri: 42 }, { folderUri: 'untitled:x', host: { name: 'a', destination: 'h' } }]) {
    const r = await ask(p);
    assert.equal(r.ok, false, JSON.stringify(p));
    assert.equal(r.reason, 'invalid');
    assert.ok(r.errors?.length);
  }
  const opt = await ask({ folderUri: 'file:///tmp/xnt-never', host: { name: 'a', destination: '-oProxyCommand=id' } });
  assert.equal(opt.ok, false);
  assert.match(opt.errors?.join(' ') ?? '', /must not start with "-"/);
  const key = await ask({ folderUri: 'file:///tmp/xnt-never', host: { name: 'a', destination: 'h', identityFile: 'relative/key' } });
  assert.match(key.errors?.join(' ') ?? '', /identityFile.*absolute/);
  assert.deepEqual(errors, []);
});

test('compareHost: junk params refused in words', async () => {
  const ask = (p: unknown) => ROUTES[RemoteCompareRequest.method](ctx, p, token) as Promise<{ ok: boolean; errors?: string[] }>;
  for (const p of [undefined, {}, { host: 'x' }, { host: { name: 'a', destination: 'h', folder: 'f' }, folderUri: 7 }]) {
    const r = await ask(p);
    assert.equal(r.ok, false, JSON.stringify(p));
    assert.ok(r.errors?.length);
  }
  assert.deepEqual(errors, []);
});
