// A minimal LSP client for tests: starts server/bin/xen-language-server --stdio as a real
// process and speaks the protocol to it over its standard streams.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  PublishDiagnosticsNotification,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  ExitNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  ConfigurationRequest,
  type InitializeResult,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from './paths';

export interface StartOptions {
  /** Answer workspace/configuration requests with this `xen` section; omit to not offer the capability. */
  configuration?: unknown;
  /** Workspace folder uris sent with initialize (a folder is the host of its files outside any etc/ tree). */
  workspaceFolders?: string[];
  /** Variables added to the server's environment (e.g. XEN_LS_BUDGET_MS). */
  env?: Record<string, string>;
}

export class TestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** How many times diagnostics were published, per uri. */
  readonly publishCount = new Map<string, number>();
  /** When (performance.now()) each of the first 16 publishes of a uri arrived. */
  readonly publishTimes = new Map<string, number[]>();
  private waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  private versions = new Map<string, number>();
  initResult: InitializeResult | undefined;

  private constructor(
    readonly proc: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(options: StartOptions = {}): Promise<TestClient> {
    const bin = join(repoRoot, 'server', 'bin', 'xen-language-server');
    const proc = spawn(process.execPath, [bin, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ? { ...process.env, ...options.env } : process.env,
    });
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new TestClient(proc, connection);
    proc.stderr!.on('data', (b: Buffer) => client.stderr.push(b.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      client.diagnostics.set(p.uri, p);
      client.publishCount.set(p.uri, (client.publishCount.get(p.uri) ?? 0) + 1);
      const times = client.publishTimes.get(p.uri) ?? [];
      if (times.length < 16) client.publishTimes.set(p.uri, [...times, performance.now()]);
      client.waiters = client.waiters.filter((w) => {
        if (w.uri === p.uri && w.pred(p)) {
          w.resolve(p);
          return false;
        }
        return true;
      });
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
    });
    if (options.configuration !== undefined) {
      connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => options.configuration));
    }
    connection.listen();
    client.initResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: options.configuration !== undefined } },
      workspaceFolders: options.workspaceFolders ? options.workspaceFolders.map((uri, i) => ({ uri, name: `folder${i}` })) : null,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /** Replaces the whole text (a full-document change event). */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Resolves with the next diagnostics for uri that satisfy pred (or the latest, if it already does). */
  waitForDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri))}`)),
        timeoutMs,
      );
      this.waiters.push({
        uri,
        pred,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.proc.once('exit', (code) => resolve(code)));
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    const code = await exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }
}
