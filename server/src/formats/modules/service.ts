// Temporary: replaced by the format's real service (being written now).
import type { FormatService } from '../../core/language';
export const modulesService: FormatService<null> = {
  languageId: 'kernel-modules',
  parse: (text) => ({ text, lines: new (require('../../core/text').LineIndex)(text), ast: null }),
  diagnostics: () => [],
  symbols: () => [],
  folding: () => [],
  hover: () => null,
  completion: () => [],
};
