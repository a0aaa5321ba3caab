// What the end-to-end tests share: the fixture files, waiting for conditions (never a blind
// sleep), reading diagnostics, hovers and completion items, and asking the VS Code stand-in
// for a screenshot of the workbench.
import { rmSync } from 'node:fs';
import * as http from 'node:http';
import * as vscode from 'vscode';

export const FILES = {
  sxp: 'etc/xen/xend-config.sxp',
  interfaces: 'etc/network/interfaces',
  modules: 'etc/modules',
  domain: 'etc/xen/vm1.cfg',
} as const;

export function fileUri(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('VS Code opened no workspace folder');
  return vscode.Uri.joinPath(folder.uri, rel);
}

export async function open(rel: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(fileUri(rel));
}

export async function show(rel: string): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await open(rel), { preview: false });
}

/** Waits until check() returns a value other than undefined (re-checked on diagnostics changes and every 50 ms). */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const first = check();
  if (first !== undefined) return first;
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void): void => {
      if (done) return;
      done = true;
      sub.dispose();
      clearInterval(poll);
      clearTimeout(limit);
      fn();
    };
    const probe = (): void => {
      try {
        const v = check();
        if (v !== undefined) finish(() => resolve(v));
      } catch (err) {
        finish(() => reject(err));
      }
    };
    const sub = vscode.languages.onDidChangeDiagnostics(probe);
    const poll = setInterval(probe, 50);
    const limit = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`))), timeoutMs);
  });
}

/** Fails if check() returns a message at any moment during the next ms milliseconds. */
export async function staysTrue(ms: number, check: () => string | undefined): Promise<void> {
  const end = Date.now() + ms;
  await waitFor(
    `${ms} ms to pass`,
    () => {
      const problem = check();
      if (problem) throw new Error(problem);
      return Date.now() >= end ? true : undefined;
    },
    ms + 5000,
  );
}

export function xenDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'xen');
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  if (c === undefined) return '';
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function describe(ds: readonly vscode.Diagnostic[]): string {
  return ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)} ${d.message}`).join('; ') || '(none)';
}

/** Replaces the first `find` on the first line matching lineRe, through the editor (as typing would). */
export async function replaceOnLine(editor: vscode.TextEditor, lineRe: RegExp, find: string, by: string): Promise<vscode.Range> {
  const doc = editor.document;
  for (let i = 0; i < doc.lineCount; i++) {
    const text = doc.lineAt(i).text;
    if (!lineRe.test(text)) continue;
    const col = text.indexOf(find);
    if (col < 0) continue;
    const range = new vscode.Range(i, col, i, col + find.length);
    const ok = await editor.edit((e) => e.replace(range, by));
    if (!ok) throw new Error(`the editor refused the edit on line ${i + 1}`);
    return new vscode.Range(i, col, i, col + by.length);
  }
  throw new Error(`no line matching ${lineRe} with "${find}" in ${doc.uri.fsPath}`);
}

export function lineOf(doc: vscode.TextDocument, re: RegExp): number {
  for (let i = 0; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) return i;
  throw new Error(`no line matching ${re} in ${doc.uri.fsPath}`);
}

export function hoverText(hovers: readonly vscode.Hover[]): string {
  const parts: string[] = [];
  for (const h of hovers) {
    for (const c of h.contents) {
      if (typeof c === 'string') parts.push(c);
      else parts.push(c.value);
    }
  }
  return parts.join('\n');
}

export function completionLabels(list: vscode.CompletionList | undefined): string[] {
  return (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

/** Asks the VS Code stand-in to type text into the focused element (after selecting all of it, when asked) and press a key. */
export async function type(text: string, options: { press?: string; selectAll?: boolean; focus?: string } = {}): Promise<void> {
  const q = new URLSearchParams({ text });
  if (options.focus) q.set('focus', options.focus);
  if (options.press) q.set('press', options.press);
  if (options.selectAll) q.set('selectAll', '1');
  const r = JSON.parse(await control(`/type?${q}`, 30_000)) as { ok: boolean; error?: string };
  if (!r.ok) throw new Error(`type ${JSON.stringify(text)}: ${r.error}`);
}

async function control(pathAndQuery: string, timeoutMs: number): Promise<string> {
  const base = process.env.XEN_E2E_CONTROL;
  if (!base) throw new Error('XEN_E2E_CONTROL is not set: this needs the VS Code stand-in of test/e2e/bin/code');
  return new Promise<string>((resolve, reject) => {
    const req = http.get(`${base}${pathAndQuery}`, { timeout: timeoutMs }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (data += d));
      res.on('end', () => resolve(data));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`the request ${pathAndQuery} to the stand-in timed out`)));
  });
}

/** The text of every visible element of the workbench that matches css, read from the page. */
export async function texts(css: string): Promise<string[]> {
  const r = JSON.parse(await control(`/texts?${new URLSearchParams({ css })}`, 30_000)) as { ok: boolean; texts?: string[]; error?: string };
  if (!r.ok) throw new Error(`texts ${css}: ${r.error}`);
  return r.texts!;
}

/** Asks the VS Code stand-in to click the first visible element matching css (holding text, when given), as a person would. */
export async function click(css: string, text?: string, timeoutMs = 20_000): Promise<void> {
  const q = new URLSearchParams({ css, timeout: String(timeoutMs) });
  if (text) q.set('text', text);
  const r = JSON.parse(await control(`/click?${q}`, timeoutMs + 20_000)) as { ok: boolean; error?: string };
  if (!r.ok) throw new Error(`click ${css}${text ? ` "${text}"` : ''}: ${r.error}`);
}

/** Asks the VS Code stand-in (which holds the Chromium page) to screenshot the workbench once every selector is visible. */
export async function screenshot(name: string, waitForCss: string[] = [], timeoutMs = 30_000): Promise<string> {
  const control = process.env.XEN_E2E_CONTROL;
  if (!control) throw new Error('XEN_E2E_CONTROL is not set: screenshots need the VS Code stand-in of test/e2e/bin/code');
  const q = new URLSearchParams({ name, timeout: String(timeoutMs) });
  for (const css of waitForCss) q.append('wait', css);
  const body = await new Promise<string>((resolve, reject) => {
    const req = http.get(`${control}/shot?${q}`, { timeout: timeoutMs + 20_000 }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (data += d));
      res.on('end', () => resolve(data));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('the screenshot request timed out')));
  });
  const r = JSON.parse(body) as { ok: boolean; path?: string; error?: string };
  if (!r.ok) throw new Error(`screenshot ${name}: ${r.error}`);
  return r.path!;
}

/**
 * Presses a button of the notification that holds `text`, as a person would, once it is there.
 * The headless window has no focus, so VS Code keeps notifications in its list rather than as
 * toasts: the list is opened (again, until the notification has come) and photographed first.
 */
export async function pressNotificationButton(text: string, button: string, shot: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await vscode.commands.executeCommand('notifications.showList');
    try {
      const path = await screenshot(shot, [`.notification-list-item:has-text(${JSON.stringify(text)})`], 5_000);
      // (a look before the notification came left NAME-FAILED.png: a poll, not a failure, so it goes)
      rmSync(path.replace(/\.png$/, '-FAILED.png'), { force: true });
      break;
    } catch (e) {
      if (Date.now() > until) throw e;
      await vscode.commands.executeCommand('notifications.hideList');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  await click(`.notification-list-item:has-text(${JSON.stringify(text)}) .monaco-button`, button);
}
