// Which commands a setup needs, chosen from the files it writes.
//
// - /etc/modules lists the module behind the gateway interface (dummy for dummy0): load it now,
//   as the next boot would (modprobe dummy creates dummy0).
// - /etc/network/interfaces has a stanza for the gateway interface: bring it up (ifup), or, when
//   it is up and the file changes, ifdown then ifup so the new address takes effect.
// - /etc/xen/xend-config.sxp changes: /etc/init.d/xend restart (xend reads its configuration
//   only when it starts; running guests keep running across a xend restart).
// - xl (no xend): nothing is restarted. xl has no daemon that reads xl.conf: each `xl create`
//   reads it, and vif.default.script/gatewaydev are used when a guest's vif is set up. The only
//   service there is, xendomains, saves or shuts down every guest on stop: restarting it would
//   take every guest down to change something that only matters for the next guest start. So the
//   script prints a note instead (and one for changed domain files: they count at the next start).
import type { ApplyCommand, ApplyPlan, FileToWrite } from './script';
import { isSendable } from '../host/paths';
import { displayValue } from './quote';
import { readSysctl } from '../formats/sysctl/service';
import { DEFAULT_GATEWAY_INTERFACE, moduleOfInterface } from '../core/network';
import { parseInterfaces } from '../formats/interfaces/parser';
import { canonicalModuleName, parseModules } from '../formats/modules/parser';

/** Files of a plan that are not on the host's list (host/paths.ts): never sent. */
export function unsendable(files: readonly FileToWrite[]): string[] {
  return files
    .filter((f) => !isSendable(f.path))
    .map((f) => `${displayValue(f.path)} is not one of the host's files that the extension writes (host/paths.ts): not sent`);
}

export interface PlanOptions {
  /** The host's name in xen.hosts (shown on progress lines). */
  hostLabel: string;
  /** The interface holding the guests' gateway (xen.network.gatewayInterface), default dummy0. */
  gatewayInterface?: string;
  /** Which toolstack the host runs (xen.domain.toolstack); auto: xend when xend-config.sxp is written. */
  toolstack?: 'auto' | 'xm' | 'xl';
  backupRoot?: string;
  /** The run's id (runner.ts) and the confirm-or-revert window in seconds (0: none). */
  runId?: string;
  confirmSeconds?: number;
}

function text(f: FileToWrite): string {
  return typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('utf8');
}

/** Whether an interfaces text has an `iface NAME` stanza (read by the interfaces format). */
function hasIface(interfaces: string, name: string): boolean {
  return parseInterfaces(interfaces).stanzas.some((st) => st.kind === 'iface' && st.name?.text === name);
}

/** Whether an /etc/modules text loads the module (read by the modules format). */
function listsModule(modules: string, name: string): boolean {
  return parseModules(modules, 'etc-modules').modules.some((m) => canonicalModuleName(m.name) === canonicalModuleName(name));
}

/** The commands the files need (see the top of this file), in the order they must run. */
export function commandsFor(files: FileToWrite[], opts: Omit<PlanOptions, 'hostLabel' | 'backupRoot' | 'runId' | 'confirmSeconds'> = {}): ApplyCommand[] {
  const gw = opts.gatewayInterface || DEFAULT_GATEWAY_INTERFACE;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const out: ApplyCommand[] = [];
  const modules = byPath.get('/etc/modules');
  const mod = moduleOfInterface(gw);
  if (modules && mod && listsModule(text(modules), mod)) out.push({ kind: 'load-module', module: mod });
  const interfaces = byPath.get('/etc/network/interfaces');
  if (interfaces && hasIface(text(interfaces), gw)) {
    out.push({ kind: 'interface-up', name: gw, restartIfChanged: ['/etc/network/interfaces'] });
  }
  const xend = '/etc/xen/xend-config.sxp';
  const toolstack = opts.toolstack ?? 'auto';
  if (byPath.has(xend) && toolstack !== 'xl') out.push({ kind: 'restart-xend', ifChanged: [xend] });
  if (byPath.has('/etc/xen/xl.conf') && toolstack !== 'xm') {
    out.push({
      kind: 'note',
      text: 'xl.conf changed: xl reads it at each guest start, so guests started from now on use it; running guests keep their vifs until restarted',
      ifChanged: ['/etc/xen/xl.conf'],
    });
  }
  // sysctl files (IP forwarding for a routed host under xl): loaded now, as the next boot would
  for (const f of files) {
    if (/^\/etc\/sysctl\.d\/[^/]+\.conf$/.test(f.path) || f.path === '/etc/sysctl.conf') {
      // the keys the new file sets: their values are saved before and set back by a rollback
      const keys = [...new Set(readSysctl(text(f)).settings.map((x) => x.key))];
      out.push({ kind: 'sysctl', file: f.path, keys });
    }
  }
  const domains = files.map((f) => f.path).filter((p) => /^\/etc\/xen\/(?:auto\/[^/]+|[^/]+\.cfg)$/.test(p));
  if (domains.length) {
    out.push({
      kind: 'note',
      text: 'a domain file changed: its guest uses it from its next start (shut it down and create it again to apply it now)',
      ifChanged: domains,
    });
  }
  return out;
}

/** The whole plan for buildApplyScript. */
export function planApply(files: FileToWrite[], opts: PlanOptions): ApplyPlan {
  const refused = unsendable(files);
  if (refused.length) throw new Error(refused.join('; '));
  const plan: ApplyPlan = { hostLabel: opts.hostLabel, files, commands: commandsFor(files, opts) };
  if (opts.backupRoot !== undefined) plan.backupRoot = opts.backupRoot;
  if (opts.runId !== undefined) plan.runId = opts.runId;
  if (opts.confirmSeconds !== undefined) plan.confirmSeconds = opts.confirmSeconds;
  return plan;
}
