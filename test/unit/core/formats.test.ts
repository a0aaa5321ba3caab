// Every format has the same shape and one name: its folder under server/src/formats/, the key of
// the registry, its service's name, and the prefix of its diagnostic codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FORMATS, serviceFor } from '../../../server/src/formats/index';
import { LANGUAGE_IDS, type FormatName } from '../../../server/src/core/language';
import { SXP_CODES } from '../../../server/src/formats/sxp/checks';
import { MODULES_CODES } from '../../../server/src/formats/modules/checks';
import { CODES as DOMAIN_CODES } from '../../../server/src/formats/domain/checks';
import { STRUCTURAL_CODES } from '../../../server/src/formats/interfaces/checks';
import { repoRoot } from '../../support/paths';

const NAMES: FormatName[] = ['sxp', 'interfaces', 'domain', 'modules', 'sysctl'];

test('each format is a folder with ast, parser, checks, features, edit and service', () => {
  for (const name of NAMES) {
    for (const part of ['ast', 'parser', 'checks', 'features', 'edit', 'service']) {
      assert.ok(existsSync(join(repoRoot, 'server', 'src', 'formats', name, `${part}.ts`)), `formats/${name}/${part}.ts`);
    }
  }
});

test('the registry key is the service name, and every language id has one format', () => {
  for (const [key, service] of Object.entries(FORMATS)) assert.equal(service.name, key);
  assert.deepEqual(Object.keys(FORMATS).sort(), NAMES.filter((n) => n !== 'sysctl').sort());
  for (const id of LANGUAGE_IDS) {
    assert.equal(serviceFor(id).languageId, id);
    assert.ok(NAMES.includes(serviceFor(id).name));
  }
});

test("a format's diagnostic codes start with its name", () => {
  const codes: [FormatName, Iterable<string>][] = [
    ['sxp', SXP_CODES],
    ['modules', MODULES_CODES],
    ['domain', Object.values(DOMAIN_CODES) as string[]],
    ['interfaces', STRUCTURAL_CODES],
  ];
  for (const [name, list] of codes) {
    const all = [...list];
    assert.ok(all.length > 0, name);
    for (const c of all) assert.ok(c.startsWith(`${name}/`), `${name}: ${c}`);
  }
});
