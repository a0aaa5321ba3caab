// The client: starts the language server and hands it the documents of our languages.
// It knows nothing of the formats; everything it shows comes from the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hostStatus } from './status';
import { registerGenerate } from './generate';
import { registerApply } from './apply';
import { registerNetworkView } from './view';
import { registerDiagram } from './diagram';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

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
    // files of a host changed outside the editor change what the host checks see
    synchronize: {
      configurationSection: 'xen',
      fileEvents: [
        // a host's files: under an etc/ tree, or in a workspace folder that is the host's /etc
        vscode.workspace.createFileSystemWatcher('**/etc/**'),
        vscode.workspace.createFileSystemWatcher('**/{interfaces,interfaces.d/*,modules,*.sxp,xl.conf,*.cfg,*.xl,*.xm}'),
      ],
    },
  };
  client = new LanguageClient('xenNetwork', 'Xen Network Language Server', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand('xen.restartServer', async () => {
      await client?.restart();
    }),
  );
  await client.start();
  context.subscriptions.push(hostStatus(client, LANGUAGES), registerGenerate(client), registerApply(client), registerNetworkView(client, LANGUAGES, context.workspaceState), registerDiagram(client, LANGUAGES));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
