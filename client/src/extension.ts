// The client: starts the language server and hands it the documents of our languages.
// It knows nothing of the formats; everything it shows comes from the server, through standard
// LSP and the requests of server/src/protocol (docs/protocol.md), the only server code it imports.
// Which files make a host, and where the hosts are, it asks the server (xen/hosts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hostStatus } from './status';
import { registerGenerate } from './generate';
import { registerApply } from './apply';
import { registerLiveCheck } from './live';
import { registerRemote } from './remote';
import { registerNetworkView } from './view';
import { registerDiagram } from './diagram';
import { WorkspaceHosts } from './hosts';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { TestCountersRequest } from '../../server/src/protocol';

const LANGUAGES = ['xen-xend-config', 'debian-interfaces', 'xen-domain', 'kernel-modules'];

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    // (files of a host changed outside the editor: WorkspaceHosts watches what xen/hosts names and tells the server)
    synchronize: { configurationSection: 'xen' },
  };
  client = new LanguageClient('xenNetwork', 'Xen Network Language Server', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand('xen.restartServer', async () => {
      await client?.restart();
    }),
  );
  // For the end-to-end tests only: the server's work counters, which it answers only when it counts
  // (XEN_LS_TEST_COUNTERS=1, set by scripts/e2e.sh for its trusted run alone), asked through this
  // client, the only one that holds the connection. Without that variable, and in Restricted Mode,
  // the command is not registered at all; it is in no package.json list, so no palette offers it.
  if (process.env.XEN_LS_TEST_COUNTERS === '1' && vscode.workspace.isTrusted) {
    context.subscriptions.push(vscode.commands.registerCommand('xen.test.counters', (uri?: string) => client?.sendRequest(TestCountersRequest, { uri })));
  }
  await client.start();
  const hosts = new WorkspaceHosts(client);
  context.subscriptions.push(hosts);
  try {
    await hosts.start();
  } catch (e) {
    // (the views then list no host, and changes on disk reach the server only through its own re-reads)
    client.error('the server did not say where the hosts are: their files on disk are not watched', e, false);
  }
  context.subscriptions.push(
    hostStatus(client, LANGUAGES),
    registerGenerate(client, hosts),
    registerApply(client, hosts),
    registerLiveCheck(client, hosts),
    registerRemote(client, context.globalState),
    registerNetworkView(client, hosts, LANGUAGES, context.workspaceState),
    registerDiagram(client, hosts, LANGUAGES),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
