import { describe, expect, it } from 'vitest';
import { relayUrl } from './connect.js';

describe('relayUrl', () => {
  it('adds the relay path to a bare origin and maps http(s) to ws(s)', () => {
    expect(relayUrl('ws://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/v1/relay');
    expect(relayUrl('https://relay.example.org/')).toBe('wss://relay.example.org/v1/relay');
    expect(relayUrl(new URL('http://h:1'))).toBe('ws://h:1/v1/relay');
  });

  it('keeps an explicit path and query', () => {
    expect(relayUrl('wss://h/custom?x=1')).toBe('wss://h/custom?x=1');
  });

  it('rejects other schemes with RangeError and junk with TypeError', () => {
    expect(() => relayUrl('ftp://h')).toThrow(RangeError);
    expect(() => relayUrl('not a url')).toThrow(TypeError);
    expect(() => relayUrl(42 as never)).toThrow(TypeError);
  });
});
