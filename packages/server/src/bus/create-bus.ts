import type { Bus } from './bus.js';
import type { BusCredentials } from './bus-credentials.js';
import { InProcessBus } from './in-process-bus.js';
import { NatsBus } from './nats-bus.js';
import { RedisBus } from './redis-bus.js';

/**
 * Opens the bus named by a URL: `memory`, `nats://...` or `redis://...`, authenticating with
 * `credentials` or with credentials embedded in the URL.
 */
export async function createBus(url: string, credentials: BusCredentials = {}): Promise<Bus> {
  if (url === 'memory') return new InProcessBus();
  if (url.startsWith('nats://')) return NatsBus.connect({ servers: url, credentials });
  if (url.startsWith('redis://')) return RedisBus.connect({ url, credentials });
  throw new RangeError('unsupported bus URL (memory, nats://... or redis://...)');
}
