// The checks of /etc/modules and modules-load.d files on their own: module names, a module listed
// twice, parameters where systemd takes none, inline comments, modules-load.d files systemd skips.
import type { DiagnosticSeverity, Diagnostic } from 'vscode-languageserver-types';
import type { ParsedDocument } from '../../core/language';
import { capDiagnostics, error, makeDiagnostic, MAX_FILE_DIAGNOSTICS, warning } from '../../core/diagnostics';
import { findTemplate, templateDiagnostic } from '../template';
import type { ModulesFile } from './ast';
import { canonicalModuleName } from './parser';

type ModulesDocument = ParsedDocument<ModulesFile>;

/** Every diagnostic code of this format. */
export const MODULES_CODES = [
  'modules/invalid-name',
  'modules/duplicate-module',
  'modules/parameters-not-allowed',
  'modules/inline-comment',
  'modules/not-conf',
] as const;

function diag(doc: ModulesDocument, start: number, end: number, severity: DiagnosticSeverity, code: string, message: string, extra: object = {}): Diagnostic {
  return makeDiagnostic(doc.lines, { span: { start, end }, severity, code, message, ...extra });
}

export function modulesDiagnostics(doc: ModulesDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { ast } = doc;
  const mark = findTemplate(doc.text);
  if (mark) return [templateDiagnostic(mark, doc.lines)];
  if (ast.ignoredName !== undefined) {
    // systemd-modules-load(8) reads only modules-load.d/*.conf: the whole file is skipped
    const firstEnd = doc.text.indexOf('\n');
    out.push(
      diag(
        doc,
        0,
        firstEnd < 0 ? doc.text.length : firstEnd,
        warning,
        'modules/not-conf',
        `systemd-modules-load reads only the files of modules-load.d whose names end in .conf, so it skips '${ast.ignoredName.length > 40 ? ast.ignoredName.slice(0, 39) + '…' : ast.ignoredName}' and loads none of its modules: rename it to ${ast.ignoredName.length > 40 ? 'NAME' : ast.ignoredName}.conf.`,
        { data: { rename: ast.ignoredName + '.conf' } },
      ),
    );
  }
  const first = new Map<string, (typeof ast.modules)[number]>();
  const clip = (s: string) => (s.length > 40 ? s.slice(0, 39) + '…' : s);
  for (const m of ast.modules) {
    if (out.length > MAX_FILE_DIAGNOSTICS) break;
    const alias = m.name.includes(':');
    const bad = alias ? /[^\x21-\x7e]/.exec(m.name) : /[^A-Za-z0-9_-]/.exec(m.name);
    if (bad) {
      const ch = bad[0];
      const shown = /[\x21-\x7e]/.test(ch) ? `'${ch}'` : `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      out.push(
        diag(
          doc,
          m.nameSpan.start + bad.index,
          m.nameSpan.start + bad.index + 1,
          error,
          'modules/invalid-name',
          `'${clip(m.name)}' is not a valid module name: ${shown} cannot appear in one (names use letters, digits, '-' and '_').`,
        ),
      );
    }
    const key = canonicalModuleName(m.name);
    const prev = first.get(key);
    if (prev) {
      out.push(
        diag(
          doc,
          m.nameSpan.start,
          m.nameSpan.end,
          warning,
          'modules/duplicate-module',
          `'${clip(m.name)}' is already listed on line ${prev.line + 1}; loading it twice does nothing more.`,
          {
            related: [{ location: { uri: '', range: doc.lines.range(prev.nameSpan.start, prev.nameSpan.end) }, message: 'first listed here' }],
          },
        ),
      );
    } else {
      first.set(key, m);
    }
    if (m.params.length && ast.flavour === 'modules-load.d') {
      const last = m.params[m.params.length - 1];
      out.push(
        diag(
          doc,
          m.params[0].span.start,
          last.span.end,
          warning,
          'modules/parameters-not-allowed',
          `modules-load.d files take only a module name per line: systemd would look for a module called '${clip(doc.text.slice(m.span.start, m.span.end))}'. Put parameters in /etc/modprobe.d/*.conf as 'options ${clip(m.name)} ${clip(m.params.map((p) => p.text).join(' '))}'.`,
        ),
      );
    }
    if (m.inlineComment) {
      out.push(
        diag(
          doc,
          m.inlineComment.start,
          m.inlineComment.end,
          warning,
          'modules/inline-comment',
          `A comment must be on its own line: here '${m.inlineComment.end - m.inlineComment.start > 1 ? clip(doc.text.slice(m.inlineComment.start, m.inlineComment.end)) : '#'}' is read as part of the line for ${clip(m.name)}.`,
        ),
      );
    }
  }
  return capDiagnostics('modules/more-problems', out, MAX_FILE_DIAGNOSTICS, 0, undefined, out.length > MAX_FILE_DIAGNOSTICS);
}
