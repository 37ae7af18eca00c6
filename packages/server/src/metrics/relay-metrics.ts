import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one relay node, on their own registry (never the global one). */
export class RelayMetrics {
  readonly registry = new Registry();
  readonly connections = new Gauge({
    name: 'semface_relay_connections',
    help: 'Open relay WebSocket connections',
    registers: [this.registry],
  });
  readonly rooms = new Gauge({
    name: 'semface_relay_rooms',
    help: 'Rooms with at least one member on this node',
    registers: [this.registry],
  });
  readonly framesIn = new Counter({
    name: 'semface_relay_frames_in_total',
    help: 'Frames received from publishers on this node, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly framesOut = new Counter({
    name: 'semface_relay_frames_out_total',
    help: 'Frames written to subscribers, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly bytesIn = new Counter({
    name: 'semface_relay_bytes_in_total',
    help: 'WebSocket message bytes received from clients',
    registers: [this.registry],
  });
  readonly bytesOut = new Counter({
    name: 'semface_relay_bytes_out_total',
    help: 'WebSocket message bytes written to clients',
    registers: [this.registry],
  });
  readonly dropped = new Counter({
    name: 'semface_relay_frames_dropped_total',
    help: 'Delta frames dropped for slow subscribers (latest_wins, superseded_by_key, queue_full)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'semface_relay_latency_seconds',
    help: 'Time from a frame entering the relay to its write to a subscriber socket',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'semface_relay_errors_total',
    help: 'Errors reported to clients, by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly slowConsumers = new Counter({
    name: 'semface_relay_slow_consumers_total',
    help: 'Subscribers disconnected because reliable frames overflowed their queue',
    registers: [this.registry],
  });
  readonly busMessagesIn = new Counter({
    name: 'semface_relay_bus_messages_in_total',
    help: 'Messages received from the scale-out bus (other nodes)',
    registers: [this.registry],
  });
  readonly busMessagesOut = new Counter({
    name: 'semface_relay_bus_messages_out_total',
    help: 'Messages published to the scale-out bus',
    registers: [this.registry],
  });
  readonly busErrors = new Counter({
    name: 'semface_relay_bus_errors_total',
    help: 'Bus failures (disconnects, publish errors)',
    registers: [this.registry],
  });
  // ---- cluster link (bus authentication, liveness, re-sync) ----
  readonly busRejected = new Counter({
    name: 'semface_relay_bus_rejected_total',
    help: 'Bus messages (or items of them) dropped as invalid, by reason (see cluster/reject-reason.ts)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly clusterNodes = new Gauge({
    name: 'semface_relay_cluster_nodes',
    help: 'Other relay nodes heard within nodeTimeoutMs',
    registers: [this.registry],
  });
  readonly clusterNodesLost = new Counter({
    name: 'semface_relay_cluster_nodes_lost_total',
    help: 'Other nodes declared gone (their peers left every room), by reason (timeout, restart)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly busSync = new Counter({
    name: 'semface_relay_bus_sync_total',
    help: 'Room sync traffic by kind: request, answer (sent), request_/answer_ deferred, coalesced, dropped (rate limited)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly busResyncs = new Counter({
    name: 'semface_relay_bus_resyncs_total',
    help: 'Bus reconnects after which every room re-synced',
    registers: [this.registry],
  });

  readonly processFaults = new Counter({
    name: 'semface_relay_process_faults_total',
    help: 'Unhandled rejections and uncaught exceptions caught by the process guards, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'semface_relay_process_' });
  }
}
