import { describe, expect, it } from 'vitest';
import { searchQuality, settingsForBudget } from './budget-search.js';
import { jpegCodec } from './image-codecs.js';
import { type RawImage, resizeRaw } from './raw-image.js';

function pattern(size: number, seed: number): RawImage {
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const x = i % size;
    const y = Math.floor(i / size);
    for (let k = 0; k < 3; k++)
      data[i * 3 + k] = (128 + 100 * Math.sin((x * (k + 1) + seed) / 5) * Math.cos(y / 7)) | 0;
  }
  return { size, channels: 3, data };
}

describe('budget search', () => {
  const images = [pattern(64, 1), pattern(64, 2)];

  it('finds the best JPEG quality that stays within the budget', async () => {
    const budget = 8 * 1500;
    const found = await searchQuality(jpegCodec, images, budget);
    expect(found).toBeDefined();
    expect(found!.bits).toBeLessThanOrEqual(budget);
    const next = await jpegCodec.code(images, found!.quality + 1);
    const nextBits = (8 * next.bytes.reduce((a, b) => a + b, 0)) / next.bytes.length;
    if (found!.quality < 100) expect(nextBits).toBeGreaterThan(budget);
  });

  it('reports a budget below the smallest file as unreachable', async () => {
    expect(await searchQuality(jpegCodec, images, 8 * 50)).toBeUndefined();
  });

  it('drops to smaller images when the budget needs it', async () => {
    const big = await settingsForBudget(jpegCodec, images, [64, 16], 8 * 3000, 1);
    const small = await settingsForBudget(jpegCodec, images, [64, 16], 8 * 330, 1);
    expect(big[0]!.size).toBe(64);
    expect(small[0]?.size).toBe(16);
  });

  it('resizes raw images bilinearly', () => {
    const flat: RawImage = { size: 4, channels: 1, data: new Uint8Array(16).fill(77) };
    const r = resizeRaw(flat, 7);
    expect(r.data.length).toBe(49);
    expect([...r.data].every((v) => v === 77)).toBe(true);
  });
});
