import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONNECT_OPTIONS } from '../connection/backoff.js';
import { DEFAULT_CONNECT_OPTIONS, resolveConnectOptions, resolveMotionLayer } from './connect-options.js';
import { SILENT_LOGGER } from './logger.js';

describe('resolveConnectOptions', () => {
  it('fills defaults and freezes', () => {
    const o = resolveConnectOptions({ token: 't' });
    expect(o).toMatchObject({ ...DEFAULT_CONNECT_OPTIONS, token: 't', reconnect: DEFAULT_RECONNECT_OPTIONS });
    expect(o.logger).toBe(SILENT_LOGGER);
    expect(o.codec).toBeUndefined();
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('keeps reconnect: false and merges partial reconnect options', () => {
    expect(resolveConnectOptions({ token: 't', reconnect: false }).reconnect).toBe(false);
    expect(resolveConnectOptions({ token: 't', reconnect: { maxRetries: 2 } }).reconnect).toMatchObject({
      maxRetries: 2,
      factor: DEFAULT_RECONNECT_OPTIONS.factor,
    });
  });

  it('accepts a token function', () => {
    const token = () => 'x';
    expect(resolveConnectOptions({ token }).token).toBe(token);
  });

  it('throws TypeError for wrong types and unknown keys', () => {
    const bad: unknown[] = [
      { token: 1 },
      { token: 't', room: 3 },
      { token: 't', signal: {} },
      { token: 't', logger: { info() {} } },
      { token: 't', codec: {} },
      { token: 't', WebSocket: 'ws' },
      { token: 't', keyFrameInterval: 1.5 },
      { token: 't', reconnect: true },
      { token: 't', coding: 1 },
      { token: 't', targetKbps: '2' },
      { token: 't', frameRate: Number.NaN },
      { token: 't', maxRemoteStreams: 2.5 },
      { token: 't', maxRemoteFrameBytes: '16384' },
      { token: 't', nope: 1 },
    ];
    for (const o of bad)
      expect(() => resolveConnectOptions(o as never), JSON.stringify(o)).toThrow(TypeError);
    expect(() => resolveConnectOptions(null as never)).toThrow(TypeError);
  });

  it('throws RangeError for out-of-range values', () => {
    const bad: unknown[] = [
      { token: '' },
      { token: 't', coder: 'zip' },
      { token: 't', rateIndex: 256 },
      { token: 't', pingIntervalMs: 10 },
      { token: 't', maxPendingFrames: 0 },
      { token: 't', maxRemoteStreams: 0 },
      { token: 't', maxRemoteStreams: 257 },
      { token: 't', maxRemoteStreamsTotal: 0 },
      { token: 't', maxRemoteFrameBytes: 63 },
      { token: 't', pingIntervalMs: 5000, idleTimeoutMs: 4000 },
      { token: 't', coding: 'svc' },
      { token: 't', targetKbps: -1 },
      { token: 't', frameRate: 0 },
      { token: 't', keyFrameIntervalSeconds: 3601 },
    ];
    for (const o of bad)
      expect(() => resolveConnectOptions(o as never), JSON.stringify(o)).toThrow(RangeError);
    expect(resolveConnectOptions({ token: 't', idleTimeoutMs: 0 }).idleTimeoutMs).toBe(0);
    expect(resolveConnectOptions({ token: 't', targetKbps: 0, coding: 'intra' })).toMatchObject({
      targetKbps: 0,
      coding: 'intra',
    });
  });
});

describe('motionLayer', () => {
  it('auto picks latent below 1.5 kbit/s and transform from there up or without rate control', () => {
    expect(resolveMotionLayer('auto', 1)).toBe('latent');
    expect(resolveMotionLayer('auto', 1.49)).toBe('latent');
    expect(resolveMotionLayer('auto', 1.5)).toBe('transform');
    expect(resolveMotionLayer('auto', 2)).toBe('transform');
    expect(resolveMotionLayer('auto', 0)).toBe('transform');
    expect(resolveMotionLayer('latent', 2)).toBe('latent');
    expect(resolveMotionLayer('transform', 1)).toBe('transform');
  });

  it('a task label makes auto the transform layer and refuses the latent one', () => {
    expect(resolveMotionLayer('auto', 1, true)).toBe('transform');
    const taskLabel = (d: Float32Array) => d[80]! > 0;
    expect(resolveConnectOptions({ token: 't', taskLabel, targetKbps: 1 }).taskLabel).toBe(taskLabel);
    expect(resolveConnectOptions({ token: 't' }).taskLabel).toBeUndefined();
    expect(() => resolveConnectOptions({ token: 't', taskLabel: 'expression' as never })).toThrow(TypeError);
    expect(() => resolveConnectOptions({ token: 't', taskLabel, motionLayer: 'latent' })).toThrow(RangeError);
  });

  it('defaults to auto and refuses unknown layers', () => {
    expect(resolveConnectOptions({ token: 't' }).motionLayer).toBe('auto');
    expect(() => resolveConnectOptions({ token: 't', motionLayer: 'pca' as never })).toThrow(RangeError);
    expect(() => resolveConnectOptions({ token: 't', motionLayer: 3 as never })).toThrow(TypeError);
  });

  it('codes partial profiles with their own models unless told full', () => {
    expect(resolveConnectOptions({ token: 't' }).partialProfileModel).toBe('own');
    expect(resolveConnectOptions({ token: 't', partialProfileModel: 'full' }).partialProfileModel).toBe(
      'full',
    );
    expect(() => resolveConnectOptions({ token: 't', partialProfileModel: 'identity' as never })).toThrow(
      RangeError,
    );
    expect(() => resolveConnectOptions({ token: 't', partialProfileModel: true as never })).toThrow(
      TypeError,
    );
  });
});
