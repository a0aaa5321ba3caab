// Temporary: replaced by the format's real service (being written now).
import type { FormatService } from '../../core/language';
export const interfacesService: FormatService<null> = {
  languageId: 'debian-interfaces',
  parse: (text) => ({ text, lines: new (require('../../core/text').LineIndex)(text), ast: null }),
  diagnostics: () => [],
  symbols: () => [],
  folding: () => [],
  hover: () => null,
  completion: () => [],
};
