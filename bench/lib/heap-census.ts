/**
 * What a heap snapshot holds, by kind of object and by owner: the memory scenario takes one
 * before and one after connecting 1,000 readers and reports the difference per reader, so that
 * what each reader costs (its upgrade request, engine.io and Socket.IO objects, closures, maps)
 * has names.
 *
 * By owner: every object that is new in the second snapshot (V8 keeps object ids across
 * snapshots of one process) is charged to the first of a reader's library objects (engine.io's
 * Socket and transport, ws's WebSocket, Receiver and Sender, the TCP socket, Socket.IO's Client,
 * Decoder and Socket, the upgrade request...) that reaches it without passing through another of
 * them; what none reaches (the namespace's and adapter's maps and sets, Liveline's own maps) is
 * "elsewhere". Compiled code is left out of both totals' owners (it is not per reader).
 */
import { readFile, rm } from 'node:fs/promises';

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
};

export type Census = Map<string, { count: number; bytes: number }>;

async function load(path: string): Promise<Snapshot> {
  const snapshot = JSON.parse(await readFile(path, 'utf8')) as Snapshot;
  await rm(path, { force: true });
  return snapshot;
}

/** By kind, and the ids of every object (for owners()). */
export async function censusOf(path: string): Promise<Census & { ids?: Set<number>; snapshot?: Snapshot }> {
  const snapshot = await load(path);
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const idAt = fields.indexOf('id');
  const census: Census & { ids?: Set<number>; snapshot?: Snapshot } = new Map();
  census.ids = new Set();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    census.ids.add(snapshot.nodes[i + idAt]!);
    const type = types[snapshot.nodes[i + typeAt]!] ?? '?';
    const name = snapshot.strings[snapshot.nodes[i + nameAt]!] ?? '?';
    // Strings, code and numbers by kind only: their names are their contents.
    const key = type === 'object' || type === 'closure' || type === 'native' ? `${type === 'closure' ? 'closure ' : ''}${name}` : `(${type})`;
    const entry = census.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snapshot.nodes[i + sizeAt]!;
    census.set(key, entry);
  }
  census.snapshot = snapshot;
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

/** A reader's library objects, in the order they claim what they reach. */
const OWNERS = [
  'ws Receiver',
  'ws Sender',
  'ws WebSocket',
  'engine.io WebSocket transport',
  'TCP handle',
  'net.Socket',
  'ping Timeout',
  'socket.io Decoder',
  'engine.io Socket',
  'socket.io Client',
  'socket.io Socket',
  'upgrade request (IncomingMessage)',
  'engine.io WebSocketResponse',
] as const;

/**
 * Bytes per reader of the objects new in `after`, by owner (see the top of the file). Pass the
 * census of the snapshot before (for its ids) and the one after (for its snapshot).
 */
export function owners(before: { ids?: Set<number> }, after: { snapshot?: Snapshot }, readers: number): { owner: string; bytesPerReader: number }[] {
  const snapshot = after.snapshot;
  const old = before.ids;
  if (!snapshot || !old) return [];
  const { node_fields: nf, node_types: nodeTypes, edge_fields: ef, edge_types: edgeTypes } = snapshot.snapshot.meta;
  const width = nf.length;
  const edgeWidth = ef.length;
  const [typeAt, nameAt, sizeAt, edgesAt, idAt] = ['type', 'name', 'self_size', 'edge_count', 'id'].map((field) => nf.indexOf(field)) as [number, number, number, number, number];
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((field) => ef.indexOf(field)) as [number, number, number];
  const { nodes, edges, strings } = snapshot;
  const count = nodes.length / width;
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    firstEdge[i] = e;
    e += nodes[i * width + edgesAt]! * edgeWidth;
  }
  firstEdge[count] = edges.length;
  const type = (i: number) => nodeTypes[0][nodes[i * width + typeAt]!];
  const name = (i: number) => strings[nodes[i * width + nameAt]!];
  const isNew = (i: number) => !old.has(nodes[i * width + idAt]!);
  const counted = (i: number) => !['code', 'native', 'synthetic'].includes(type(i) ?? '');
  const hasProperty = (i: number, property: string) => {
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += edgeWidth) {
      if (edgeTypes[0][edges[e + edgeTypeAt]!] === 'property' && strings[edges[e + edgeNameAt]!] === property) return true;
    }
    return false;
  };
  const ownerOf = (i: number): number => {
    if (type(i) !== 'object' || !isNew(i)) return -1;
    const label = (() => {
      switch (name(i)) {
        // Three classes are called Socket, two WebSocket: told apart by a field of their own.
        case 'Socket':
          return hasProperty(i, 'nsp') ? 'socket.io Socket' : hasProperty(i, 'transport') ? 'engine.io Socket' : 'net.Socket';
        case 'WebSocket':
          return hasProperty(i, '_receiver') ? 'ws WebSocket' : 'engine.io WebSocket transport';
        case 'Receiver':
          return 'ws Receiver';
        case 'Sender':
          return 'ws Sender';
        case 'TCP':
          return 'TCP handle';
        case 'Timeout':
          return 'ping Timeout';
        case 'Decoder':
          return 'socket.io Decoder';
        case 'Client':
          return 'socket.io Client';
        case 'IncomingMessage':
          return 'upgrade request (IncomingMessage)';
        case 'WebSocketResponse':
          return 'engine.io WebSocketResponse';
        default:
          return undefined;
      }
    })();
    return label === undefined ? -1 : OWNERS.indexOf(label as (typeof OWNERS)[number]);
  };
  const owner = new Int16Array(count).fill(-1);
  const roots: number[][] = OWNERS.map(() => []);
  for (let i = 0; i < count; i++) {
    const index = ownerOf(i);
    if (index >= 0) {
      owner[i] = index;
      roots[index]!.push(i);
    }
  }
  for (const [index, queue] of roots.entries()) {
    while (queue.length > 0) {
      const i = queue.pop()!;
      for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += edgeWidth) {
        const kind = edgeTypes[0][edges[e + edgeTypeAt]!];
        if (kind === 'weak' || kind === 'shortcut') continue;
        const to = edges[e + toAt]! / width;
        if (owner[to] !== -1 || !isNew(to) || !counted(to)) continue;
        owner[to] = index;
        queue.push(to);
      }
    }
  }
  const bytes = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    if (!isNew(i) || !counted(i)) continue;
    const label = owner[i]! >= 0 ? OWNERS[owner[i]!]! : 'elsewhere (namespace, adapter and Liveline maps, sets)';
    bytes.set(label, (bytes.get(label) ?? 0) + nodes[i * width + sizeAt]!);
  }
  return [...bytes].map(([label, total]) => ({ owner: label, bytesPerReader: total / readers })).sort((a, b) => b.bytesPerReader - a.bytesPerReader);
}
