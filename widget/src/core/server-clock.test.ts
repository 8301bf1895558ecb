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

describe('ServerClock with answers of different precision', () => {
  const server = (local: number) => local + 300_000; // the browser is 5 minutes behind

  it('keeps the offset of the quickest answer: a slow one (a busy browser holding it) is less exact', () => {
    let local = 1_000_000;
    const clock = new ServerClock(() => local);
    clock.observe(server(1_000_010), 1_000_000, 1_000_020); // 20 ms round trip: exact to 10 ms
    expect(clock.offsetMs).toBe(300_000);
    // Answered at once, but handed to the page 900 ms later: half the round trip would put the offset 450 ms off.
    clock.observe(server(1_100_000), 1_100_000, 1_100_900);
    expect(clock.offsetMs).toBe(300_000);
    // A quicker answer still refines it.
    clock.observe(server(1_200_004), 1_200_000, 1_200_004);
    expect(clock.offsetMs).toBe(300_002);
    local = 1_300_000;
    expect(clock.now()).toBe(1_600_002);
  });

  it('takes a less exact answer that contradicts the offset (a clock was set), and any after 10 minutes', () => {
    const clock = new ServerClock(() => 0);
    clock.observe(server(10), 0, 20);
    // 1 minute off, beyond both answers' uncertainty.
    clock.observe(server(1_000) + 60_000, 0, 2_000);
    expect(clock.offsetMs).toBe(360_000);
    clock.observe(server(700_010) + 200, 700_000, 700_020); // more exact again: taken
    expect(clock.offsetMs).toBe(300_200);
    clock.observe(server(1_400_500) + 300, 1_400_000, 1_401_000); // 10 minutes on: taken though less exact
    expect(clock.offsetMs).toBe(300_300);
  });

  it("widens a Date header's whole second into the uncertainty", () => {
    const clock = new ServerClock(() => 0);
    // The header says 12:00:00 for a server time anywhere in 12:00:00.000–.999: the middle is the best guess.
    clock.observe(server(5_000), 4_990, 5_010, 1000);
    expect(clock.offsetMs).toBe(300_500);
    clock.observe(server(6_000) + 123, 5_990, 6_010);
    expect(clock.offsetMs).toBe(300_123);
  });

  it('never steps back a little, so own signed times keep their order; follows a clock set back far', () => {
    let local = 0;
    const clock = new ServerClock(() => local);
    clock.observe(server(50), 0, 100);
    local = 1_000;
    expect(clock.now()).toBe(301_000);
    clock.observe(server(1_001) - 500, 1_000, 1_002); // more exact: 500 ms less
    expect(clock.now()).toBe(301_000);
    local = 1_200;
    expect(clock.now()).toBe(301_000);
    local = 1_600;
    expect(clock.now()).toBe(301_100);
    local = -10_000; // the device's clock was set back 11.6 s
    expect(clock.now()).toBe(289_500);
  });
});
