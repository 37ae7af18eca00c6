import { spawn } from 'node:child_process';
import { type Socket, createSocket } from 'node:dgram';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { AvatarBridge, ARKIT_BLENDSHAPES, type RigFrame, type Room, connect } from '@semface/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_MODELS_DIR,
  type TestRelay,
  fixtureCodec,
  makeDescriptor,
  startRelay,
  until,
} from '../sdk/helpers.js';

// The OSC library the bridge sends with (a dependency of the SDK), to parse what arrives.
const { decode } = createRequire(new URL('../../packages/sdk/package.json', import.meta.url))(
  'node-osc',
) as typeof import('node-osc');

interface OscMsg {
  address: string;
  args: unknown[];
}

/** A real UDP socket on loopback that decodes every datagram (messages and bundles, flattened). */
async function listen(): Promise<{ socket: Socket; port: number; messages: OscMsg[]; datagrams: number[] }> {
  const socket = createSocket('udp4');
  const messages: OscMsg[] = [];
  const datagrams: number[] = [];
  const flatten = (p: {
    oscType: string;
    address?: string;
    args?: { value: unknown }[];
    elements?: unknown[];
  }) => {
    if (p.oscType === 'bundle') for (const e of p.elements ?? []) flatten(e as typeof p);
    else messages.push({ address: p.address!, args: (p.args ?? []).map((a) => a.value) });
  };
  socket.on('message', (buf) => {
    datagrams.push(buf.length);
    flatten(decode(buf) as Parameters<typeof flatten>[0]);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, messages, datagrams };
}

describe('semface bridge: relay stream -> VMC and VRChat OSC over UDP', () => {
  let relay: TestRelay;
  const rooms: Room[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    for (const r of rooms) r.dispose();
    for (const s of sockets) s.close();
    await relay.server.close();
  });

  it('a UDP listener receives and parses VMC and VRChat messages for every published frame', async () => {
    const vmc = await listen();
    const vrc = await listen();
    sockets.push(vmc.socket, vrc.socket);
    const codec = await fixtureCodec();
    const pub = await connect(relay.url, {
      token: await relay.token('performer', 'stage'),
      codec,
      coding: 'intra',
    });
    const sub = await connect(relay.url, {
      token: await relay.token('bridge', 'stage', { canPublish: false }),
      codec,
      coding: 'intra',
    });
    rooms.push(pub, sub);
    const frames: RigFrame[] = [];
    const bridge = await AvatarBridge.open(sub, {
      vmc: { host: '127.0.0.1', port: vmc.port },
      vrchat: { host: '127.0.0.1', port: vrc.port },
      onFrame: (f) => frames.push(f),
    });
    const count = 8;
    for (let k = 0; k < count; k++) {
      await pub.publish(makeDescriptor(k));
      // One frame at a time, so none is dropped while the previous one is being sent.
      await until(() => frames.length === k + 1, `frame ${k} bridged`);
    }
    const applies = () => vmc.messages.filter((m) => m.address === '/VMC/Ext/Blend/Apply').length;
    const jaws = () => vrc.messages.filter((m) => m.address === '/avatar/parameters/v2/JawOpen');
    await until(() => applies() === count && jaws().length === count, 'all UDP datagrams');
    await bridge.close();
    expect(bridge.sent).toBe(count);

    // VMC: bundles under one MTU, Neck + Head bones, every blendshape a float in [0, 1], Apply per frame.
    expect(Math.max(...vmc.datagrams)).toBeLessThanOrEqual(1400);
    const heads = vmc.messages.filter((m) => m.address === '/VMC/Ext/Bone/Pos' && m.args[0] === 'Head');
    expect(heads).toHaveLength(count);
    for (const h of heads) {
      expect(h.args).toHaveLength(8);
      const [qx, qy, qz, qw] = h.args.slice(4) as number[];
      expect(Math.hypot(qx!, qy!, qz!, qw!)).toBeCloseTo(1, 4);
    }
    const blends = vmc.messages.filter((m) => m.address === '/VMC/Ext/Blend/Val');
    expect(blends).toHaveLength(count * (17 + 52));
    const names = new Set(blends.map((b) => b.args[0]));
    for (const n of [
      'A',
      'I',
      'U',
      'E',
      'O',
      'Blink_L',
      'Blink_R',
      'Joy',
      'EyeBlinkLeft',
      'JawOpen',
      'TongueOut',
    ])
      expect(names.has(n), n).toBe(true);
    for (const b of blends) {
      expect(b.args[1]).toBeGreaterThanOrEqual(0);
      expect(b.args[1]).toBeLessThanOrEqual(1);
    }
    // The values are the rig's: JawOpen of frame k in VMC and VRChat = the bridged frame's jawOpen.
    const vmcJaw = blends.filter((b) => b.args[0] === 'JawOpen').map((b) => b.args[1] as number);
    jaws().forEach((m, k) => {
      expect(m.args[0]).toBeCloseTo(frames[k]!.arkit.jawOpen, 5);
      expect(vmcJaw[k]).toBeCloseTo(frames[k]!.arkit.jawOpen, 5);
    });
    // Different faces give different weights (the stream drives the avatar).
    expect(new Set(vmcJaw.map((v) => v.toFixed(4))).size).toBeGreaterThan(1);
    const vrcNames = new Set(vrc.messages.map((m) => m.address));
    for (const n of ['EyeLidLeft', 'EyeLidRight', 'EyeLeftX', 'EyeY', 'SmileFrownLeft', 'LipPucker'])
      expect(vrcNames.has(`/avatar/parameters/v2/${n}`), n).toBe(true);
    expect(ARKIT_BLENDSHAPES).toHaveLength(52);
  });
});

describe('semface bridge (the CLI command) against a real relay', () => {
  let relay: TestRelay;
  const rooms: Room[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    for (const r of rooms) r.dispose();
    for (const s of sockets) s.close();
    await relay.server.close();
  });

  it('forwards a publisher to VRChat OSC until interrupted, then reports what it sent', async () => {
    const vrc = await listen();
    sockets.push(vrc.socket);
    const token = await relay.token('bridge-cli', 'cli', { canPublish: false });
    const cli = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
    const child = spawn(
      'node',
      [
        cli,
        'bridge',
        '--relay',
        relay.url,
        '--token',
        token,
        '--vrchat',
        `127.0.0.1:${vrc.port}`,
        '--models',
        FIXTURE_MODELS_DIR,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => {
      stdout += b;
    });
    child.stderr.on('data', (b) => {
      stderr += b;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await until(() => stdout.includes('bridging'), 'the bridge to join', 20_000);
    const pub = await connect(relay.url, {
      token: await relay.token('performer', 'cli'),
      codec: await fixtureCodec(),
      coding: 'intra',
    });
    rooms.push(pub);
    const jaws = () => vrc.messages.filter((m) => m.address === '/avatar/parameters/v2/JawOpen');
    for (let k = 0; k < 5; k++) {
      await pub.publish(makeDescriptor(100 + k));
      await until(() => jaws().length >= k + 1, `frame ${k} over UDP`);
    }
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    expect(stdout).toMatch(/sent 5 frames/);
    for (const m of jaws()) expect(m.args[0]).toSatisfy((v: number) => v >= 0 && v <= 1);
  });
});
