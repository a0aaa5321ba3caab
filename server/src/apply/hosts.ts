// The `xen.hosts` setting: the hosts a setup can be applied to, one entry each.
//
//   "xen.hosts": [
//     { "name": "dom0", "destination": "root@dom0.example.org", "port": 2222, "sudo": false, "folder": "hosts/dom0" }
//   ]

/** One entry of `xen.hosts`. */
export interface HostEntry {
  /** What the host is called in the editor (pickers, messages). */
  name: string;
  /** What ssh connects to: an alias of ~/.ssh/config, a host name, or user@host. */
  destination: string;
  /** The ssh port when not the default (or not set by the alias). */
  port?: number;
  /** Run the apply script with sudo (for a login that is not root). Default false. */
  sudo?: boolean;
  /**
   * The local folder that mirrors the host: the host's /etc/network/interfaces is
   * <folder>/etc/network/interfaces. Absolute, or relative to the workspace folder.
   */
  folder: string;
  /**
   * An ssh_config file to read instead of ~/.ssh/config (ssh -F): absolute, or relative to the
   * workspace folder. Taken only from user (or machine) settings: a workspace's ssh_config could
   * run commands (ProxyCommand, LocalCommand, Match exec) as the user.
   */
  sshConfig?: string;
  /**
   * The confirm-or-revert window in seconds (default 60; 0: none): after the change the host goes
   * back as it was unless a second, fresh connection confirms within it.
   */
  confirmSeconds?: number;
  /**
   * A private key to log in with (ssh -i FILE -o IdentitiesOnly=yes): absolute, or relative to the
   * workspace folder. Without it ssh uses its own defaults, the agent and the ssh_config.
   */
  identityFile?: string;
}

export type HostEntryCheck = { ok: true; host: HostEntry } | { ok: false; errors: string[] };

const KNOWN_KEYS = new Set(['name', 'destination', 'port', 'sudo', 'folder', 'sshConfig', 'confirmSeconds', 'identityFile']);

