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

