// Text from a file or a host, shown by the editor as it is: never as a link, emphasis or icon.
// (No editor code here, so the node tests can run it.)

/**
 * Text for a notification: VS Code turns `[label](target)` in a message into a link (a command
 * link too), so the pair is broken apart by a zero-width space.
 */
export function plainText(text: string): string {
  return text.split('](').join(']\u200b(');
}

/** Text as Markdown that shows it as it is: every character Markdown (or `$(icon)`) reads is escaped. */
export function mdText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~$&]/g, (c) => '\\' + c);
}
