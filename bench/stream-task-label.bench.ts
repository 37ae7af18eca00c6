import { DESCRIPTOR_LENGTH, DescriptorField, SemfaceCodec } from '@semface/codec-core';
import { ReceiverHeads } from '@semface/sdk';
import { bench, describe } from 'vitest';

// Temporal stream encoder, transform layer at 1 kbit/s, with and without keeping the SDK expression
// head's label (TemporalStreamOptions.taskLabel). Goal: with the label <= 5 ms per frame on one thread
// (a fifth of a 25 fps frame; the head runs ~2.5 times per frame on the talking-head clips).
const codec = await SemfaceCodec.load();
const heads = await ReceiverHeads.load();

/** A face whose expression and pose move smoothly (labels change now and then). */
const frames = Array.from({ length: 250 }, (_, t) => {
  const d = new Float32Array(DESCRIPTOR_LENGTH);
  const e = DescriptorField.expression;
  for (let i = e.start; i < e.end; i++) d[i] = 1.5 * Math.sin(t / 9 + i) * Math.exp(-(i - e.start) / 16);
  const r = DescriptorField.rotation;
  for (let i = r.start; i < r.end; i++) d[i] = 0.1 * Math.sin(t / 20 + i);
  return d;
});

function encoder(label: boolean) {
  return codec.createStreamEncoder({
    coding: 'temporal',
    motionLayer: 'transform',
    targetBitrate: 1000,
    frameRate: 25,
    ...(label ? { taskLabel: (d: Float32Array) => heads.expressionLabel(d) } : {}),
  });
}

describe('temporal stream encoder, 250 frames at 1 kbit/s (ms per frame = 1000 / (hz x 250))', () => {
  bench('transform layer', async () => {
    const enc = encoder(false);
    for (const d of frames) await enc.encodeFrame(d);
  });
  bench('transform layer, keeping the expression label', async () => {
    const enc = encoder(true);
    for (const d of frames) await enc.encodeFrame(d);
  });
});
