import { type IPeer, pb } from '@semface/protocol';

/** One part's content. */
export interface SnapshotPart {
  peers: IPeer[];
  frames: Uint8Array[];
}

/** Bytes a length-delimited field of `n` payload bytes takes (tag + varint length + payload). */
function fieldBytes(n: number): number {
  let len = 1;
  for (let v = n; v >= 0x80; v >>>= 7) len++;
  return 1 + len + n;
}

/**
 * Packs a node's peers (first) and cached frames into as few snapshot parts as fit
 * `budgetBytes` each. Always returns at least one part (an empty snapshot is a valid answer:
 * "no peers here"). An item larger than the budget gets a part of its own.
 */
export function packSnapshot(peers: IPeer[], frames: Uint8Array[], budgetBytes: number): SnapshotPart[] {
  const parts: SnapshotPart[] = [];
  let cur: SnapshotPart = { peers: [], frames: [] };
  let used = 0;
  const room = (n: number) => {
    if (used > 0 && used + n > budgetBytes) {
      parts.push(cur);
      cur = { peers: [], frames: [] };
      used = 0;
    }
    used += n;
  };
  for (const p of peers) {
    room(fieldBytes(pb.Peer.encode(p).len));
    cur.peers.push(p);
  }
  for (const f of frames) {
    room(fieldBytes(f.length));
    cur.frames.push(f);
  }
  parts.push(cur);
  return parts;
}
