// The estimator is a lazily loaded chunk: a load that fails (offline, the page leaving) must not stick.
import { describe, expect, it, vi } from 'vitest';

let failNextLoad = true;
vi.mock('./password-estimator.js', async (importOriginal) => {
  if (failNextLoad) {
    failNextLoad = false;
    throw new Error('Failed to fetch dynamically imported module');
  }
  return importOriginal();
});

describe('the password estimator chunk', () => {
  it('a failed preload is swallowed, and the next check loads the chunk again', async () => {
    const { judgeBackupPassword, preloadPasswordEstimator } = await import('./password-strength.js');
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    preloadPasswordEstimator();
    await new Promise((r) => setTimeout(r, 50));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
    expect(failNextLoad).toBe(false);
    await expect(judgeBackupPassword('violet-harbor-tundra-79', ['Alice'])).resolves.toBe('ok');
  });
});
