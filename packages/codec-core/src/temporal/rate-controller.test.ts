import { describe, expect, it } from 'vitest';
import { RateController } from './rate-controller.js';

const settings = {
  targetBitrate: 1000,
  frameRate: 25,
  rateIndices: [0, 1, 2],
  initialRateIndex: 2,
  baseDeadZone: 1,
  maxDeadZone: 4,
};

describe('rate controller', () => {
  it('steps the rate point down after a group of pictures over target, up after one far below', () => {
    const rc = new RateController(settings);
    expect(rc.keyFrameRateIndex()).toBe(2);
    for (let i = 0; i < 50; i++) rc.record(80); // 2000 bit/s
    expect(rc.keyFrameRateIndex()).toBe(1);
    for (let i = 0; i < 50; i++) rc.record(80);
    expect(rc.keyFrameRateIndex()).toBe(0);
    for (let i = 0; i < 50; i++) rc.record(80);
    expect(rc.keyFrameRateIndex()).toBe(0);
    for (let i = 0; i < 50; i++) rc.record(8); // 200 bit/s
    expect(rc.keyFrameRateIndex()).toBe(1);
    for (let i = 0; i < 50; i++) rc.record(36); // 900 bit/s: within the hysteresis band
    expect(rc.keyFrameRateIndex()).toBe(1);
  });

  it('raises the dead zone while over budget and returns to the base when back under', () => {
    const rc = new RateController(settings);
    expect(rc.deadZone()).toBe(1);
    rc.record(400); // 360 bits over: 2 steps of 250
    expect(rc.deadZone()).toBe(3);
    rc.record(4000);
    expect(rc.deadZone()).toBe(4);
    for (let i = 0; i < 200; i++) rc.record(0);
    expect(rc.deadZone()).toBe(0); // full credit banked: one below the base
    rc.record(40 + 100); // 100 bits spent from the 500-bit credit: back to the base
    expect(rc.deadZone()).toBe(1);
  });

  it('keeps the base dead zone and rate point with rate control off', () => {
    const rc = new RateController({ ...settings, targetBitrate: 0 });
    rc.record(100000);
    expect(rc.deadZone()).toBe(1);
    expect(rc.keyFrameRateIndex()).toBe(2);
  });
});
