// The formats the server knows, by language id, and how a document's language is told
// when a client sends an id of its own (standalone clients name file types differently).
import type { FormatName, FormatService, LanguageId } from '../core/language';
import { LANGUAGE_IDS } from '../core/language';
import { pathOf } from '../core/uri';
import { interfacesService } from './interfaces/service';
import { sxpService } from './sxp/service';
import { domainService } from './domain/service';
import { modulesService } from './modules/service';

/**
 * The formats by their one name (FormatName), each one's editor service. sysctl has no language of
 * its own: formats/sysctl/service.ts is read by the host model and the apply.
 */
export const FORMATS = {
  sxp: sxpService,
  interfaces: interfacesService,
  domain: domainService,
  modules: modulesService,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each service with its own AST type, known only to it
} as const satisfies Record<Exclude<FormatName, 'sysctl'>, FormatService<any>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see FORMATS
const byLanguage = new Map<LanguageId, FormatService<any>>(Object.values(FORMATS).map((s) => [s.languageId, s]));

/** The format service of a language id. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see FORMATS
export function serviceFor(languageId: LanguageId): FormatService<any> {
  return byLanguage.get(languageId)!;
}

/** The same file patterns as package.json's `filenamePatterns`, for clients that send other ids. */
const patterns: [RegExp, LanguageId][] = [
  [/(^|\/)xend-config\.sxp$/, 'xen-xend-config'],
  [/\.sxp$/, 'xen-xend-config'],
  [/(^|\/)network\/interfaces$/, 'debian-interfaces'],
  [/(^|\/)network\/interfaces\.d\/[^/]+$/, 'debian-interfaces'],
  [/\.interfaces$/, 'debian-interfaces'],
  [/(^|\/)xen\/[^/]+\.cfg$/, 'xen-domain'],
  [/(^|\/)xen\/auto\/[^/]+$/, 'xen-domain'],
  [/(^|\/)x[ml]example[^/]*$/, 'xen-domain'],
  [/(^|\/)xl\.conf$/, 'xen-domain'],
  [/\.(xl|xm)$/, 'xen-domain'],
  [/(^|\/)etc\/modules$/, 'kernel-modules'],
  // every file there, so that one systemd skips (no .conf) is told (modules/not-conf)
  [/(^|\/)modules-load\.d\/[^/]+$/, 'kernel-modules'],
];

export function isLanguageId(id: string): id is LanguageId {
  return (LANGUAGE_IDS as readonly string[]).includes(id);
}

/** The language of a document: the client's id when it is ours, else by its path; undefined when neither fits. */
export function languageOf(uriOrPath: string, clientLanguageId?: string): LanguageId | undefined {
  if (clientLanguageId && isLanguageId(clientLanguageId)) return clientLanguageId;
  const path = pathOf(uriOrPath);
  for (const [re, id] of patterns) if (re.test(path)) return id;
  return undefined;
}
