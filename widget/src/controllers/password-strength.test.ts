import { describe, expect, it } from 'vitest';
import { judgeBackupPassword } from './password-strength.js';

describe('judgeBackupPassword', () => {
  it('refuses short passwords before loading anything', async () => {
    expect(await judgeBackupPassword('Tr0ub4!', [])).toBe('too-short');
  });

  it('refuses common and patterned passwords that pass a length rule', async () => {
    for (const weak of ['password123', 'qwertyuiop', '12345678910', 'iloveyou2024', 'abcdefghij'])
      expect(await judgeBackupPassword(weak, []), weak).toBe('too-guessable');
  });

  it('counts the user’s own name and the product as known to an attacker', async () => {
    expect(await judgeBackupPassword('alicepatient1', [])).toBe('ok');
    expect(await judgeBackupPassword('alicepatient1', ['Alice Patient'])).toBe('too-guessable');
    expect(await judgeBackupPassword('securechat2026', ['secure chat'])).toBe('too-guessable');
  });

  it('accepts passphrases', async () => {
    expect(await judgeBackupPassword('correct horse battery', [])).toBe('ok');
    expect(await judgeBackupPassword('lantern orbit meadow violet', [])).toBe('ok');
  });
});
