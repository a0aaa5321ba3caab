// "Xen: New Routed Network Setup…", "Xen: Switch Network Mode…" and "Xen: Add Guest…": the client
// asks the questions and shows the result; the server (xen/generate/*) checks each answer as it is
// typed and computes the edit. Every change is shown in a diff, and made only once confirmed.
//
// Each command also takes its answers as an argument (for keybindings, tasks and tests), e.g.
//   executeCommand('xen.newRoutedSetup', { root: 'file:///srv/hostA', cidr: '80.68.86.192/29', toolstack: 'xend', guests: ['vm1'] })
// A missing answer is asked for; the preview is shown in every case.
import * as vscode from 'vscode';
import type { LanguageClient, Range as ProtocolRange } from 'vscode-languageclient/node';
import {
  AddGuestRequest,
  GenerateValidateRequest,
  HostStateRequest,
  RoutedSetupRequest,
  SwitchModeRequest,
  type GenerateField,
  type GenerateRefusal as Refusal,
  type GenerateResponse,
  type HostState,
  type NetworkMode,
  type Toolstack,
} from '../../server/src/protocol';
import type { WorkspaceHosts } from './hosts';

export interface RoutedSetupArgs {
  root?: string;
  cidr?: string;
  gatewayInterface?: string;
  gatewayAddress?: string;
  toolstack?: Toolstack;
  guests?: string[];
}

/** Thrown (and swallowed) when the user leaves a prompt. */
class Cancelled extends Error {}

const PREVIEW_SCHEME = 'xen-preview';
const previewTexts = new Map<string, string>();

/** text with LSP text edits applied (ranges against the original text). */
function applyTextEdits(text: string, edits: { range: ProtocolRange; newText: string }[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (p.line >= starts.length ? text.length : Math.min(starts[p.line] + p.character, text.length));
  const sorted = edits.map((e) => ({ a: offset(e.range.start), b: offset(e.range.end), t: e.newText })).sort((x, y) => y.a - x.a || y.b - x.b);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.a) + e.t + out.slice(e.b);
  return out;
}

