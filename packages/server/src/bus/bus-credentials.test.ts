import { describe, expect, it } from 'vitest';
import { redactBusUrl, resolveBusCredentials, splitBusUrl } from './bus-credentials.js';

describe('bus credentials', () => {
  it('splits URL credentials off (percent-decoded); a lone NATS user part is a token', () => {
    expect(splitBusUrl('nats://u:p%40ss@h:4222')).toEqual({
      url: 'nats://h:4222',
      credentials: { user: 'u', password: 'p@ss' },
    });
    expect(splitBusUrl('nats://tok@h:4222')).toEqual({ url: 'nats://h:4222', credentials: { token: 'tok' } });
    expect(splitBusUrl('redis://:pw@h:6379')).toEqual({
      url: 'redis://h:6379',
      credentials: { password: 'pw' },
    });
    expect(splitBusUrl('redis://h:6379')).toEqual({ url: 'redis://h:6379', credentials: {} });
  });

  it('redacts URLs for logs', () => {
    expect(redactBusUrl('redis://u:secret@h:1')).toBe('redis://***@h:1');
    expect(redactBusUrl('nats://h:4222')).toBe('nats://h:4222');
    expect(redactBusUrl('memory')).toBe('memory');
  });

  it('refuses mixed or unsupported methods without naming the secret', () => {
    const bad: Array<[string, Record<string, string>]> = [
      ['nats://u:s3cret@h', { token: 't' }],
      ['nats://h', { user: 'u', password: 's3cret', token: 't' }],
      ['nats://h', { password: 's3cret' }],
      ['redis://h', { token: 's3cret' }],
      ['redis://h', { user: 'u' }],
      ['memory', { password: 's3cret' }],
      ['nats://h', { nkeySeed: 's3cret' }],
    ];
    for (const [url, c] of bad) {
      expect(() => resolveBusCredentials(url, c)).toThrow(RangeError);
      try {
        resolveBusCredentials(url, c);
      } catch (e) {
        expect((e as Error).message).not.toContain('s3cret');
      }
    }
    expect(resolveBusCredentials('redis://h', { password: 'p' }).credentials).toEqual({ password: 'p' });
  });
});
