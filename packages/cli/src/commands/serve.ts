import { randomBytes } from 'node:crypto';
import {
  RELAY_ENV_VARS,
  createRelayServer,
  installProcessGuards,
  isLoopbackHost,
  relayOptionsFromArgs,
} from '@semface/server';
import type { Command } from '../command.js';

const USAGE = `Usage: semface serve [options]

Runs the relay server (WebSocket endpoint /v1/relay, /healthz, /readyz, /metrics) until SIGINT/SIGTERM,
then drains and exits. Every option also reads an environment variable (flags win).

Options:
  --token-secret S           HS256 token secret, >= 32 bytes (env SEMFACE_TOKEN_SECRET; required unless --dev)
  --host H                   interface (default 127.0.0.1; env SEMFACE_RELAY_HOST)
  --port N                   TCP port, 0 = any (default 8080; env SEMFACE_RELAY_PORT)
  --bus URL                  memory | nats://host:4222 | redis://host:6379 (default memory; env SEMFACE_RELAY_BUS)
  --node-id ID               node id in a cluster (default random; env SEMFACE_RELAY_NODE_ID)
  --dev-token-endpoint       serve POST /v1/dev/token to loopback clients (development only; default off)
  --dev                      development mode: a random secret and the dev token endpoint, on a loopback
                             host only; refused when a token secret is configured (flag or env)
  --log-level L              fatal|error|warn|info|debug|trace|silent (default info; env SEMFACE_LOG_LEVEL)
  --max-message-bytes N      largest accepted message (default 65536)
  --high-water-bytes N       socket backlog before relay-side queueing (default 65536)
  --max-queue-messages N     per-subscriber queue, messages (default 256)
  --max-queue-bytes N        per-subscriber queue, bytes (default 1048576)
  --heartbeat-ms N           ping period; a silent peer is dropped after one (default 15000)
  --rate-messages N          messages/s per connection (default 200; burst --rate-burst-messages 400)
  --rate-bytes N             bytes/s per connection (default 1048576; burst --rate-burst-bytes 2097152)
  --drain-timeout-ms N       shutdown drain budget (default 5000)
Hostile-peer limits (docs/security.md):
  --max-token-ttl S          longest accepted token lifetime, seconds (default 86400)
  --token-clock-skew S       tolerated clock difference on iat/exp, seconds (default 30)
  --max-connections-per-ip N         open sockets per client IP (default 64; more get HTTP 429)
  --max-connections-per-identity N   open sockets per token identity (default 8; more close 4015)
  --rate-control N           Join/Leave/KeyFrameRequest/Ping per second (default 20; burst --rate-burst-control 100)
  --rate-rejected N          rejected messages per second before close 4008 (default 5; burst --rate-burst-rejected 50)
  --key-request-interval-ms N  key-frame requests to one publisher stream are coalesced within this (default 200)
  --max-cached-frames-per-publisher N  replay cache entries per publisher (default 16)
  --max-cached-bytes-per-room N        replay cache bytes per room (default 2097152)
  --max-cached-frame-bytes N           largest cached frame (default 16384)
  --headers-timeout-ms N     time for HTTP/upgrade headers (default 10000)
  --metrics-port N           serve /metrics on this port (on --metrics-host, default 127.0.0.1) instead
  --metrics-token T          bearer token for /metrics on the public port (default: loopback clients only)
Cluster (docs/security.md, "The bus"):
  --bus-user USER            bus user (NATS user / Redis ACL user) (env SEMFACE_RELAY_BUS_USER)
  --bus-password PW          bus password; alone = Redis requirepass (env SEMFACE_RELAY_BUS_PASSWORD; prefer env)
  --bus-token TOKEN          NATS auth token (env SEMFACE_RELAY_BUS_TOKEN)
  --bus-nkey-seed SEED       NATS nkey user seed SU... (env SEMFACE_RELAY_BUS_NKEY_SEED)
  --bus-secret S             cluster secret signing bus messages, >= 32 bytes (default: derived from the token secret)
  --cluster-heartbeat-ms N   node heartbeat period (default 1000)
  --node-timeout-ms N        a node silent this long is dead, its peers leave (default 3000)
  --cluster-sync-interval-ms N  shortest time between room syncs (default 1000)
See docs/relay.md and docs/security.md for every option and its environment variable.`;

/** `semface serve`: runs a relay node. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the relay server (rooms, auth, fan-out, metrics)',
  usage: USAGE,
  async run(argv) {
    const dev = argv.includes('--dev');
    const opts = relayOptionsFromArgs(
      argv.filter((a) => a !== '--dev'),
      process.env,
    );
    if (dev) {
      // A configured secret means tokens that matter: never open a minting endpoint beside them.
      if (opts.tokenSecret) {
        process.stderr.write(
          `semface serve: --dev mints tokens for anyone; it cannot run with a configured token secret (--token-secret / ${RELAY_ENV_VARS.tokenSecret})\n`,
        );
        return 2;
      }
      if (opts.host !== undefined && !isLoopbackHost(opts.host)) {
        process.stderr.write(`semface serve: --dev listens on loopback only, not on '${opts.host}'\n`);
        return 2;
      }
      opts.devTokenEndpoint = true;
      opts.tokenSecret = randomBytes(32).toString('hex');
      process.stderr.write('semface serve: --dev: using a random token secret for this run\n');
    }
    if (!opts.tokenSecret) {
      process.stderr.write(
        `semface serve: a token secret is required (--token-secret or ${RELAY_ENV_VARS.tokenSecret}), or use --dev\n`,
      );
      return 2;
    }
    const server = createRelayServer({ ...opts, tokenSecret: opts.tokenSecret });
    const removeGuards = installProcessGuards(server);
    const addr = await server.start();
    process.stdout.write(`semface relay listening on ${addr.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    removeGuards();
    return 0;
  },
};
