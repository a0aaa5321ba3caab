// /etc/modules: a module name added at the end when the file does not load it already
// (`dummy` for a gateway on a dummy interface). The rest of the file is kept as it is.
import { appendBlock, applyEdits } from '../../core/edit';
import { canonicalModuleName, parseModules } from './parser';

export function ensureModule(text: string | undefined, name: string, comment: string[] = []): string {
  if (text === undefined) {
    return ['# /etc/modules: kernel modules to load at boot time, one per line.', '', ...comment.map((c) => `# ${c}`), name, ''].join('\n');
  }
  const file = parseModules(text, 'etc-modules');
  if (file.modules.some((m) => canonicalModuleName(m.name) === canonicalModuleName(name))) return text;
  return applyEdits(text, [appendBlock(text, [...comment.map((c) => `# ${c}`), name])]);
}
