// The routing table: one handler per LSP method the server answers beyond the document lifecycle
// (server.ts wires that). Each handler takes the server context, the params and the request's
// cancellation token; a request cancelled before it runs answers its empty answer. Knowledge
// lives in the features and the formats: a handler reads the document or the host from the
// context and hands over.
import {
  CodeActionRequest,
  CompletionRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  InlayHintRequest,
  type CancellationToken,
  type NotificationType,
  type RequestType,
} from 'vscode-languageserver';
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
import { inspectApply, prepareApply, prepareApplyHere } from '../features/apply';
import { HOST_WATCH_GLOBS, workspaceHosts } from '../features/hosts';
import { checkLive } from '../features/live';
import { compareHost, importHost } from '../features/remote';
import {
  AddGuestRequest,
  ApplyInspectRequest,
  ApplyPrepareRequest,
  ApplyHerePrepareRequest,
  ApplyRunFilesRequest,
  ApplyDiscardRunNotification,
  HostsRequest,
  RemoteCompareRequest,
  RemoteImportRequest,
  GenerateValidateRequest,
  HostInfoRequest,
  HostStateRequest,
  HostViewRequest,
  LiveCheckRequest,
  RoutedSetupRequest,
  SwitchModeRequest,
  type GenerateRefusal,
  type Unchecked,
} from '../protocol';
import type { Settings } from '../core/settings';
import { fileDiagnostics } from '../host/index';
import { withDocument, type ServerContext } from './context';

/** A request handler as the connection calls it: the answer, or a promise of it. */
export type Handler = (ctx: ServerContext, params: unknown, token: CancellationToken) => unknown;

/**
 * A row of the table for a standard LSP request: the handler's params and answer are the request
 * type's, so a change of either is a type error here.
 */
function lsp<P, R>(type: RequestType<P, R, unknown>, handler: (ctx: ServerContext, params: P, token: CancellationToken) => R | Promise<R>): [string, Handler] {
  return [type.method, (ctx, params, token) => handler(ctx, params as P, token)];
}

/**
 * A row for one of our requests (server/src/protocol): the params are the request's shape with
 * nothing of it trusted yet (the handler checks each field), the answer is the request's result.
 */
function xen<P, R>(
  type: RequestType<P, R, unknown>,
  handler: (ctx: ServerContext, params: Unchecked<P> | undefined, token: CancellationToken) => R | Promise<R>,
): [string, Handler] {
  return [
    type.method,
    (ctx, params, token) => handler(ctx, (typeof params === 'object' && params !== null ? params : undefined) as Unchecked<P> | undefined, token),
  ];
}

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

/** A generate request: a failure becomes a logged refusal; a cancelled one answers a refusal that says so. */
const generate = <P, R>(
  type: RequestType<P, R | GenerateRefusal, unknown>,
  fn: (p: Unchecked<P> | undefined, source: GenerateSource) => R | GenerateRefusal | Promise<R | GenerateRefusal>,
) =>
  xen(type, async (ctx, params, token) => {
    if (token.isCancellationRequested) return { error: 'cancelled' };
    try {
      return await fn(params, generateSource(ctx));
    } catch (err) {
      ctx.reportError(type.method, err);
      return { error: `Internal error in ${type.method}: ${err instanceof Error ? err.message : String(err)}` };
    }
  });

