// The host as a whole: a wrong broadcast in interfaces and a guest on the gateway's address are
// reported in both files, the workbench is photographed with the two diagnostics and the status
// bar item, and the preferred quick fixes (asked of VS Code's code-action API) leave both files
// correct and clean. The test starts from whatever the files hold and puts them back, saved.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { test } from './harness';
import { FILES, codeOf, describe, fileUri, lineOf, open, screenshot, waitFor, xenDiagnostics } from './helpers';

const SUBNET_HOSTS = ['80.68.86.193', '80.68.86.194', '80.68.86.195', '80.68.86.196', '80.68.86.197', '80.68.86.198'];
const GATEWAY = '80.68.86.193';

/** The range of the first match of `re`'s group 1 on the first line matching lineRe. */
function groupRange(doc: vscode.TextDocument, lineRe: RegExp, re: RegExp): vscode.Range {
  const line = lineOf(doc, lineRe);
  const text = doc.lineAt(line).text;
  const m = re.exec(text);
  if (!m || m.index === undefined) throw new Error(`no ${re} on line ${line + 1} of ${doc.uri.fsPath}: ${text}`);
  const col = m.index + m[0].indexOf(m[1]);
  return new vscode.Range(line, col, line, col + m[1].length);
}

const BROADCAST_LINE = /^\s+broadcast\s/;
const BROADCAST = /broadcast\s+(\S+)/;
const VIF_LINE = /^vif\s*=/;
const VIF_IP = /ip=([0-9.]+)/;

/** The ip= of every other guest's domain file in the workspace (from the open documents or the disk). */
async function otherGuestsIps(self: vscode.Uri): Promise<string[]> {
  const ips: string[] = [];
  for (const uri of await vscode.workspace.findFiles('etc/xen/*.cfg')) {
    if (uri.toString() === self.toString()) continue;
    const doc = await vscode.workspace.openTextDocument(uri);
    for (const m of doc.getText().matchAll(/ip=([0-9.]+)/g)) ips.push(m[1]);
  }
  return ips;
}

/**
 * The preferred quick fix VS Code offers on the diagnostic's range. VS Code's command hands back
 * the actions without their diagnostics, so the fix is known as the one whose edit rewrites the
 * diagnostic's range.
 */
async function preferredFix(doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<vscode.CodeAction> {
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? [];
  const fixes = actions.filter((a): a is vscode.CodeAction => 'kind' in a && !!a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind));
  const titles = actions.map((a) => `${a.title}${(a as vscode.CodeAction).isPreferred ? ' (preferred)' : ''}`).join('; ') || '(none)';
  const preferred = fixes.filter((a) => a.isPreferred);
  assert.equal(preferred.length, 1, `one preferred quick fix on ${describe([d])}; offered: ${titles}`);
  const fix = preferred[0];
  assert.ok(fix.edit, `the preferred fix "${fix.title}" carries no edit`);
  const edits = fix.edit.get(doc.uri);
  assert.ok(
    edits.some((e) => e.range.intersection(d.range) !== undefined),
    `the preferred fix "${fix.title}" does not rewrite the range of ${describe([d])}: ${edits.map((e) => `${e.range.start.line + 1}:${e.range.start.character + 1} ${JSON.stringify(e.newText)}`).join('; ') || '(no edit of this file)'}`,
  );
  return fix;
}

