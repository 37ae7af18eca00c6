/**
 * Fixed limits of the cluster link (not options: they bound what a misbehaving node can make
 * this node hold, and legitimate clusters stay far below them).
 */
export const ClusterLimits = Object.freeze({
  /** Bytes a bus message may exceed `maxMessageBytes` by (signature, BusMessage fields). */
  busOverheadBytes: 1024,
  /** Other nodes tracked at once; messages from further node ids are dropped. */
  maxNodes: 1024,
  /** Largest accepted difference between a message's send time and this node's clock, ms. */
  maxClockSkewMs: 30_000,
  /** Most parts of one room snapshot. */
  maxSnapshotParts: 1024,
});

/** Node id shape (same as the `nodeId` option). */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** Participant id shape: `<nodeId>-<counter>` today; any short id of these characters is accepted. */
export const PARTICIPANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,96}$/;

/** PeerLeft reason shape (`leave`, `close`, `closed`, `timeout`, ...). */
export const PEER_LEFT_REASON_PATTERN = /^[A-Za-z_]{1,32}$/;
