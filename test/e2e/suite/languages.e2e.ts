// The four files of the article's host open in the right languages, and the extension's
// language server finds nothing wrong with them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { test } from './harness';
import { FILES, describe, open, staysTrue, waitFor, xenDiagnostics } from './helpers';

const EXPECTED: [string, string][] = [
  [FILES.sxp, 'xen-xend-config'],
  [FILES.interfaces, 'debian-interfaces'],
  [FILES.modules, 'kernel-modules'],
  [FILES.domain, 'xen-domain'],
];

test('each file of the host opens in its language (xend-config, interfaces, modules, domain)', async () => {
  for (const [rel, language] of EXPECTED) {
    const doc = await open(rel);
    assert.equal(doc.languageId, language, `${rel} opened as ${doc.languageId}`);
  }
  const ext = vscode.extensions.getExtension('xen-network.xen-network');
  assert.ok(ext, 'the extension under test is not loaded');
  await waitFor('the extension to activate', () => (ext.isActive ? true : undefined), 60_000);
}, 90_000); // the first test also waits for the extension host to load the language server

test('the fixture files have no diagnostics from the language server', async () => {
  const docs = await Promise.all(EXPECTED.map(([rel]) => open(rel)));
  // A broken document opened after them: once its diagnostic arrives, the server is running and
  // has had the fixture files (opened first, checked at once on open) in its queue before it.
  const control = await vscode.workspace.openTextDocument({ language: 'debian-interfaces', content: 'iface eth9 inet statik\n' });
  await waitFor('a diagnostic on a broken interfaces document (is the language server running?)', () =>
    xenDiagnostics(control.uri).length > 0 ? true : undefined,
  );
  await staysTrue(600, () => {
    const problems = docs
      .filter((d) => xenDiagnostics(d.uri).length > 0)
      .map((d) => `${vscode.workspace.asRelativePath(d.uri)}: ${describe(xenDiagnostics(d.uri))}`);
    return problems.length ? problems.join('\n') : undefined;
  });
  // close the scratch document without saving it
  await vscode.window.showTextDocument(control);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
});
