// The xen.hosts setting, as the server reads it: an entry the apply cannot use, or a name used by
// two entries, is told to the user (window/showMessage, a warning), once per distinct set of
// problems, when the server starts and whenever the settings change. (The apply refuses a bad
// entry when it is picked; this says so before anyone picks it.)
import { MessageType, type Connection } from 'vscode-languageserver';
import { validateHosts } from '../apply/hosts';

export class HostsSettingReporter {
  private lastReported = '';

  constructor(private readonly connection: Connection) {}

  /** Checks the raw `xen` settings section's hosts; tells the user of new problems. Returns the problems. */
  report(xenSection: unknown): string[] {
    const hosts = xenSection && typeof xenSection === 'object' ? (xenSection as { hosts?: unknown }).hosts : undefined;
    const { errors } = validateHosts(hosts);
    const key = errors.join('\n');
    if (key !== this.lastReported) {
      this.lastReported = key;
      if (errors.length) {
        const more = errors.length > 5 ? ` (and ${errors.length - 5} more)` : '';
        void this.connection.sendNotification('window/showMessage', {
          type: MessageType.Warning,
          message: `Xen: the xen.hosts setting has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}: ${errors.slice(0, 5).join('; ')}${more}. Apply to Host cannot use ${errors.length === 1 ? 'that entry' : 'those entries'} until ${errors.length === 1 ? 'it is' : 'they are'} fixed.`,
        });
      }
    }
    return errors;
  }
}
