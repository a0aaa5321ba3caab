// Cancellation: a request cancelled before it runs, or while its document is read, answers its
// empty answer without running the feature (lsp/context.ts withDocument, lsp/routes.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CancellationToken } from 'vscode-languageserver';
import { withDocument, type ServerContext } from '../../server/src/lsp/context';
import { ROUTES } from '../../server/src/lsp/routes';
import { defaultSettings } from '../../server/src/core/settings';
import { HostIndex } from '../../server/src/host/index';

function token(cancelled = false): CancellationToken & { isCancellationRequested: boolean } {
  return { isCancellationRequested: cancelled, onCancellationRequested: () => ({ dispose() {} }) };
}

const index = new HostIndex();
const text = 'auto lo\niface lo inet loopback\n';
const source = { uri: 'file:///nowhere/etc/network/interfaces', languageId: 'debian-interfaces', version: 1, getText: () => text };

function context(onRead?: () => void): ServerContext {
  return {
    index,
    documents: { all: () => [source], get: () => source },
    current: async () => {
      onRead?.();
      return { doc: index.document(source, defaultSettings)!, settings: defaultSettings };
    },
    settingsFor: async () => defaultSettings,
    reportError: (what: string, err: unknown) => assert.fail(`${what}: ${String(err)}`),
  } as unknown as ServerContext;
}

const direct = <R>(fn: () => R): R => fn();

test('a request cancelled before it runs: the empty answer, the feature not run', async () => {
  let ran = false;
  const r = await withDocument(context(), 'symbols', [] as string[], source.uri, token(true), () => ((ran = true), ['x']), direct);
  assert.deepEqual(r, []);
  assert.equal(ran, false);
});

test('a request cancelled while its document is read: the empty answer, the feature not run', async () => {
  const t = token();
  let ran = false;
  const r = await withDocument(
    context(() => (t.isCancellationRequested = true)),
    'symbols',
    [] as string[],
    source.uri,
    t,
    () => ((ran = true), ['x']),
    direct,
  );
  assert.deepEqual(r, []);
  assert.equal(ran, false);
});

test('the routing table: cancelled hover, symbols and host view answer null or [], generate its typed refusal; not cancelled, they answer', async () => {
  const ctx = context();
  const doc = { textDocument: { uri: source.uri }, position: { line: 1, character: 2 } };
  assert.equal(await ROUTES['textDocument/hover'](ctx, doc, token(true)), null);
  assert.deepEqual(await ROUTES['textDocument/documentSymbol'](ctx, doc, token(true)), []);
  assert.equal(await ROUTES['xen/hostView'](ctx, { uri: source.uri }, token(true)), null);
  // (the generate requests answer a result or a GenerateRefusal, never null: a cancelled one is refused, without reading the host)
  assert.deepEqual(await ROUTES['xen/generate/hostState'](ctx, { root: 'file:///nowhere' }, token(true)), { error: 'cancelled' });
  const symbols = (await ROUTES['textDocument/documentSymbol'](ctx, doc, token())) as unknown[];
  assert.ok(symbols.length > 0, 'the same request, not cancelled, answers');
});