/** The requests the server answers, by method. */
export const ROUTES: Record<string, Handler> = Object.fromEntries([
  lsp(HoverRequest.type, (ctx, p, token) =>
    withDocument(
      ctx,
      'hover',
      null,
      p.textDocument.uri,
      token,
      (d, s) => addressHover(modelOf(ctx, d.uri, s), d.parsed.lines, p.position, d.service.hover(d.parsed, p.position, s)),
      budget,
    ),
  ),
  lsp(CompletionRequest.type, (ctx, p, token) =>
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
  ),
  lsp(InlayHintRequest.type, (ctx, p, token) =>
    withDocument(ctx, 'inlay hints', [], p.textDocument.uri, token, (d) => d.service.inlayHints?.(d.parsed, p.range) ?? [], budget),
  ),
  lsp(DocumentSymbolRequest.type, (ctx, p, token) => withDocument(ctx, 'symbols', [], p.textDocument.uri, token, (d) => d.service.symbols(d.parsed), budget)),
  lsp(FoldingRangeRequest.type, (ctx, p, token) => withDocument(ctx, 'folding', [], p.textDocument.uri, token, (d) => d.service.folding(d.parsed), budget)),
  lsp(CodeActionRequest.type, (ctx, p, token) =>
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
          // what the file shows, as published (fileDiagnostics: its own merged with its host's)
          diagnosticsOf: (uri) => fileDiagnostics(uri, doc, settings, () => ctx.index.check(uri, ctx.documents.all(), settings)?.diagnostics.get(uri)),
        }),
      budget,
    ),
  ),

  // xen/hostInfo { uri }: the host's subnet, gateway and free addresses, for the status bar
  xen(HostInfoRequest, async (ctx, p, token) => {
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
  }),
  // xen/hostView { uri } | { root } (see features/hostView.ts): the address view and the diagram
  xen(HostViewRequest, async (ctx, p, token) => {
    const root = typeof p?.uri === 'string' ? undefined : rootUri(p?.root);
    const uri = typeof p?.uri === 'string' ? p.uri : root;
    if (!uri) return null;
    try {
      const settings = await ctx.settingsFor(uri);
      if (token.isCancellationRequested) return null;
      const open = ctx.documents.all();
      return budget(() => {
        const snapshot = root !== undefined ? ctx.index.snapshotOfFolder(root, open, settings) : ctx.index.snapshot(uri, open, settings);
        const view = hostView(snapshot);
        const live = view && snapshot ? ctx.live.of(snapshot)?.summary : undefined;
        return view && live ? { ...view, live } : view;
      });
    } catch (err) {
      ctx.reportError(`host view for ${uri}`, err);
      return null;
    }
  }),

  // xen/generate/* (see features/generate.ts for the requests and their params)
  generate(GenerateValidateRequest, generateValidate),
  generate(RoutedSetupRequest, generateRoutedSetup),
  generate(SwitchModeRequest, generateSwitchMode),
  generate(AddGuestRequest, generateAddGuest),
  generate(HostStateRequest, generateHostState),

  // xen/apply/inspect: what ssh would run on this machine for a host (asked before the first connection)
  xen(ApplyInspectRequest, async (ctx, p) => {
    try {
      return await inspectApply(p ?? {});
    } catch (err) {
      ctx.reportError('apply inspection', err);
      return { ok: false, errors: [`the ssh configuration could not be read: ${err instanceof Error ? err.message : String(err)}`] };
    }
  }),
  // xen/apply/prepare (see features/apply.ts): what "Apply to Host" would send, and the host's files now
  xen(ApplyPrepareRequest, async (ctx, p) => {
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
  }),
  // xen/apply/prepareHere (see features/apply.ts): Apply Here, on this machine's own /etc
  xen(ApplyHerePrepareRequest, async (ctx, p) => {
    try {
      const settings = await ctx.settingsFor('file:///etc/network/interfaces');
      const prepared = budget(() => prepareApplyHere(p ?? {}, ctx.index, ctx.documents.all(), settings));
      ctx.runs.remember(prepared);
      return prepared;
    } catch (err) {
      ctx.reportError('apply here preparation', err);
      return { ok: false, errors: [`the apply could not be prepared: ${err instanceof Error ? err.message : String(err)}`] };
    }
  }),
  // xen/apply/runFiles (features/applyRun.ts): the prepared run's files, written for the terminal
  xen(ApplyRunFilesRequest, (ctx, p) => {
    try {
      return ctx.runs.runFiles(p);
    } catch (err) {
      ctx.reportError('writing the run files', err);
      return { ok: false, errors: [`the run's files could not be written: ${err instanceof Error ? err.message : String(err)}`] };
    }
  }),
  // xen/live/check (features/live.ts): what the running host says that its files do not
  xen(LiveCheckRequest, async (ctx, p, token) => {
    const root = typeof p?.uri === 'string' ? undefined : rootUri(p?.root);
    const uri = typeof p?.uri === 'string' ? p.uri : root;
    if (!uri) return { ok: false, errors: ['no host given: { uri } of a file of the host, or { root } of its folder'] };
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      const settings = await ctx.settingsFor(uri);
      const checkOf = () => {
        const open = ctx.documents.all();
        return budget(() => (root !== undefined ? ctx.index.snapshotOfFolder(root, open, settings, { fresh: true }) : ctx.index.snapshot(uri, open, settings)));
      };
      const answer = await checkLive(p, ctx.live, checkOf, abort.signal);
      const check = answer.ok ? checkOf() : undefined;
      if (check) {
        ctx.publisher.hostChanged(check.root);
        for (const d of ctx.live.closedFiles(check, (u) => !!ctx.documents.get(u))) void ctx.connection.sendDiagnostics(d);
      }
      return answer;
    } catch (err) {
      ctx.reportError(`checking the live host of ${uri}`, err);
      return { ok: false, errors: [`the live host could not be checked: ${err instanceof Error ? err.message : String(err)}`] };
    } finally {
      cancel.dispose();
    }
  }),
  // xen/remote/importHost (features/remote.ts): a live host's files over ssh into a new folder
  xen(RemoteImportRequest, async (ctx, p) => {
    try {
      return await importHost(p);
    } catch (err) {
      ctx.reportError('importing a host', err);
      return { ok: false, reason: 'write', errors: [`the host could not be imported: ${err instanceof Error ? err.message : String(err)}`] };
    }
  }),
  // xen/remote/compareHost (features/remote.ts): what differs between a host folder and the host now
  xen(RemoteCompareRequest, async (ctx, p) => {
    try {
      return await compareHost(p, ctx.index);
    } catch (err) {
      ctx.reportError('comparing with a host', err);
      return { ok: false, errors: [`the host could not be compared: ${err instanceof Error ? err.message : String(err)}`] };
    }
  }),
  // xen/hosts (features/hosts.ts): the hosts of the workspace folders and the globs the client watches
  xen(HostsRequest, (ctx, _p, token) => {
    if (token.isCancellationRequested) return { hosts: [], watch: [...HOST_WATCH_GLOBS], complete: false };
    try {
      return workspaceHosts(ctx.index);
    } catch (err) {
      ctx.reportError('listing the hosts', err);
      return { hosts: [], watch: [...HOST_WATCH_GLOBS], complete: false };
    }
  }),
]);

/** A notification handler as the connection calls it. */
export type NotificationHandler = (ctx: ServerContext, params: unknown) => void;

/** A row for one of our notifications: the params are its shape, nothing of it trusted yet. */
function xenNotification<P>(type: NotificationType<P>, handler: (ctx: ServerContext, params: Unchecked<P> | undefined) => void): [string, NotificationHandler] {
  return [type.method, (ctx, params) => handler(ctx, (typeof params === 'object' && params !== null ? params : undefined) as Unchecked<P> | undefined)];
}

/** The notifications the server takes beyond the document lifecycle, by method. */
export const NOTIFICATION_ROUTES: Record<string, NotificationHandler> = Object.fromEntries([
  // xen/apply/discardRun: the terminal did not start; the run's files go
  xenNotification(ApplyDiscardRunNotification, (ctx, p) => {
    try {
      ctx.runs.discard(p);
    } catch (err) {
      ctx.reportError('removing the run files', err);
    }
  }),
]);

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
