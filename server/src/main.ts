// Entry point of the bundled server (dist/server.js). The transport comes from the command
// line, as vscode-languageserver reads it: --stdio, --node-ipc, --socket=PORT or --pipe=NAME.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { SERVER_NAME, SERVER_VERSION, startServer } from './server';

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`${SERVER_NAME} ${SERVER_VERSION}\n`);
  process.exit(0);
}
if (args.includes('--help') || args.includes('-h') || !args.some((a) => /^--(stdio|node-ipc|socket|pipe|clientProcessId)/.test(a))) {
  process.stdout.write(
    `usage: ${SERVER_NAME} --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n` +
      'A language server for xend-config.sxp, /etc/network/interfaces, Xen domain files and /etc/modules.\n',
  );
  process.exit(args.includes('--help') || args.includes('-h') ? 0 : 2);
}

const connection = createConnection(ProposedFeatures.all);
// Never die on a stray exception: log it and keep serving.
process.on('uncaughtException', (err) => connection.console.error(`${SERVER_NAME}: uncaught: ${err.stack ?? err}`));
process.on('unhandledRejection', (err) => connection.console.error(`${SERVER_NAME}: unhandled rejection: ${String(err)}`));
startServer(connection);
