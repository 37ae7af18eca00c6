import { parseArgs } from 'node:util';
import { SemfaceCodec } from '@semface/codec-core';
import {
  AvatarBridge,
  type AvatarBridgeOptions,
  type VmcBlendNames,
  connect,
  parseOscTarget,
} from '@semface/sdk';
import type { Command } from '../command.js';

const USAGE = `Usage: semface bridge --relay URL --token JWT [--room ROOM] [--vmc HOST:PORT] [--vrchat HOST:PORT] [options]

Joins a relay room, decodes a publisher's descriptors and drives avatar apps over UDP:
  --vmc      VMC protocol (VSeeFace, VNyan, Warudo, ...): /VMC/Ext/Blend/Val + /VMC/Ext/Blend/Apply,
             /VMC/Ext/Bone/Pos for Neck and Head (VMC's usual port: 39539)
  --vrchat   VRChat OSC face tracking, /avatar/parameters/v2/... (VRChat listens on 127.0.0.1:9000)
Weights come from the SDK rig (ARKit-52 and VRM presets, docs/avatars.md). Runs until Ctrl-C.

Options:
  --relay URL           relay WebSocket URL, e.g. ws://127.0.0.1:8080 (required)
  --token JWT           subscribe token (required; semface token --identity bridge --no-publish)
  --room ROOM           room to join (default: the token's)
  --identity NAME       follow this publisher (default: the first one heard)
  --blend-names LIST    VMC name sets, comma separated: vrm0, vrm1, arkit (default vrm0,arkit)
  --arkit-case C        ARKit names in VMC as pascal (EyeBlinkLeft) or camel (eyeBlinkLeft) (default pascal)
  --gaze G              camera (eyes look into the lens) or ahead (default camera)
  --duration S          stop after S seconds (default: run until interrupted)
  --models DIR          codec model folder (default: models shipped with codec-core)`;

/** `semface bridge`: relay room -> VMC / VRChat OSC over UDP. */
export const bridgeCommand: Command = {
  name: 'bridge',
  summary: 'drive VMC / VRChat avatars from a relay room (UDP OSC)',
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        relay: { type: 'string' },
        token: { type: 'string' },
        room: { type: 'string' },
        vmc: { type: 'string' },
        vrchat: { type: 'string' },
        identity: { type: 'string' },
        'blend-names': { type: 'string', default: 'vrm0,arkit' },
        'arkit-case': { type: 'string', default: 'pascal' },
        gaze: { type: 'string', default: 'camera' },
        duration: { type: 'string' },
        models: { type: 'string' },
      },
      strict: true,
    });
    if (!values.relay || !values.token || (!values.vmc && !values.vrchat)) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const duration = values.duration === undefined ? undefined : Number(values.duration);
    if (duration !== undefined && !(duration > 0))
      throw new RangeError(`--duration must be > 0, got '${values.duration}'`);
    const options: AvatarBridgeOptions = {
      ...(values.vmc ? { vmc: parseOscTarget(values.vmc) } : {}),
      ...(values.vrchat ? { vrchat: parseOscTarget(values.vrchat) } : {}),
      ...(values.identity ? { identity: values.identity } : {}),
      rig: { gaze: values.gaze as 'camera' | 'ahead' },
      vmcOptions: {
        blendNames: values['blend-names'].split(',').map((s) => s.trim()) as VmcBlendNames[],
        arkitCase: values['arkit-case'] as 'pascal' | 'camel',
      },
      onError: (err) => process.stderr.write(`bridge: ${err.code}: ${err.message}\n`),
    };
    const codec = values.models ? await SemfaceCodec.load({ modelsDir: values.models }) : undefined;
    const room = await connect(values.relay, {
      token: values.token,
      ...(values.room ? { room: values.room } : {}),
      ...(codec ? { codec } : {}),
    });
    const bridge = await AvatarBridge.open(room, options);
    const targets = [values.vmc && `VMC -> ${values.vmc}`, values.vrchat && `VRChat OSC -> ${values.vrchat}`]
      .filter(Boolean)
      .join(', ');
    process.stdout.write(`bridging ${values.relay}: ${targets}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        clearTimeout(timer);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const timer = duration === undefined ? undefined : setTimeout(stop, duration * 1000);
    });
    await bridge.close();
    room.dispose();
    process.stdout.write(`sent ${bridge.sent} frames (${bridge.dropped} dropped while sending)\n`);
    return 0;
  },
};