export function registerGenerate(client: LanguageClient, hosts: WorkspaceHosts): vscode.Disposable {
  const validate = async (field: GenerateField, value: string, answers: RoutedSetupArgs, root?: string): Promise<string | undefined> => {
    try {
      const r = await client.sendRequest(GenerateValidateRequest, { field, value, answers, root });
      return 'error' in r ? r.error : r.message;
    } catch (e) {
      return `the language server could not check this: ${e instanceof Error ? e.message : String(e)}`;
    }
  };

  /** An input box whose value the server checks while it is typed; resolves with the accepted value. */
  const ask = (opts: {
    title: string;
    step: number;
    steps: number;
    prompt: string;
    value?: string;
    placeholder?: string;
    check: (v: string) => Promise<string | undefined>;
  }): Promise<string> =>
    new Promise((resolve, reject) => {
      const box = vscode.window.createInputBox();
      box.title = opts.title;
      box.step = opts.step;
      box.totalSteps = opts.steps;
      box.prompt = opts.prompt;
      box.value = opts.value ?? '';
      box.placeholder = opts.placeholder;
      box.ignoreFocusOut = true;
      let ticket = 0;
      let done = false;
      const run = async (v: string): Promise<string | undefined> => {
        const mine = ++ticket;
        const msg = await opts.check(v);
        if (mine === ticket) box.validationMessage = msg;
        return msg;
      };
      box.onDidChangeValue((v) => void run(v));
      box.onDidAccept(async () => {
        box.busy = true;
        const msg = await run(box.value);
        box.busy = false;
        if (msg === undefined) {
          done = true;
          resolve(box.value.trim());
          box.dispose();
        }
      });
      box.onDidHide(() => {
        if (!done) reject(new Cancelled());
        box.dispose();
      });
      box.show();
      void run(box.value);
    });

  const pick = async <T extends string>(title: string, items: { label: string; value: T; detail?: string }[], placeHolder: string): Promise<T> => {
    const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
    if (!chosen) throw new Cancelled();
    return chosen.value;
  };

  /** The host root: given, the only workspace folder, or chosen among the folders (and the hosts of etc/ trees the server found in them). */
  const chooseRoot = async (given: string | undefined, title: string): Promise<string> => {
    if (given) return given;
    const folders = vscode.workspace.workspaceFolders ?? [];
    const found = await hosts.list();
    const candidates: { label: string; value: string; detail?: string }[] = [];
    for (const f of folders) {
      candidates.push({ label: f.name, value: f.uri.toString(), detail: f.uri.fsPath });
      for (const h of found) {
        // (this machine's host: the folder itself stands for it, the server maps it to /etc)
        if (h.live || h.layout !== 'etc-tree' || h.folder !== f.uri.toString() || h.root === h.folder) continue;
        const rel = vscode.workspace.asRelativePath(vscode.Uri.parse(h.root), false);
        candidates.push({ label: `${f.name}/${rel}`, value: h.root, detail: 'a host: holds an etc/ tree' });
      }
    }
    candidates.push({ label: 'Choose a folder…', value: '' });
    if (candidates.length === 2 && folders.length === 1) return candidates[0].value;
    const chosen = await pick(title, candidates, 'The folder that mirrors the host (its etc/ goes inside)');
    if (chosen) return chosen;
    const dir = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use as the host' });
    if (!dir?.length) throw new Cancelled();
    return dir[0].toString();
  };

  const hostState = async (root: string): Promise<HostState | undefined> => {
    try {
      const r = await client.sendRequest(HostStateRequest, { root });
      return 'error' in r ? undefined : r;
    } catch {
      return undefined;
    }
  };

  /**
   * Shows every change of the edit in one multi-file diff (the current text on the left, the
   * proposed one on the right; a new file is empty on the left), then asks for confirmation in a
   * notification. Resolves true when the user applied it.
   */
  const preview = async (label: string, r: GenerateResponse | Refusal): Promise<boolean> => {
    if ('error' in r) {
      void vscode.window.showErrorMessage(r.error);
      return false;
    }
    const range = (x: ProtocolRange) => new vscode.Range(x.start.line, x.start.character, x.end.line, x.end.character);
    const edit = new vscode.WorkspaceEdit();
    const perFile = new Map<string, { created: boolean; edits: { range: ProtocolRange; newText: string }[] }>();
    const entry = (uri: string) => {
      let e = perFile.get(uri);
      if (!e) perFile.set(uri, (e = { created: false, edits: [] }));
      return e;
    };
    for (const c of r.edit.documentChanges ?? []) {
      if ('kind' in c) {
        if (c.kind === 'create') {
          edit.createFile(vscode.Uri.parse(c.uri), { ignoreIfExists: !!c.options?.ignoreIfExists, overwrite: !!c.options?.overwrite });
          entry(c.uri).created = true;
        }
      } else {
        // (the server sends plain text edits, never snippets)
        for (const e of c.edits) {
          if (!('newText' in e)) continue;
          edit.replace(vscode.Uri.parse(c.textDocument.uri), range(e.range), e.newText);
          entry(c.textDocument.uri).edits.push(e);
        }
      }
    }
    for (const [uri, edits] of Object.entries(r.edit.changes ?? {})) {
      for (const e of edits) edit.replace(vscode.Uri.parse(uri), range(e.range), e.newText);
      entry(uri).edits.push(...edits);
    }
    if (perFile.size === 0) {
      void vscode.window.showInformationMessage(`${label}: nothing to change, the files already say so.`);
      return true;
    }
    // the two sides of each diff, served by the preview scheme
    const resources: [vscode.Uri, vscode.Uri, vscode.Uri][] = [];
    const stamp = Date.now().toString(36);
    for (const [uri, f] of perFile) {
      const target = vscode.Uri.parse(uri);
      let before = '';
      if (!f.created) {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
        before = open ? open.getText() : Buffer.from(await vscode.workspace.fs.readFile(target).then(undefined, () => new Uint8Array())).toString('utf8');
      }
      const after = applyTextEdits(before, f.edits);
      const left = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: target.path, query: `before-${stamp}` });
      const right = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: target.path, query: `after-${stamp}` });
      previewTexts.set(left.toString(), before);
      previewTexts.set(right.toString(), after);
      resources.push([target, left, right]);
    }
    // (the multi-file diff editor's command may settle only once every diff has loaded: wait a little, not for it)
    const shown = Promise.resolve(
      vscode.commands.executeCommand('vscode.changes', `${label}: ${resources.length} file${resources.length === 1 ? '' : 's'}`, resources),
    ).then(
      () => true,
      async () => {
        for (const [target, left, right] of resources)
          await vscode.commands.executeCommand('vscode.diff', left, right, `${vscode.workspace.asRelativePath(target)} (proposed)`, { preview: false });
        return true;
      },
    );
    await Promise.race([shown, new Promise((r) => setTimeout(r, 1500))]);
    const created = [...perFile.values()].filter((f) => f.created).length;
    // (a notification, not a modal dialog: the diff stays in view and can be scrolled while deciding)
    const answer = await vscode.window.showInformationMessage(
      `${label}: write ${resources.length} file${resources.length === 1 ? '' : 's'}${created ? ` (${created} new)` : ''} as shown in the diff? ${r.summary.join(' ')}`,
      'Apply',
      'Discard',
    );
    if (answer !== 'Apply') return false;
    const applied = await vscode.workspace.applyEdit(edit);
    if (applied) {
      // the edited files are saved (the host's files on disk are what gets applied), no others
      for (const u of perFile.keys()) {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === vscode.Uri.parse(u).toString());
        if (doc?.isDirty) await doc.save();
      }
      void vscode.window.setStatusBarMessage(`$(check) ${label}: ${perFile.size} file${perFile.size === 1 ? '' : 's'} written`, 8000);
    } else {
      void vscode.window.showErrorMessage(`${label}: VS Code could not apply the edit (a file changed meanwhile?); nothing was written.`);
    }
    return applied;
  };

  const newRoutedSetup = async (args: RoutedSetupArgs = {}): Promise<boolean> => {
    const title = 'New Routed Network Setup';
    const root = await chooseRoot(args.root, title);
    const state = await hostState(root);
    const a: RoutedSetupArgs = { ...args, root };
    const steps = 5;
    a.cidr ??= await ask({
      title,
      step: 1,
      steps,
      prompt: 'The block of addresses routed to the host (CIDR). A /31 or /32 leaves no address for a guest.',
      value: state?.cidr ?? '',
      placeholder: '80.68.86.192/29',
      check: (v) => validate('cidr', v, a, root),
    });
    a.gatewayInterface ??= await ask({
      title,
      step: 2,
      steps,
      prompt: "The interface that holds the guests' gateway address (a dummy interface keeps it off the uplink).",
      value: state?.gatewayInterface ?? state?.defaultGatewayInterface ?? '',
      check: (v) => validate('gatewayInterface', v, a, root),
    });
    a.gatewayAddress ??= await ask({
      title,
      step: 3,
      steps,
      prompt: `The guests' gateway: the host's address on ${a.gatewayInterface} (default: the block's first usable address).`,
      value: '',
      placeholder: 'the first usable address',
      check: (v) => (v.trim() === '' ? Promise.resolve(undefined) : validate('gatewayAddress', v, a, root)),
    });
    if (a.gatewayAddress === '') delete a.gatewayAddress;
    a.toolstack ??= await pick(
      title,
      [
        { label: 'xend and xm', value: 'xend', detail: 'xend-config.sxp: network-route and vif-route (Xen 4.4 and older)' },
        { label: 'xl', value: 'xl', detail: 'xl.conf: vif.default.script and gatewaydev (Xen 4.5 and later)' },
      ],
      'The toolstack the host runs',
    );
    if (!a.guests) {
      const names = await ask({
        title,
        step: 5,
        steps,
        prompt: 'The guests, separated by spaces or commas: each gets the next free address and a domain file.',
        value: '',
        placeholder: 'vm1 vm2',
        check: (v) => validate('guests', v, a, root),
      });
      a.guests = names.split(/[\s,]+/).filter(Boolean);
    }
    const r = await client.sendRequest(RoutedSetupRequest, {
      root,
      answers: { cidr: a.cidr, toolstack: a.toolstack, guests: a.guests, gatewayInterface: a.gatewayInterface, gatewayAddress: a.gatewayAddress },
    });
    return preview(title, r);
  };

  const switchMode = async (args: { root?: string; mode?: NetworkMode; toolstack?: Toolstack } = {}): Promise<boolean> => {
    const title = 'Switch Network Mode';
    const root = await chooseRoot(args.root, title);
    const state = await hostState(root);
    const now = state?.mode && state.mode !== 'unknown' ? ` (now ${state.mode})` : '';
    const mode: NetworkMode =
      args.mode ??
      (await pick<NetworkMode>(
        title,
        [
          { label: 'Routed', value: 'routed', detail: 'network-route and vif-route: the host routes a block of public addresses to the guests' },
          { label: 'Bridged', value: 'bridged', detail: "network-bridge and vif-bridge: the guests sit on the host's network through a bridge" },
          { label: 'NAT', value: 'nat', detail: 'network-nat and vif-nat: the guests have private addresses behind the host' },
        ],
        `The network mode${now}`,
      ));
    const r = await client.sendRequest(SwitchModeRequest, { root, mode, toolstack: args.toolstack });
    return preview(title, r);
  };

  const addGuest = async (args: { root?: string; name?: string; address?: string } = {}): Promise<boolean> => {
    const title = 'Add Guest';
    const root = await chooseRoot(args.root, title);
    const state = await hostState(root);
    const name =
      args.name ??
      (await ask({
        title,
        step: 1,
        steps: 1,
        prompt: state?.freeAddresses.length
          ? `The guest's name: it gets ${args.address ?? state.freeAddresses[0]} (${state.freeCount} free).`
          : "The guest's name.",
        value: '',
        placeholder: 'vm3',
        check: (v) => validate('guest', v, {}, root),
      }));
    const r = await client.sendRequest(AddGuestRequest, { root, name, address: args.address });
    return preview(title, r);
  };

  const guarded =
    <A>(fn: (a: A) => Promise<boolean>) =>
    async (a: A): Promise<boolean> => {
      try {
        return await fn(a);
      } catch (e) {
        if (e instanceof Cancelled) return false;
        void vscode.window.showErrorMessage(`Xen: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      }
    };
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, { provideTextDocumentContent: (uri) => previewTexts.get(uri.toString()) ?? '' }),
    vscode.commands.registerCommand('xen.newRoutedSetup', guarded(newRoutedSetup)),
    vscode.commands.registerCommand('xen.switchNetworkMode', guarded(switchMode)),
    vscode.commands.registerCommand('xen.addGuest', guarded(addGuest)),
  );
}
