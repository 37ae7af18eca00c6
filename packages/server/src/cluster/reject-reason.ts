/**
 * Why a bus message (or one item of it) was dropped: the `reason` label of
 * `semface_relay_bus_rejected_total`. Stable values:
 *
 * - `too_large`: bigger than maxMessageBytes + 1024 bytes, dropped before any parsing.
 * - `malformed`: bad framing, not a BusMessage, or an envelope that does not decode.
 * - `bad_signature`: HMAC tag does not match (unsigned, other secret, tampered, wrong channel).
 * - `bad_node`: origin or target node id is not a valid node id.
 * - `node_conflict`: another process publishes under this node's id.
 * - `stale`: send time too far from this node's clock (old or replayed message).
 * - `stale_incarnation`: from an earlier incarnation of a node that has since restarted or died.
 * - `replay`: sequence number already seen (or too far behind).
 * - `too_many_nodes`: more node ids than the cluster limit.
 * - `unknown_body`: no body, several bodies, or an envelope kind nodes do not exchange.
 * - `wrong_channel`: heartbeat on a room channel or room traffic on the cluster channel.
 * - `wrong_room`: envelope names another room than its channel.
 * - `invalid_frame`: frame fails the checks applied to client frames.
 * - `invalid_peer`: peer or participant id fails validation.
 * - `unknown_peer`: frame from a participant the origin node has not announced in the room.
 * - `conflict`: participant id already owned by another node (or local).
 * - `room_full`: the origin already has maxRoomMembers peers in the room.
 * - `node_full`: the origin already has maxConnections peers in all rooms.
 * - `invalid_snapshot`: snapshot part numbering out of range.
 * - `snapshot_gap`: a snapshot part arrived out of order (an earlier part was lost).
 * - `internal`: a bug while handling the message (logged).
 */
export type BusRejectReason =
  | 'too_large'
  | 'malformed'
  | 'bad_signature'
  | 'bad_node'
  | 'node_conflict'
  | 'stale'
  | 'stale_incarnation'
  | 'replay'
  | 'too_many_nodes'
  | 'unknown_body'
  | 'wrong_channel'
  | 'wrong_room'
  | 'invalid_frame'
  | 'invalid_peer'
  | 'unknown_peer'
  | 'conflict'
  | 'room_full'
  | 'node_full'
  | 'invalid_snapshot'
  | 'snapshot_gap'
  | 'internal';
