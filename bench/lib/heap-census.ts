/**
 * What a heap snapshot holds, by kind of object: the memory scenario takes one before and one
 * after connecting 1,000 readers and reports the difference per reader, so that what each reader
 * costs (its upgrade request, engine.io and Socket.IO objects, closures, maps) has names.
 */
import { readFile, rm } from 'node:fs/promises';

type Snapshot = { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };

export type Census = Map<string, { count: number; bytes: number }>;

export async function censusOf(path: string): Promise<Census> {
  const snapshot = JSON.parse(await readFile(path, 'utf8')) as Snapshot;
  await rm(path, { force: true });
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const census: Census = new Map();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!] ?? '?';
    const name = snapshot.strings[snapshot.nodes[i + nameAt]!] ?? '?';
    // Strings, code and numbers by kind only: their names are their contents.
    const key = type === 'object' || type === 'closure' || type === 'native' ? `${type === 'closure' ? 'closure ' : ''}${name}` : `(${type})`;
    const entry = census.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snapshot.nodes[i + sizeAt]!;
    census.set(key, entry);
  }
  return census;
}

/** The kinds that grew most from `before` to `after`, per reader. */
export function perReader(before: Census, after: Census, readers: number, top = 15): { kind: string; countPerReader: number; bytesPerReader: number }[] {
  const rows = [...after].map(([kind, now]) => {
    const was = before.get(kind) ?? { count: 0, bytes: 0 };
    return { kind, countPerReader: (now.count - was.count) / readers, bytesPerReader: (now.bytes - was.bytes) / readers };
  });
  return rows.sort((a, b) => b.bytesPerReader - a.bytesPerReader).slice(0, top);
}