// User names: what adduser accepts, plus dots. Host part: names, IPv4, IPv6 (bare or in brackets).
// Nothing else is let through: ssh hands the host name to ProxyCommand through a shell (%h), so a
// destination must hold no shell metacharacters.
const USER_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const HOSTNAME_RE = /^[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$/;
const IPV6_RE = /^[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?$/;

function destinationProblems(dest: string): string[] {
  if (dest.trim() === '') return ['"destination" is empty: give an ssh alias, a host name or user@host'];
  if (/\s/.test(dest)) return [`"destination" must not hold spaces: ${JSON.stringify(dest)}`];
  if (dest.startsWith('-')) return [`"destination" must not start with "-" (ssh would read it as an option): ${JSON.stringify(dest)}`];
  if (/^ssh:\/\//i.test(dest)) return [`"destination" is a plain user@host, not an ssh:// address; put the port in "port": ${JSON.stringify(dest)}`];
  const at = dest.lastIndexOf('@');
  const user = at >= 0 ? dest.slice(0, at) : null;
  let host = at >= 0 ? dest.slice(at + 1) : dest;
  const out: string[] = [];
  if (user !== null && !USER_RE.test(user)) {
    out.push(`the user name before "@" in "destination" is not a valid login name: ${JSON.stringify(user)}`);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === '') out.push(`"destination" has no host after "@": ${JSON.stringify(dest)}`);
  else if (!HOSTNAME_RE.test(host) && !(host.includes(':') && IPV6_RE.test(host))) {
    out.push(`the host in "destination" may only hold letters, digits, ".", "-" and "_" (or be an IPv6 address): ${JSON.stringify(host)}`);
  }
  return out;
}

/** Checks one entry of `xen.hosts`. Errors are whole sentences, ready to show. Never throws. */
export function validateHostEntry(value: unknown): HostEntryCheck {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, errors: ['each entry of xen.hosts must be an object such as { "name": "dom0", "destination": "root@dom0", "folder": "hosts/dom0" }'] };
  }
  const v = value as Record<string, unknown>;
  const errors: string[] = [];
  for (const k of Object.keys(v)) {
    if (!KNOWN_KEYS.has(k))
      errors.push(`unknown key ${JSON.stringify(k)} (known: name, destination, port, sudo, folder, sshConfig, confirmSeconds, identityFile)`);
  }
  // eslint-disable-next-line no-control-regex
  const label = typeof v.name === 'string' && v.name.trim() !== '' && !/[\u0000-\u001f\u007f]/.test(v.name) ? `host ${JSON.stringify(v.name)}: ` : '';

  if (typeof v.name !== 'string') errors.push('"name" is missing: give the host a name to show in the editor');
  else if (v.name.trim() === '') errors.push('"name" is empty');
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f]/.test(v.name)) errors.push('"name" must not hold control characters such as line breaks');

  if (typeof v.destination !== 'string') errors.push('"destination" is missing: give an ssh alias from ~/.ssh/config, a host name or user@host');
  else errors.push(...destinationProblems(v.destination));

  if (v.port !== undefined) {
    if (typeof v.port !== 'number' || !Number.isInteger(v.port) || v.port < 1 || v.port > 65535) {
      errors.push(`"port" must be a whole number from 1 to 65535, not ${JSON.stringify(v.port)}`);
    }
  }
  if (v.sudo !== undefined && typeof v.sudo !== 'boolean') errors.push(`"sudo" must be true or false, not ${JSON.stringify(v.sudo)}`);

  if (typeof v.folder !== 'string') errors.push('"folder" is missing: give the local folder that mirrors the host (its files under <folder>/etc/...)');
  else if (v.folder.trim() === '') errors.push('"folder" is empty');
  else if (v.folder.includes('\0')) errors.push('"folder" holds a NUL character');

  if (v.sshConfig !== undefined) {
    if (typeof v.sshConfig !== 'string' || v.sshConfig.trim() === '') errors.push('"sshConfig" must be the path of an ssh_config file');
    else if (v.sshConfig.includes('\0')) errors.push('"sshConfig" holds a NUL character');
  }

  if (v.identityFile !== undefined) {
    if (typeof v.identityFile !== 'string' || v.identityFile.trim() === '') errors.push('"identityFile" must be the path of a private key file');
    else if (v.identityFile.includes('\0')) errors.push('"identityFile" holds a NUL character');
  }

  if (v.confirmSeconds !== undefined) {
    if (typeof v.confirmSeconds !== 'number' || !Number.isInteger(v.confirmSeconds) || v.confirmSeconds < 0 || v.confirmSeconds > 3600) {
      errors.push(
        `"confirmSeconds" must be a whole number of seconds from 0 to 3600 (0: no confirm-or-revert window), not ${JSON.stringify(v.confirmSeconds)}`,
      );
    }
  }

  if (errors.length) return { ok: false, errors: errors.map((e) => label + e) };
  const host: HostEntry = { name: v.name as string, destination: v.destination as string, folder: v.folder as string };
  if (v.port !== undefined) host.port = v.port as number;
  if (v.sudo !== undefined) host.sudo = v.sudo as boolean;
  if (v.sshConfig !== undefined) host.sshConfig = v.sshConfig as string;
  if (v.confirmSeconds !== undefined) host.confirmSeconds = v.confirmSeconds as number;
  if (v.identityFile !== undefined) host.identityFile = v.identityFile as string;
  return { ok: true, host };
}

/** Checks the whole setting: entries one by one, then names that are used twice. */
export function validateHosts(value: unknown): { hosts: HostEntry[]; errors: string[] } {
  if (value === undefined || value === null) return { hosts: [], errors: [] };
  if (!Array.isArray(value)) return { hosts: [], errors: ['xen.hosts must be a list of hosts: [ { "name": ..., "destination": ..., "folder": ... } ]'] };
  const hosts: HostEntry[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  value.forEach((entry, i) => {
    const r = validateHostEntry(entry);
    if (!r.ok) {
      errors.push(...r.errors.map((e) => `xen.hosts entry ${i + 1}: ${e}`));
      return;
    }
    if (seen.has(r.host.name)) {
      errors.push(`xen.hosts entry ${i + 1}: the name ${JSON.stringify(r.host.name)} is used by an earlier entry`);
      return;
    }
    seen.add(r.host.name);
    hosts.push(r.host);
  });
  return { hosts, errors };
}
