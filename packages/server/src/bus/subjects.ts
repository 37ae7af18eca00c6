/** NATS subject of a room (room names contain no dots, see ROOM_NAME_PATTERN). */
export function natsSubject(prefix: string, room: string): string {
  return `${prefix}.room.${room}`;
}

/** Redis channel of a room. */
export function redisChannel(prefix: string, room: string): string {
  return `${prefix}:room:${room}`;
}
