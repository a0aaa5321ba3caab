// What a diagnostic message may carry of a file: its words come from the file, and the file may
// come from anywhere (a repository checked in CI, a link to /proc/self/environ): a message quotes
// at most a short piece of any one token, and is put on one line without a pattern that
// backtracks.

/** The message on one line: each line break with the blanks around it becomes one space (a scanner: `\s*\n\s*` was quadratic on long blank runs). */
export function oneLine(message: string): string {
  if (!message.includes('\n')) return message;
  const parts = message.split('\n');
  let out = parts[0].trimEnd();
  for (let i = 1; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const p = last ? parts[i].trimStart() : parts[i].trim();
    // (a blank line between two breaks is part of the one run of blanks)
    if (p !== '' || last) out += ' ' + p;
  }
  return out;
}

/** The longest piece of one token (a run without blanks) a message quotes. */
export const MAX_QUOTED = 40;

/**
 * The message with every token (a run of characters without blanks) longer than max cut to its
 * first max characters and `…`: a message quotes the file, and the file may hold a secret (a
 * link to /proc/self/environ, a key pasted in the wrong place). One pass, no pattern.
 */
export function boundTokens(message: string, max = MAX_QUOTED): string {
  // (most messages quote no long token: looked for first, and the message kept as it is)
  if (!hasLongToken(message, max)) return message;
  let out = '';
  let runStart = 0;
  let changed = false;
  const n = message.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? message.charCodeAt(i) : 32;
    const blank = c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029;
    if (!blank) continue;
    if (i - runStart > max) {
      // (not between the two halves of a surrogate pair)
      let cut = runStart + max;
      const last = message.charCodeAt(cut - 1);
      if (last >= 0xd800 && last <= 0xdbff) cut--;
      out += message.slice(runStart, cut) + '…';
      changed = true;
    } else out += message.slice(runStart, i);
    if (i < n) out += message[i];
    runStart = i + 1;
  }
  return changed ? out : message;
}

/**
 * Whether the message holds a run of more than max characters without a blank (boundTokens' blanks).
 * The spaces are found natively (indexOf): a run never crosses one, so only a stretch between two
 * spaces longer than max is read character by character (a CLI run asks this of each of its
 * thousand messages, mostly before V8 has optimized anything).
 */
function hasLongToken(message: string, max: number): boolean {
  const n = message.length;
  if (n <= max) return false;
  let from = 0;
  for (;;) {
    let space = message.indexOf(' ', from);
    if (space < 0) space = n;
    if (space - from > max && hasLongRun(message, from, space, max)) return true;
    if (space === n) return false;
    from = space + 1;
  }
}

/** Whether message[from, to) holds a run of more than max characters without a blank. */
function hasLongRun(message: string, from: number, to: number, max: number): boolean {
  let runStart = from;
  for (let i = from; i < to; i++) {
    const c = message.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029) runStart = i + 1;
    else if (i + 1 - runStart > max) return true;
  }
  return false;
}
