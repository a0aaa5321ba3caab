// A mistake typed into /etc/network/interfaces is underlined while typing and goes away once
// it is fixed; the workbench is photographed in between.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { test } from './harness';
import { FILES, codeOf, describe, replaceOnLine, screenshot, show, waitFor, xenDiagnostics } from './helpers';

const STANZA = /^iface dummy0 inet /;
let mistake: vscode.Range | undefined;

test('typing "statik" for "static" on the dummy0 stanza brings an interfaces/ diagnostic', async () => {
  const editor = await show(FILES.interfaces);
  mistake = await replaceOnLine(editor, STANZA, 'static', 'statik');
  const uri = editor.document.uri;
  const d = await waitFor(`a diagnostic on line ${mistake.start.line + 1} after typing "statik"`, () =>
    xenDiagnostics(uri).find((x) => x.range.start.line === mistake!.start.line),
  );
  assert.match(codeOf(d), /^interfaces\//, `code: ${codeOf(d)}`);
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error, describe([d]));
  assert.match(d.message, /statik/, `the message should name the unknown method: ${d.message}`);
  assert.ok(d.range.intersection(mistake), `the diagnostic ${describe([d])} should cover "statik" at ${mistake.start.character + 1}`);
});

test('screenshot: the mistake underlined, its hover and the Problems panel', async () => {
  assert.ok(mistake, 'the previous test did not type the mistake');
  const editor = await show(FILES.interfaces);
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('workbench.panel.markers.view.focus'); // opens Problems (never toggles it shut)
  await show(FILES.interfaces); // focus back on the editor
  const inWord = new vscode.Position(mistake.start.line, mistake.start.character + 2);
  editor.selection = new vscode.Selection(inWord, inWord);
  editor.revealRange(mistake, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  const squiggle = '.monaco-editor .view-overlays [class*="squiggly-"]:visible, .monaco-editor [class*="squiggly-error"]:visible';
  const problem = '.markers-panel .monaco-list-row:visible';
  await screenshot('interfaces-mistake', [squiggle, problem]);
  await vscode.commands.executeCommand('editor.action.showHover');
  await screenshot('interfaces-mistake-hover', [squiggle, problem, '.monaco-hover:visible']);
});

test('fixing the mistake clears the diagnostic', async () => {
  assert.ok(mistake, 'the previous test did not type the mistake');
  const editor = await show(FILES.interfaces);
  const uri = editor.document.uri;
  const before = xenDiagnostics(uri).filter((d) => d.range.start.line === mistake!.start.line);
  assert.ok(before.length > 0, 'the mistake is not reported, so there is nothing to clear');
  await vscode.commands.executeCommand('editor.action.hideHover');
  await replaceOnLine(editor, STANZA, 'statik', 'static');
  await waitFor(`the diagnostics of ${FILES.interfaces} to clear (now: ${describe(xenDiagnostics(uri))})`, () =>
    xenDiagnostics(uri).length === 0 ? true : undefined,
  );
  await editor.document.save();
});
