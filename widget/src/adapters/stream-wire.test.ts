import { describe, expect, it } from 'vitest';
import { UploadOrigins } from './stream-wire.js';

describe('upload origins', () => {
  it("fetches only from Stream's CDN, the Stream API host and origins of this session's own uploads", () => {
    const origins = new UploadOrigins();
    origins.setApi('http://127.0.0.1:8790');
    origins.add('http://127.0.0.1:8792/uploads/1/blob.bin?Signature=x');
    expect(origins.allows('https://us-east.stream-io-cdn.com/1/attachments/a?Signature=x')).toBe(true);
    expect(origins.allows('http://127.0.0.1:9999/anything')).toBe(true); // the API's host, any port
    expect(origins.allows('http://127.0.0.1:8792/uploads/2/blob.bin')).toBe(true);
    // Links a member or a tampered server could put into a message.
    expect(origins.allows('https://attacker.example/collect')).toBe(false);
    expect(origins.allows('https://stream-io-cdn.com.attacker.example/x')).toBe(false);
    expect(origins.allows('javascript:alert(1)')).toBe(false);
    expect(origins.allows('not a url')).toBe(false);
  });
});
