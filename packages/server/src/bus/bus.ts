/** Receives one message published to a room on the bus. */
export type BusHandler = (data: Uint8Array) => void;

/** Stops one subscription. */
export type BusUnsubscribe = () => Promise<void>;

/**
 * Relay-to-relay message bus: one channel per room. Messages are opaque bytes (encoded
 * `semface.v1.BusMessage`). Delivery is at-most-once; a subscriber also receives its own
 * node's messages (relays filter by origin node).
 */
export interface Bus {
  /** Adapter name for logs and metrics (`memory`, `nats`, `redis`). */
  readonly kind: string;
  /** True while the bus can carry messages (for /readyz). */
  readonly connected: boolean;
  /** Publishes to a room; never throws (failures are counted and reported via onError). */
  publish(room: string, data: Uint8Array): void;
  /** Subscribes to a room. */
  subscribe(room: string, handler: BusHandler): Promise<BusUnsubscribe>;
  /** Registers a listener for asynchronous failures (disconnects, publish errors). */
  onError(listener: (err: Error) => void): void;
  /** Closes the connection(s); idempotent. */
  close(): Promise<void>;
}
