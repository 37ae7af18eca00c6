import type { Bus } from './bus.js';
import { InProcessBus } from './in-process-bus.js';
import { NatsBus } from './nats-bus.js';
import { RedisBus } from './redis-bus.js';

/** Opens the bus named by a URL: `memory`, `nats://...` or `redis://...`. */
export async function createBus(url: string): Promise<Bus> {
  if (url === 'memory') return new InProcessBus();
  if (url.startsWith('nats://')) return NatsBus.connect({ servers: url });
  if (url.startsWith('redis://')) return RedisBus.connect({ url });
  throw new RangeError(`unsupported bus URL '${url}'`);
}
