import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core/layout';
import { describe, expect, it } from 'vitest';
import { LiveLinkCsvError } from '../errors.js';
import { ARKIT_BLENDSHAPES } from './arkit.js';
import { FaceRig } from './face-rig.js';
import {
  LIVE_LINK_CSV_HEADER,
  LIVE_LINK_CURVES,
  liveLinkCsvRow,
  liveLinkTimecode,
  parseLiveLinkCsv,
} from './livelink-csv.js';
import { parseOscTarget } from './osc-udp.js';
import { resolveVmcOptions, vmcMessages } from './vmc.js';
import { vrchatMessages } from './vrchat.js';

function frames(n: number) {
  const rig = new FaceRig();
  return Array.from({ length: n }, (_, i) => {
    const d = new Float32Array(DESCRIPTOR_LENGTH);
    d[DescriptorField.expression.start] = Math.sin(i / 3);
    d[DescriptorField.expression.start + 1] = Math.cos(i / 5);
    d[DescriptorField.rotation.start + 1] = 0.2 * Math.sin(i / 7);
    return rig.solve(d);
  });
}

describe('Live Link Face CSV', () => {
  it('writes Timecode, BlendShapeCount and 61 curves that parse back to the same weights', () => {
    const fs = frames(40);
    const text = [LIVE_LINK_CSV_HEADER, ...fs.map((f, i) => liveLinkCsvRow(f, i / 30, 30))].join('\n');
    const header = LIVE_LINK_CSV_HEADER.split(',');
    expect(header).toHaveLength(63);
    expect(header.slice(0, 3)).toEqual(['Timecode', 'BlendShapeCount', 'EyeBlinkLeft']);
    expect(header.slice(-9, -6)).toEqual(['HeadYaw', 'HeadPitch', 'HeadRoll']);
    expect(LIVE_LINK_CURVES).toHaveLength(61);
    const take = parseLiveLinkCsv(text, 30);
    expect(take.rows).toHaveLength(40);
    take.rows.forEach((r, i) => {
      expect(r.seconds).toBeCloseTo(i / 30, 3);
      for (const n of ARKIT_BLENDSHAPES) expect(r.arkit[n]).toBeCloseTo(fs[i]!.arkit[n], 5);
      expect(r.values.HeadYaw).toBeCloseTo(fs[i]!.head.yaw, 5);
    });
    expect(text.split('\n')[2]!.split(',')[1]).toBe('61');
  });

  it('formats timecodes as HH:MM:SS:FF.fff', () => {
    expect(liveLinkTimecode(0, 30)).toBe('00:00:00:00.000');
    expect(liveLinkTimecode(3661 + 15 / 30, 30)).toBe('01:01:01:15.000');
    expect(liveLinkTimecode(1 / 60, 30)).toBe('00:00:00:00.500');
  });

  it('rejects files that are not Live Link CSVs, naming the line', () => {
    expect(() => parseLiveLinkCsv('a,b,c\n1,2,3')).toThrow(LiveLinkCsvError);
    const bad = `${LIVE_LINK_CSV_HEADER}\n00:00:00:01.000,61,x`;
    try {
      parseLiveLinkCsv(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LiveLinkCsvError);
      expect((err as LiveLinkCsvError).line).toBe(2);
      expect((err as LiveLinkCsvError).code).toBe('SEMFACE_ERR_SDK_LIVELINK_CSV_INVALID');
    }
  });
});

describe('VMC and VRChat messages', () => {
  it('VMC: bones, every blendshape as a float in [0, 1], Apply last', () => {
    const [f] = frames(1);
    const msgs = vmcMessages(f!, 1.5, resolveVmcOptions({ blendNames: ['vrm0', 'vrm1', 'arkit'] }));
    expect(msgs[msgs.length - 1]!.address).toBe('/VMC/Ext/Blend/Apply');
    const bones = msgs.filter((m) => m.address === '/VMC/Ext/Bone/Pos');
    expect(bones.map((b) => b.args[0]!.value)).toEqual(['Neck', 'Head']);
    for (const b of bones) expect(b.args.slice(1).every((a) => a.type === 'f')).toBe(true);
    const blends = msgs.filter((m) => m.address === '/VMC/Ext/Blend/Val');
    expect(blends).toHaveLength(17 + 17 + 52);
    const names = blends.map((b) => b.args[0]!.value);
    expect(names).toContain('A');
    expect(names).toContain('Blink_L');
    expect(names).toContain('aa');
    expect(names).toContain('EyeBlinkLeft');
    for (const b of blends) {
      expect(b.args[1]!.type).toBe('f');
      expect(b.args[1]!.value as number).toBeGreaterThanOrEqual(0);
      expect(b.args[1]!.value as number).toBeLessThanOrEqual(1);
    }
    expect(() => resolveVmcOptions({ blendNames: [] })).toThrow(TypeError);
    expect(() => resolveVmcOptions({ blendNames: ['vrm2' as 'vrm0'] })).toThrow(RangeError);
  });

  it('VRChat: v2 parameters as floats, ranges as documented', () => {
    const [f] = frames(1);
    const msgs = vrchatMessages(f!, Math.PI / 6);
    const byName = new Map(msgs.map((m) => [m.address.replace('/avatar/parameters/v2/', ''), m.args[0]!]));
    expect(byName.get('JawOpen')?.value).toBeCloseTo(f!.arkit.jawOpen, 9);
    for (const [name, a] of byName) {
      expect(a.type, name).toBe('f');
      const lo = /X$|^EyeY$|SmileFrown/.test(name) ? -1 : 0;
      expect(a.value as number, name).toBeGreaterThanOrEqual(lo);
      expect(a.value as number, name).toBeLessThanOrEqual(1);
    }
  });

  it('parses host:port targets', () => {
    expect(parseOscTarget('127.0.0.1:39539')).toEqual({ host: '127.0.0.1', port: 39539 });
    expect(parseOscTarget('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(() => parseOscTarget('localhost')).toThrow(TypeError);
    expect(() => parseOscTarget('localhost:70000')).toThrow(RangeError);
  });
});
