// The xend-config.sxp reader against a plain one: a character loop written straight from the rules
// in the header of server/src/formats/sxp/parser.ts, with no speed in mind. The real reader scans
// with native searches and patterns (words end by a sticky pattern, comments and strings by
// indexOf); on any text that both read without a syntax error, they must find the same words,
// strings, lists and comments at the same offsets, in the same order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseSxp, KIND_MASK } from '../../../server/src/formats/sxp/parser';
import { sxpCorpusFiles } from './oracle-cases';

interface Plain {
  nodes: [kind: number, start: number, end: number][];
  comments: [start: number, end: number][];
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
const WORD_ENDS = '#{}()<>[]!;';

/** The plain reading, or null where xend would refuse the text (then the readers need not agree). */
function plainRead(text: string): Plain | null {
  const nodes: Plain['nodes'] = [];
  const comments: Plain['comments'] = [];
  const open: number[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
    } else if (c === '#') {
      let e = i;
      while (e < text.length && text[e] !== '\n' && text[e] !== '\r') e++;
      comments.push([i, e]);
      i = e;
    } else if (c === '(') {
      open.push(nodes.length);
      nodes.push([3, i, -1]);
      i++;
    } else if (c === ')') {
      const at = open.pop();
      if (at === undefined) return null;
      nodes[at][2] = i + 1;
      i++;
    } else if (c === "'" || c === '"') {
      let e = i + 1;
      while (e < text.length && text[e] !== c) e += text[e] === '\\' ? 2 : 1;
      if (e >= text.length) return null;
      nodes.push([c === "'" ? 1 : 2, i, e + 1]);
      i = e + 1;
    } else {
      const code = c.charCodeAt(0);
      if (code < 33 || code > 126) return null;
      let e = i + 1;
      while (e < text.length && !isSpace(text[e]) && !WORD_ENDS.includes(text[e])) e++;
      nodes.push([0, i, e]);
      i = e;
    }
  }
  return open.length ? null : { nodes, comments };
}

function agree(text: string): void {
  const plain = plainRead(text);
  if (plain === null) return;
  const file = parseSxp(text);
  assert.deepEqual(file.errors, [], `no syntax error in ${JSON.stringify(text.slice(0, 200))}`);
  const t = file.tree;
  const nodes: Plain['nodes'] = [];
  for (let k = 0; k < t.count; k++) nodes.push([t.kinds[k] & KIND_MASK, t.starts[k], t.ends[k]]);
  const comments: Plain['comments'] = [];
  for (let k = 0; k < t.commentStarts.length; k++) comments.push([t.commentStarts[k], t.commentEnds[k]]);
  assert.deepEqual({ nodes, comments }, plain, JSON.stringify(text.slice(0, 200)));
}

test('the reader finds what a plain reading of the rules finds: random texts of sxp pieces', () => {
  const piece = fc.constantFrom(
    '(',
    ')',
    '(',
    ')',
    ' ',
    '\t',
    '\n',
    '\r\n',
    '\r',
    '\v',
    '\f',
    '#',
    '# c\n',
    "'",
    '"',
    "'a b'",
    '"x\\"y"',
    "'\\\\'",
    '\\',
    'a',
    'xend-port',
    '8000',
    '-',
    'x=1',
    'a#b',
    'a;b',
    'a!b',
    'a[b]',
    'a{b}',
    'a<b>',
    "it's",
    'é',
    '\u0000',
    '~',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 80 }), (parts) => agree(parts.join(''))),
    { numRuns: 3000 },
  );
});

test('the reader finds what a plain reading of the rules finds: the corpus, and long texts', () => {
  for (const f of sxpCorpusFiles()) agree(readFileSync(f, 'latin1'));
  // (long enough for the reader's node lists to grow, and for its native searches to pass and search again)
  let long = '';
  for (let i = 0; i < 3000; i++) long += `# setting ${i}\n(key-${i % 7} 'value ${i}' "x\\"${i}" (a b) word#c)\r\n`;
  agree(long);
});
