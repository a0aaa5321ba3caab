// The routing table: one handler per LSP method the server answers beyond the document lifecycle
// (server.ts wires that). Each handler takes the server context, the params and the request's
// cancellation token; a request cancelled before it runs answers its empty answer. Knowledge
// lives in the features and the formats: a handler reads the document or the host from the
// context and hands over.
import type { CancellationToken } from 'vscode-languageserver';
import { serverBudgetMs, withBudget } from '../core/budget';
import { codeActions } from '../features/codeActions';
import { hostView } from '../features/hostView';
import { addressCompletion, addressHover, hostInfo } from '../features/addresses';
import {
  generateAddGuest,
  generateHostState,
  generateRoutedSetup,
  generateSwitchMode,
  generateValidate,
  rootUri,
  type GenerateSource,
} from '../features/generate';
import { inspectApply, prepareApply } from '../features/apply';
import { HOST_WATCH_GLOBS, workspaceHosts } from '../features/hosts';
import {
  AddGuestRequest,
  ApplyInspectRequest,
  ApplyPrepareRequest,
  ApplyRunFilesRequest,
  ApplyDiscardRunNotification,
  HostsRequest,
  GenerateValidateRequest,
  HostInfoRequest,
  HostStateRequest,
  HostViewRequest,
  RoutedSetupRequest,
  SwitchModeRequest,
  type ApplyInspection,
  type ApplyPreparation,
  type ApplyPrepareParams,
  type ApplyRunFiles,
  type HostsResult,
} from '../protocol';
import type { Settings } from '../core/settings';
import { withDocument, type ServerContext } from './context';

/** A request handler: the answer, or a promise of it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route's own params; not yet typed per method
export type Handler = (ctx: ServerContext, params: any, token: CancellationToken) => unknown;

const budget = <R>(fn: () => R): R => withBudget(serverBudgetMs(), fn);

/** The host model of uri's host (undefined when uri belongs to no host). */
const modelOf = (ctx: ServerContext, uri: string, settings: Settings) => ctx.index.check(uri, ctx.documents.all(), settings)?.model;

/** The generate requests read the host from the index (fresh: listed again on disk, for a request that computes an edit). */
const generateSource = (ctx: ServerContext): GenerateSource => ({
  hostOf: async (root, fresh) => {
    const settings = await ctx.settingsFor(root + '/');
    return { snapshot: budget(() => ctx.index.snapshotOfFolder(root, ctx.documents.all(), settings, { fresh })), settings };
  },
});

/** A generate request: a failure becomes a logged `{ error }` answer; a cancelled one answers null. */
const generate =
  <P>(method: string, fn: (p: P, source: GenerateSource) => unknown): Handler =>
  async (ctx, params: P, token) => {
    if (token.isCancellationRequested) return null;
    try {
      return await fn(params, generateSource(ctx));
    } catch (err) {
      ctx.reportError(method, err);
      return { error: `Internal error in ${method}: ${err instanceof Error ? err.message : String(err)}` };
    }
  };

