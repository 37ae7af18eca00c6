/** NATS subject of a room (room names contain no dots, see ROOM_NAME_PATTERN). */
export function natsSubject(prefix: string, room: string): string {
  return `${prefix}.room.${room}`;
}

/** Redis channel of a room. */
export function redisChannel(prefix: string, room: string): string {
  return `${prefix}:room:${room}`;
}

/** NATS subject of the cluster channel (a sibling of `room`, so no room name maps to it). */
export function natsClusterSubject(prefix: string): string {
  return `${prefix}.cluster`;
}

/** Redis channel of the cluster channel. */
export function redisClusterChannel(prefix: string): string {
  return `${prefix}:cluster`;
}
