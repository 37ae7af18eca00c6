import { RELAY_PATH } from '@semface/protocol';
import { type ConnectOptions, resolveConnectOptions } from './options/connect-options.js';
import { Room } from './room/room.js';

/**
 * Connects to a semface relay and joins a room (the token's, `options.room`, or none for
 * any-room tokens: then call `room.join(name)`). Resolves once the room is joined. Add listeners
 * right after `await connect(...)`: frames are delivered from the next macrotask on.
 *
 * @param url relay WebSocket URL, e.g. `ws://127.0.0.1:8080/v1/relay` (a bare origin gets `/v1/relay`).
 * @throws TypeError / RangeError for invalid options; RelayError (with the relay's close code) when
 *   the relay refuses the token or room; ConnectError, TimeoutError, AbortedError.
 */
export async function connect(url: string | URL, options: ConnectOptions): Promise<Room> {
  const opts = resolveConnectOptions(options);
  return Room.open(relayUrl(url), opts);
}

/** Normalises a relay URL: ws/wss only; an empty path becomes the relay path. */
export function relayUrl(url: string | URL): string {
  if (typeof url !== 'string' && !(url instanceof URL)) throw new TypeError('url must be a string or URL');
  let u: URL;
  try {
    u = new URL(url.toString());
  } catch {
    throw new TypeError(`invalid relay URL '${url.toString()}'`);
  }
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:')
    throw new RangeError(`relay URL must use ws:, wss:, http: or https:, got ${u.protocol}`);
  if (u.pathname === '' || u.pathname === '/') u.pathname = RELAY_PATH;
  return u.toString();
}
