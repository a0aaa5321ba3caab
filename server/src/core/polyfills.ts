// chevrotain 13 uses Object.groupBy (ES2024). Node 20, which Debian admins and older
// VS Code builds still run, lacks it; this fills the gap before any parser is built.
const objectWithGroupBy = Object as unknown as { groupBy?: unknown };
if (typeof objectWithGroupBy.groupBy !== 'function') {
  objectWithGroupBy.groupBy = function groupBy<T>(items: Iterable<T>, key: (item: T, index: number) => PropertyKey) {
    const groups: Record<PropertyKey, T[]> = Object.create(null);
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      (groups[k] ??= []).push(item);
    }
    return groups;
  };
}
export {};
