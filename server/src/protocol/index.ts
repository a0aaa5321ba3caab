// The protocol between the extension's client and its language server: every custom request and
// notification (method name, params, result), in the manner of rust-analyzer's lsp_ext. Both
// sides import the typed objects from here: the client calls `client.sendRequest(HostViewRequest.type, params)`,
// the server registers `connection.onRequest(HostViewRequest.type, handler)`. docs/protocol.md
// says when the client calls each one and what it answers on errors.
//
// This folder imports nothing but vscode-languageserver-protocol: it is the only part of server/
// that the client may import (test/unit/protocol/boundary.test.ts checks both rules).
export * from './common';
export * from './hosts';
export * from './hostView';
export * from './hostInfo';
export * from './generate';
export * from './apply';
export * from './live';
export * from './remote';
export * from './testCounters';
