// Parsed documents, cached per version: every feature of one keystroke shares one parse.
import type { FormatService, LanguageId, ParsedDocument } from '../core/language';
import type { Settings } from '../core/settings';
import { languageOf, serviceFor } from '../formats';

export interface OpenDocument {
  readonly uri: string;
  readonly version: number;
  readonly languageId: LanguageId;
  /* eslint-disable @typescript-eslint/no-explicit-any -- a service and what its own parse made, of an AST type known only to it */
  readonly service: FormatService<any>;
  readonly parsed: ParsedDocument<any>;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

export interface TextSource {
  uri: string;
  version: number;
  languageId: string;
  getText(): string;
}

export class DocumentCache {
  private readonly cache = new Map<string, { version: number; settingsKey: string; doc: OpenDocument }>();

  /** The parsed document, parsing only when the text or the settings changed. Undefined when the file is not one of ours. */
  get(source: TextSource, settings: Settings): OpenDocument | undefined {
    const languageId = languageOf(source.uri, source.languageId);
    if (!languageId) return undefined;
    const settingsKey = JSON.stringify(settings);
    const hit = this.cache.get(source.uri);
    if (hit && hit.version === source.version && hit.settingsKey === settingsKey && hit.doc.languageId === languageId) return hit.doc;
    const service = serviceFor(languageId);
    const parsed = service.parse(source.getText(), settings, source.uri);
    const doc: OpenDocument = { uri: source.uri, version: source.version, languageId, service, parsed };
    this.cache.set(source.uri, { version: source.version, settingsKey, doc });
    return doc;
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}
