import { describe, expect, it } from 'vitest';
import { ServerClock } from './server-clock.js';

describe('ServerClock', () => {
  it("follows the server's time, read halfway through the request", () => {
    let local = 1_000_000;
    const clock = new ServerClock(() => local);
    expect(clock.now()).toBe(1_000_000);
    // The browser is 5 minutes behind; the answer took 200 ms.
    clock.observe(1_000_100 + 300_000, 1_000_000, 1_000_200);
    expect(clock.offsetMs).toBe(300_000);
    local += 60_000;
    expect(clock.now()).toBe(1_060_000 + 300_000);
    // Nonsense is ignored.
    clock.observe(Number.NaN, 0, 1);
    expect(clock.offsetMs).toBe(300_000);
  });
});
