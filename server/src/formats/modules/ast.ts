// The syntax tree of /etc/modules and /etc/modules-load.d/*.conf: one kernel module per line.
import type { Span } from '../../core/text';

export type ModulesFlavour = 'etc-modules' | 'modules-load.d' | 'auto';

export interface ModuleParam {
  text: string;
  span: Span;
  key: string;
  value?: string;
}

export interface ModuleLine {
  kind: 'module';
  name: string;
  nameSpan: Span;
  params: ModuleParam[];
  /** A `#` or `;` after the name: not a comment for the tools that read the file. */
  inlineComment?: Span;
  /** From the name to the last word. */
  span: Span;
  line: number;
}

export interface ModulesComment {
  kind: 'comment';
  text: string;
  span: Span;
  line: number;
}

export interface ModulesFile {
  text: string;
  flavour: ModulesFlavour;
  modules: ModuleLine[];
  comments: ModulesComment[];
  /** A modules-load.d file whose name does not end in `.conf`: its base name (systemd-modules-load skips it). */
  ignoredName?: string;
}