/** The requests the server answers, by method. */
export const ROUTES: Record<string, Handler> = {
  'textDocument/hover': (ctx, p, token) =>
    withDocument(
      ctx,
      'hover',
      null,
      p.textDocument.uri,
      token,
      (d, s) => addressHover(modelOf(ctx, d.uri, s), d.parsed.lines, p.position, d.service.hover(d.parsed, p.position, s)),
      budget,
    ),
  'textDocument/completion': (ctx, p, token) =>
    withDocument(
      ctx,
      'completion',
      [],
      p.textDocument.uri,
      token,
      (d, s) => {
        const items = d.service.completion(d.parsed, p.position, s);
        return d.languageId === 'xen-domain' ? addressCompletion(modelOf(ctx, d.uri, s), d.uri, d.parsed.lines, p.position, items) : items;
      },
      budget,
    ),
  'textDocument/inlayHint': (ctx, p, token) =>
    withDocument(ctx, 'inlay hints', [], p.textDocument.uri, token, (d) => d.service.inlayHints?.(d.parsed, p.range) ?? [], budget),
  'textDocument/documentSymbol': (ctx, p, token) => withDocument(ctx, 'symbols', [], p.textDocument.uri, token, (d) => d.service.symbols(d.parsed), budget),
  'textDocument/foldingRange': (ctx, p, token) => withDocument(ctx, 'folding', [], p.textDocument.uri, token, (d) => d.service.folding(d.parsed), budget),
  'textDocument/codeAction': (ctx, p, token) =>
    withDocument(
      ctx,
      'code actions',
      [],
      p.textDocument.uri,
      token,
      (doc, settings) =>
        codeActions(p, {
          textOf: (uri) => ctx.index.textOf(uri, ctx.documents.all()),
          modelOf: (uri) => modelOf(ctx, uri, settings),
          diagnosticsOf: (uri) => {
            const own = settings.validation.enable ? doc.service.diagnostics(doc.parsed, settings) : [];
            const host = settings.validation.enable ? (ctx.index.check(uri, ctx.documents.all(), settings)?.diagnostics.get(uri) ?? []) : [];
            return [...own, ...host];
          },
        }),
      budget,
    ),

  // xen/hostInfo { uri }: the host's subnet, gateway and free addresses, for the status bar
  [HostInfoRequest.method]: async (ctx, p: { uri?: unknown } | undefined, token) => {
    const uri = typeof p?.uri === 'string' ? p.uri : undefined;
    if (!uri) return null;
    try {
      const settings = await ctx.settingsFor(uri);
      if (token.isCancellationRequested) return null;
      return budget(() => hostInfo(modelOf(ctx, uri, settings)));
    } catch (err) {
      ctx.reportError(`host info for ${uri}`, err);
      return null;
    }
  },
  // xen/hostView { uri } | { root } (see features/hostView.ts): the address view and the diagram
  [HostViewRequest.method]: async (ctx, p: { uri?: unknown; root?: unknown } | undefined, token) => {
    const root = typeof p?.uri === 'string' ? undefined : rootUri(p?.root);
    const uri = typeof p?.uri === 'string' ? p.uri : root;
    if (!uri) return null;
    try {
      const settings = await ctx.settingsFor(uri);
      if (token.isCancellationRequested) return null;
      const open = ctx.documents.all();
      return budget(() => hostView(root !== undefined ? ctx.index.snapshotOfFolder(root, open, settings) : ctx.index.snapshot(uri, open, settings)));
    } catch (err) {
      ctx.reportError(`host view for ${uri}`, err);
      return null;
    }
  },

  // xen/generate/* (see features/generate.ts for the requests and their params)
  [GenerateValidateRequest.method]: generate(GenerateValidateRequest.method, generateValidate),
  [RoutedSetupRequest.method]: generate(RoutedSetupRequest.method, generateRoutedSetup),
  [SwitchModeRequest.method]: generate(SwitchModeRequest.method, generateSwitchMode),
  [AddGuestRequest.method]: generate(AddGuestRequest.method, generateAddGuest),
  [HostStateRequest.method]: generate(HostStateRequest.method, generateHostState),

  // xen/apply/inspect: what ssh would run on this machine for a host (asked before the first connection)
  [ApplyInspectRequest.method]: async (ctx, p: ApplyPrepareParams | undefined): Promise<ApplyInspection> => {
    try {
      return await inspectApply(p ?? {});
    } catch (err) {
      ctx.reportError('apply inspection', err);
      return { ok: false, errors: [`the ssh configuration could not be read: ${err instanceof Error ? err.message : String(err)}`] };
    }
  },
  // xen/apply/prepare (see features/apply.ts): what "Apply to Host" would send, and the host's files now
  [ApplyPrepareRequest.method]: async (ctx, p: ApplyPrepareParams | undefined): Promise<ApplyPreparation> => {
    const folderUri = typeof p?.folderUri === 'string' ? p.folderUri : '';
    try {
      const settings = await ctx.settingsFor(folderUri + '/etc/network/interfaces');
      const prepared = await prepareApply(p ?? {}, ctx.index, ctx.documents.all(), settings);
      ctx.runs.remember(prepared);
      return prepared;
    } catch (err) {
      ctx.reportError(`apply preparation for ${folderUri}`, err);
      return { ok: false, errors: [`the apply could not be prepared: ${err instanceof Error ? err.message : String(err)}`] };
    }
  },
  // xen/apply/runFiles (features/applyRun.ts): the prepared run's files, written for the terminal
  [ApplyRunFilesRequest.method]: (ctx, p): ApplyRunFiles => {
    try {
      return ctx.runs.runFiles(p);
    } catch (err) {
      ctx.reportError('writing the run files', err);
      return { ok: false, errors: [`the run's files could not be written: ${err instanceof Error ? err.message : String(err)}`] };
    }
  },
  // xen/hosts (features/hosts.ts): the hosts of the workspace folders and the globs the client watches
  [HostsRequest.method]: (ctx, _p, token): HostsResult => {
    if (token.isCancellationRequested) return { hosts: [], watch: [...HOST_WATCH_GLOBS], complete: false };
    try {
      return workspaceHosts(ctx.index);
    } catch (err) {
      ctx.reportError('listing the hosts', err);
      return { hosts: [], watch: [...HOST_WATCH_GLOBS], complete: false };
    }
  },
};

/** A notification handler: nothing to answer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Handler's
export type NotificationHandler = (ctx: ServerContext, params: any) => void;

/** The notifications the server takes beyond the document lifecycle, by method. */
export const NOTIFICATION_ROUTES: Record<string, NotificationHandler> = {
  // xen/apply/discardRun: the terminal did not start; the run's files go
  [ApplyDiscardRunNotification.method]: (ctx, p) => {
    try {
      ctx.runs.discard(p);
    } catch (err) {
      ctx.reportError('removing the run files', err);
    }
  },
};

/** Registers every route of the tables on the connection. */
export function registerRoutes(
  ctx: ServerContext,
  routes: Record<string, Handler> = ROUTES,
  notifications: Record<string, NotificationHandler> = NOTIFICATION_ROUTES,
): void {
  for (const [method, handler] of Object.entries(routes)) {
    ctx.connection.onRequest(method, (params: unknown, token: CancellationToken) => handler(ctx, params, token));
  }
  for (const [method, handler] of Object.entries(notifications)) {
    ctx.connection.onNotification(method, (params: unknown) => handler(ctx, params));
  }
}