test('a wrong broadcast and a guest on the gateway address: both reported, and the preferred quick fixes leave both files clean', async () => {
  const ifDoc = await open(FILES.interfaces);
  const vmDoc = await open(FILES.domain);
  const originals = new Map<vscode.TextDocument, string>([
    [ifDoc, ifDoc.getText()],
    [vmDoc, vmDoc.getText()],
  ]);
  try {
    // (1) the two mistakes, through a WorkspaceEdit
    const mistakes = new vscode.WorkspaceEdit();
    mistakes.replace(ifDoc.uri, groupRange(ifDoc, BROADCAST_LINE, BROADCAST), '80.68.86.200');
    mistakes.replace(vmDoc.uri, groupRange(vmDoc, VIF_LINE, VIF_IP), GATEWAY);
    assert.ok(await vscode.workspace.applyEdit(mistakes), 'VS Code refused the edit that makes the mistakes');
    assert.match(ifDoc.lineAt(lineOf(ifDoc, BROADCAST_LINE)).text, /broadcast 80\.68\.86\.200$/);
    assert.match(vmDoc.lineAt(lineOf(vmDoc, VIF_LINE)).text, /'ip=80\.68\.86\.193'/);

    const broadcast = await waitFor(`host/wrong-broadcast on ${FILES.interfaces} (now: ${describe(xenDiagnostics(ifDoc.uri))})`, () =>
      xenDiagnostics(ifDoc.uri).find((d) => codeOf(d) === 'host/wrong-broadcast'),
    );
    const onGateway = await waitFor(`host/guest-ip-gateway on ${FILES.domain} (now: ${describe(xenDiagnostics(vmDoc.uri))})`, () =>
      xenDiagnostics(vmDoc.uri).find((d) => codeOf(d) === 'host/guest-ip-gateway'),
    );
    assert.equal(broadcast.range.start.line, lineOf(ifDoc, BROADCAST_LINE), describe([broadcast]));
    assert.match(broadcast.message, /80\.68\.86\.199/, `the message should give the right broadcast: ${broadcast.message}`);
    assert.equal(onGateway.severity, vscode.DiagnosticSeverity.Error, describe([onGateway]));
    assert.equal(onGateway.range.start.line, lineOf(vmDoc, VIF_LINE), describe([onGateway]));
    const related = onGateway.relatedInformation ?? [];
    assert.ok(
      related.some((r) => r.location.uri.toString() === ifDoc.uri.toString()),
      `the related information should point at ${FILES.interfaces}: ${related.map((r) => `${r.location.uri.toString()}:${r.location.range.start.line + 1} ${r.message}`).join('; ') || '(none)'}`,
    );

    // (4) the workbench with both diagnostics: interfaces beside vm1.cfg, Problems open, status bar item
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.panel.markers.view.focus');
    const left = await vscode.window.showTextDocument(ifDoc, { viewColumn: vscode.ViewColumn.One, preview: false });
    left.revealRange(broadcast.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    const right = await vscode.window.showTextDocument(vmDoc, { viewColumn: vscode.ViewColumn.Two, preview: false });
    right.revealRange(onGateway.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    right.selection = new vscode.Selection(onGateway.range.start, onGateway.range.start);
    await screenshot('host-broadcast-and-gateway', [
      '.monaco-editor [class*="squiggly-warning"]:visible',
      '.monaco-editor [class*="squiggly-error"]:visible',
      '.markers-panel .monaco-list-row:visible',
      '.statusbar-item:has-text("80.68.86.192/29"):has-text("free"):has-text("routed"):visible',
    ]);

    // (2) the preferred quick fixes, asked of VS Code and applied through it
    const ifFix = await preferredFix(ifDoc, broadcast);
    const vmFix = await preferredFix(vmDoc, onGateway);
    assert.ok(await vscode.workspace.applyEdit(ifFix.edit!), `VS Code refused "${ifFix.title}"`);
    assert.ok(await vscode.workspace.applyEdit(vmFix.edit!), `VS Code refused "${vmFix.title}"`);

    const bLine = ifDoc.lineAt(lineOf(ifDoc, BROADCAST_LINE)).text;
    assert.match(bLine, /^\s+broadcast 80\.68\.86\.199\s*$/, `after "${ifFix.title}": ${JSON.stringify(bLine)}`);
    const vifLine = vmDoc.lineAt(lineOf(vmDoc, VIF_LINE)).text;
    const ip = VIF_IP.exec(vifLine)?.[1];
    assert.ok(ip, `after "${vmFix.title}" the vif has no ip=: ${JSON.stringify(vifLine)}`);
    const others = await otherGuestsIps(vmDoc.uri);
    const free = SUBNET_HOSTS.filter((a) => a !== GATEWAY && !others.includes(a));
    assert.ok(
      free.includes(ip),
      `after "${vmFix.title}" vm1's ip is ${ip}, not one of the free addresses ${free.join(', ')} (other guests: ${others.join(', ') || 'none'})`,
    );

    await waitFor(`no xen diagnostics on ${FILES.interfaces} and ${FILES.domain} after the fixes`, () =>
      xenDiagnostics(ifDoc.uri).length === 0 && xenDiagnostics(vmDoc.uri).length === 0 ? true : undefined,
    ).catch((err: Error) => {
      throw new Error(`${err.message} (interfaces: ${describe(xenDiagnostics(ifDoc.uri))}; vm1.cfg: ${describe(xenDiagnostics(vmDoc.uri))})`);
    });
  } finally {
    // (3) put both files back as they were, saved, and the workbench to one editor group
    const restore = new vscode.WorkspaceEdit();
    for (const [doc, text] of originals) {
      if (doc.getText() !== text) restore.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
    }
    await vscode.workspace.applyEdit(restore);
    for (const doc of originals.keys()) if (doc.isDirty) await doc.save();
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
  }
  // the files as found, with no diagnostics
  for (const [doc, text] of originals) assert.equal(doc.getText(), text, `${doc.uri.fsPath} was not put back`);
  await waitFor(`no xen diagnostics on the restored ${FILES.interfaces} and ${FILES.domain}`, () =>
    xenDiagnostics(fileUri(FILES.interfaces)).length === 0 && xenDiagnostics(fileUri(FILES.domain)).length === 0 ? true : undefined,
  );
});
