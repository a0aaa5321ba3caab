// What the LSP test files share: the real server started once for the file's tests and stopped
// after them (with the temporary hosts they wrote removed), and the texts of a routed host that
// several of them write.
import { after, before } from 'node:test';
import { TestClient } from './lsp-client';
import { removeTempHosts } from './temp-host';

/** Starts the server before the calling file's tests and hands it to `use`; stops it after them and removes every temporary host. */
export function serverForFile(use: (client: TestClient) => void): void {
  let client: TestClient | undefined;
  before(async () => {
    client = await TestClient.start();
    use(client);
  });
  after(async () => {
    await client?.stop();
    removeTempHosts();
  });
}

/** /etc/network/interfaces of the article's routed host: the gateway 80.68.86.193 of 80.68.86.192/29 on dummy0. */
export const ROUTED_INTERFACES = [
  'auto lo',
  'iface lo inet loopback',
  '',
  'auto dummy0',
  'iface dummy0 inet static',
  '    address 80.68.86.193',
  '    netmask 255.255.255.248',
  '    broadcast 80.68.86.199',
  '',
].join('\n');

/** The same without its broadcast line (ifupdown computes it from the netmask): the live checks' line numbers are of this text. */
export const ROUTED_INTERFACES_NO_BROADCAST = ROUTED_INTERFACES.replace('    broadcast 80.68.86.199\n', '');

/** xend-config.sxp of a routed host whose gateway is dummy0. */
export const ROUTED_SXP = ['(network-script network-route)', "(vif-script 'vif-route netdev=dummy0')", ''].join('\n');

/** vm1's domain file, on the first guest address of the article's block. */
export const VM1 = ["name = 'vm1'", 'memory = 256', "vif = [ 'ip=80.68.86.194' ]", ''].join('\n');
