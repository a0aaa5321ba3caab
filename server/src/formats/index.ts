// The formats the server knows, by language id, and how a document's language is told
// when a client sends an id of its own (standalone clients name file types differently).
import type { FormatName, FormatService, LanguageId } from '../core/language';
import { LANGUAGE_IDS } from '../core/language';
import { pathOf } from '../core/uri';
import type { DomainFile } from './domain/ast';

// Each format's service is loaded on its first use, not when the server or the command line
// starts: a run that reads no domain file does not load chevrotain nor build the domain lexer and
// parser, and one that reads no xend-config.sxp does not load the sxp reader (issue 14, "a
// cheaper start"; docs/benchmarks.md "A cheaper start"). The bundler keeps a required module's
// code in the bundle but runs it only when required.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
const LOADERS = {
  sxp: () => (require('./sxp/service') as typeof import('./sxp/service')).sxpService,
  interfaces: () => (require('./interfaces/service') as typeof import('./interfaces/service')).interfacesService,
  domain: () => (require('./domain/service') as typeof import('./domain/service')).domainService,
  modules: () => (require('./modules/service') as typeof import('./modules/service')).modulesService,
};
let domainReaderLoaded = false;
const loadDomainParser = () => ((domainReaderLoaded = true), require('./domain/parser') as typeof import('./domain/parser'));
/* eslint-enable @typescript-eslint/no-require-imports */

type Services = { readonly [K in keyof typeof LOADERS]: ReturnType<(typeof LOADERS)[K]> };

/**
 * The formats by their one name (FormatName), each one's editor service, loaded when first read.
 * sysctl has no language of its own: formats/sysctl/service.ts is read by the host model and the apply.
 */
export const FORMATS: Services = Object.create(null);
for (const name of Object.keys(LOADERS) as (keyof typeof LOADERS)[]) {
  Object.defineProperty(FORMATS, name, {
    enumerable: true,
    configurable: true,
    get() {
      const service = LOADERS[name]();
      Object.defineProperty(FORMATS, name, { enumerable: true, value: service });
      return service;
    },
  });
}
/** The formats whose service has been loaded so far, by name (for the tests: what a run loads). */
export function loadedFormats(): string[] {
  return Object.keys(LOADERS).filter((name) => 'value' in Object.getOwnPropertyDescriptor(FORMATS, name)! || (name === 'domain' && domainReaderLoaded));
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each service with its own AST type, known only to it
FORMATS satisfies Record<Exclude<FormatName, 'sysctl'>, FormatService<any>>;

const BY_LANGUAGE: Record<LanguageId, keyof Services> = {
  'xen-xend-config': 'sxp',
  'debian-interfaces': 'interfaces',
  'xen-domain': 'domain',
  'kernel-modules': 'modules',
};

/** The format service of a language id (loaded on first use). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see FORMATS
export function serviceFor(languageId: LanguageId): FormatService<any> {
  return FORMATS[BY_LANGUAGE[languageId]];
}

/** A domain file's tree, for the host model: the domain reader loaded on first use, as its service is. */
export function parseDomainFile(text: string): DomainFile {
  return loadDomainParser().parseDomain(text);
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
