/** Receives one message published to a room (or the cluster channel) on the bus. */
export type BusHandler = (data: Uint8Array) => void;

/** Stops one subscription. */
export type BusUnsubscribe = () => Promise<void>;

/**
 * Relay-to-relay message bus: one channel per room plus one cluster channel (node heartbeats)
 * that no room name can reach. Messages are opaque bytes (signed, encoded
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
  /** Publishes to the cluster channel; never throws. */
  publishCluster(data: Uint8Array): void;
  /** Subscribes to the cluster channel. */
  subscribeCluster(handler: BusHandler): Promise<BusUnsubscribe>;
  /** Registers a listener for asynchronous failures (disconnects, publish errors). */
  onError(listener: (err: Error) => void): void;
  /**
   * Registers a listener called each time the bus is back after a drop, once its subscriptions
   * are active again (messages published meanwhile by other nodes were lost).
   */
  onReconnect(listener: () => void): void;
  /** Closes the connection(s); idempotent. */
  close(): Promise<void>;
}
