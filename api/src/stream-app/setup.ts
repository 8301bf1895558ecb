/**
 * @module
 * The two things `npm run stream:setup` does, on any `StreamAppAdmin`: `checkStreamApp` reads the app and reports
 * every problem without changing anything; `setupStreamApp` plans the changes from the policy, prints one line per
 * change and per item already set, applies them, then reads the app again and reports what is still wrong.
 */
import type { StreamAppAdmin } from './admin.js';
import { readStreamAppState } from './admin.js';
import { findProblems, planChanges, SECURE_CHANNEL_TYPE } from './policy.js';
import type { Problem } from './policy.js';

export type Print = (line: string) => void;

const REQUIRED_ON_UPDATE = ['automod', 'automod_behavior', 'max_message_length'] as const;

/** Reads the app and returns its problems (empty: configured safely). Changes nothing. */
export async function checkStreamApp(admin: StreamAppAdmin): Promise<Problem[]> {
  return findProblems(await readStreamAppState(admin, SECURE_CHANNEL_TYPE));
}

export interface SetupOutcome {
  /** Calls that changed the app (0 when everything was already set). */
  readonly changes: number;
  /** Problems left after the changes (those setup cannot fix through the API). */
  readonly remaining: Problem[];
}

/**
 * Brings the app in line with the policy and reports what it did.
 * @example const { remaining } = await setupStreamApp(admin, console.log);
 */
export async function setupStreamApp(admin: StreamAppAdmin, print: Print): Promise<SetupOutcome> {
  const plan = planChanges(await readStreamAppState(admin, SECURE_CHANNEL_TYPE));
  for (const line of plan.lines) print(line);
  for (const problem of plan.manual) print(`left for the dashboard: ${problem.message}`);
  let changes = 0;
  if (Object.keys(plan.app).length > 0) {
    await admin.updateApp(plan.app);
    changes += 1;
  }
  if (Object.keys(plan.channelType).length > 0) {
    // Stream's channel-type update requires these three even when they do not change: send them back as they are.
    const current = await admin.getChannelType(SECURE_CHANNEL_TYPE);
    const required = Object.fromEntries(
      REQUIRED_ON_UPDATE.flatMap((field) => (current[field] !== undefined ? [[field, current[field]]] : [])),
    );
    await admin.updateChannelType(SECURE_CHANNEL_TYPE, { ...required, ...plan.channelType });
    changes += 1;
  }
  for (const template of plan.pushTemplates) {
    await admin.upsertPushTemplate(template);
    changes += 1;
  }
  return { changes, remaining: await checkStreamApp(admin) };
}
