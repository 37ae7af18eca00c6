import { RelayErrorCode, type RelayErrorName } from '@semface/protocol';
import { describe, expect, it } from 'vitest';
import { closeReason } from './connection.js';

describe('closeReason', () => {
  it('is fixed ASCII within the 123 bytes RFC 6455 allows, for every error kind', () => {
    for (const kind of Object.keys(RelayErrorCode) as RelayErrorName[]) {
      const r = closeReason(kind);
      expect(Buffer.byteLength(r)).toBeLessThanOrEqual(123);
      expect(r).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});
