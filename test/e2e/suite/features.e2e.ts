// Hover, completion and the outline, asked of VS Code the way the editor asks for them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { test } from './harness';
import { FILES, completionLabels, hoverText, lineOf, open, screenshot, show } from './helpers';

test('a hover on "address" in interfaces explains the address option', async () => {
  const editor = await show(FILES.interfaces);
  const doc = editor.document;
  const line = lineOf(doc, /^\s+address 80\.68\.86\.193/);
  const col = doc.lineAt(line).text.indexOf('address') + 2;
  const pos = new vscode.Position(line, col);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
  const text = hoverText(hovers ?? []);
  assert.match(text, /address/i, `hover text: ${JSON.stringify(text)}`);
  assert.ok(text.replace(/address/gi, '').replace(/[\s*`#_(){}]/g, '').length >= 20, `the hover only names the option: ${JSON.stringify(text)}`);

  await vscode.commands.executeCommand('notifications.clearAll');
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('editor.action.showHover');
  await screenshot('interfaces-hover-address', ['.monaco-hover:visible']);
  await vscode.commands.executeCommand('editor.action.hideHover');
});

/** Makes an edit in the editor, asks for completion at the cursor it gives, then restores the file. */
async function completeAfterEdit(
  rel: string,
  at: (doc: vscode.TextDocument) => { range: vscode.Range; text: string; cursor: vscode.Position },
): Promise<string[]> {
  const editor = await show(rel);
  const doc = editor.document;
  const original = doc.getText();
  const { range, text, cursor } = at(doc);
  assert.ok(await editor.edit((e) => e.replace(range, text)), 'the editor refused the edit');
  try {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, cursor);
    return completionLabels(list).map((l) => l.replace(/\s*=\s*$/, ''));
  } finally {
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    await editor.edit((e) => e.replace(whole, original));
    await doc.save();
  }
}

test('completion on a new line of the dummy0 stanza offers its options (gateway, mtu)', async () => {
  const labels = await completeAfterEdit(FILES.interfaces, (doc) => {
    const netmask = lineOf(doc, /^\s+netmask 255\.255\.255\.248/);
    const start = new vscode.Position(netmask, 0);
    return { range: new vscode.Range(start, start), text: '    \n', cursor: new vscode.Position(netmask, 4) };
  });
  for (const want of ['gateway', 'mtu']) {
    assert.ok(labels.includes(want), `"${want}" is not offered; offered: ${labels.join(', ') || '(nothing)'}`);
  }
});

test("completion inside vm1.cfg's vif string after 'ip=80.68.86.194,' offers mac, bridge and script", async () => {
  const labels = await completeAfterEdit(FILES.domain, (doc) => {
    const line = lineOf(doc, /^vif\s*=/);
    const text = doc.lineAt(line).text;
    const after = text.indexOf('80.68.86.194') + '80.68.86.194'.length;
    const at = new vscode.Position(line, after);
    return { range: new vscode.Range(at, at), text: ',', cursor: new vscode.Position(line, after + 1) };
  });
  for (const want of ['mac', 'bridge', 'script']) {
    assert.ok(labels.includes(want), `"${want}" is not offered; offered: ${labels.join(', ') || '(nothing)'}`);
  }
});

test('the outline of interfaces lists the dummy0 stanza', async () => {
  const doc = await open(FILES.interfaces);
  const symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>('vscode.executeDocumentSymbolProvider', doc.uri);
  const names: string[] = [];
  const walk = (list: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[]): void => {
    for (const s of list) {
      names.push(s.name);
      if ('children' in s && s.children) walk(s.children);
    }
  };
  walk(symbols ?? []);
  assert.ok(
    names.some((n) => /\bdummy0\b/.test(n)),
    `symbols: ${names.join(', ') || '(none)'}`,
  );
});
