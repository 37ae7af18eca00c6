import { describe, expect, it } from 'vitest';
import { DEMO_DEFAULTS, resolveDemoOptions } from './demo-options.js';

describe('resolveDemoOptions', () => {
  it('applies defaults and keeps given values', () => {
    const o = resolveDemoOptions({ port: 0, input: undefined });
    expect(o.port).toBe(0);
    expect(o.room).toBe(DEMO_DEFAULTS.room);
    expect(o.input).toBeUndefined();
    expect(Object.isFrozen(o)).toBe(true);
    expect([o.coding, o.targetKbps, o.keyFrameIntervalSeconds]).toEqual(['temporal', 2, 2]);
    expect(resolveDemoOptions({ coding: 'intra' }).coding).toBe('intra');
    expect([o.symmetric, resolveDemoOptions({ symmetric: true }).symmetric]).toEqual([false, true]);
  });

  it('throws TypeError for wrong types and RangeError for out-of-range values', () => {
    expect(() => resolveDemoOptions({ port: '80' as unknown as number })).toThrow(TypeError);
    expect(() => resolveDemoOptions({ port: 70000 })).toThrow(RangeError);
    expect(() => resolveDemoOptions({ durationSeconds: 0 })).toThrow(RangeError);
    expect(() => resolveDemoOptions({ room: 'a.b' })).toThrow(RangeError);
    expect(() => resolveDemoOptions({ coding: 'svc' as never })).toThrow(RangeError);
    expect(() => resolveDemoOptions({ coding: 1 as never })).toThrow(TypeError);
    expect(() => resolveDemoOptions({ targetKbps: -1 })).toThrow(RangeError);
    expect(() => resolveDemoOptions({ symmetric: 'yes' as never })).toThrow(TypeError);
  });
});
