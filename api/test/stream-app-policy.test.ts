import { describe, expect, it } from 'vitest';
import { findProblems, templateValues } from '../src/stream-app/policy.js';
import { checkStreamApp, setupStreamApp } from '../src/stream-app/setup.js';
import { runStreamSetup } from '../tools/stream-setup.js';
import { FakeStreamApp } from './fake-stream-app.js';

const ids = async (app: FakeStreamApp) => (await checkStreamApp(app)).map((p) => p.id);

describe('the Stream app policy', () => {
  it('finds the loose defaults of a new app, membership changes marked critical', async () => {
    const problems = await checkStreamApp(new FakeStreamApp());
    const critical = problems.filter((p) => p.critical).map((p) => p.id);
    expect(critical).toEqual(
      expect.arrayContaining([
        'grants.user.create-channel',
        'grants.user.update-channel-members-owner',
        'grants.channel_member.remove-own-channel-membership',
        'grants.channel_moderator.update-channel-members',
      ]),
    );
    const others = problems.filter((p) => !p.critical).map((p) => p.id);
    expect(others).toEqual(
      expect.arrayContaining([
        'grants.user.update-channel-owner',
        'grants.user.delete-channel-owner',
        'grants.channel_moderator.update-message',
        'channel-type.url_enrichment',
      ]),
    );
    // Nothing about admin: server-side calls are what it is for.
    expect(problems.some((p) => p.id.startsWith('grants.admin.'))).toBe(false);
    expect(problems.find((p) => p.id === 'grants.user.create-channel')?.message).toMatch(
      /messaging grants: role user holds create-channel/,
    );
  });

  it('setup removes what members must not hold, keeps what they need, and is idempotent', async () => {
    const app = new FakeStreamApp();
    const lines: string[] = [];
    const first = await setupStreamApp(app, (line) => lines.push(line));
    expect(first.remaining).toEqual([]);
    expect(first.changes).toBe(1);
    expect(lines).toContain(
      'messaging grants: user: removed create-channel, delete-channel-owner, recreate-channel-owner, remove-own-channel-membership-owner, truncate-channel-owner, update-channel-members-owner, update-channel-owner',
    );
    expect(lines).toContain('messaging channel type: url_enrichment on → off');
    expect(lines).toContain('app: disable_auth_checks already off');
    const grants = app.channelType.grants!;
    expect(grants.channel_member).toEqual(
      expect.arrayContaining(['read-channel', 'create-message', 'upload-attachment', 'create-reaction']),
    );
    expect(grants.user).toEqual(
      expect.arrayContaining(['update-message-owner', 'delete-message-owner', 'delete-reaction-owner']),
    );
    expect(grants.admin).toContain('update-channel-members');

    const again: string[] = [];
    const second = await setupStreamApp(app, (line) => again.push(line));
    expect(second).toEqual({ changes: 0, remaining: [] });
    expect(again.every((line) => /already|no push provider/.test(line))).toBe(true);
  });

  it('grants members what the widget needs when the app lacks it', async () => {
    const app = new FakeStreamApp();
    app.channelType = {
      ...app.channelType,
      grants: { ...app.channelType.grants, channel_member: ['read-channel'] },
    };
    expect(await ids(app)).toContain('grants.missing.upload-attachment');
    const lines: string[] = [];
    await setupStreamApp(app, (line) => lines.push(line));
    expect(lines).toContain(
      'messaging grants: channel_member: added read-channel-members, create-message, create-attachment, upload-attachment, create-reaction, send-custom-event',
    );
    expect(await ids(app)).toEqual([]);
  });

  it('counts -any-team grants, and never empties a role (Stream would restore its defaults)', async () => {
    const app = new FakeStreamApp();
    app.channelType = {
      ...app.channelType,
      grants: { ...app.channelType.grants, guest: ['create-channel-any-team'] },
    };
    const problems = await checkStreamApp(app);
    expect(problems.find((p) => p.id === 'grants.guest.create-channel-any-team')?.critical).toBe(true);
    const lines: string[] = [];
    const { remaining } = await setupStreamApp(app, (line) => lines.push(line));
    expect(lines).toContain(
      'left for the dashboard: messaging grants: role guest would be left with no grant; remove its grants in the dashboard',
    );
    expect(app.channelType.grants?.guest).toEqual(['create-channel-any-team']);
    expect(remaining.map((p) => p.id)).toEqual(['grants.guest.create-channel-any-team']);
  });

  it('turns auth and permission checks back on; a permissions v1 app is left for the dashboard', async () => {
    const app = new FakeStreamApp();
    app.app = {
      ...app.app,
      disable_auth_checks: true,
      disable_permissions_checks: true,
      permission_version: 'v1',
    };
    const problems = await checkStreamApp(app);
    expect(problems.filter((p) => p.id.startsWith('app.')).every((p) => p.critical)).toBe(true);
    const lines: string[] = [];
    const { remaining } = await setupStreamApp(app, (line) => lines.push(line));
    expect(lines).toContain('app: disable_auth_checks on → off');
    expect(lines).toContain(
      'left for the dashboard: the app uses permissions v1: grants apply only with permissions v2',
    );
    expect(app.app.disable_auth_checks).toBe(false);
    expect(remaining.map((p) => p.id)).toEqual(['app.permission_version']);
  });

  it('push: default templates are a problem; setup writes a fixed-text, ids-only template and turns other events off', async () => {
    const app = new FakeStreamApp();
    app.app = {
      ...app.app,
      push_notifications: { version: 'v3', providers: [{ type: 'firebase', name: 'fcm' }] },
    };
    app.templates = [
      {
        event_type: 'reaction.new',
        enable_push: true,
        push_provider_type: 'firebase',
        push_provider_name: 'fcm',
      },
    ];
    expect(await ids(app)).toEqual(expect.arrayContaining(['push.fcm.message.new', 'push.fcm.reaction.new']));
    await setupStreamApp(app, () => {});
    expect(await ids(app)).toEqual([]);
    const newMessage = app.templates.find((t) => t.event_type === 'message.new')!;
    expect(newMessage.enable_push).toBe(true);
    expect(templateValues(newMessage.template!).sort()).toEqual([
      'channel.cid',
      'event_type',
      'message.id',
      'receiver.id',
    ]);
    expect(app.templates.find((t) => t.event_type === 'reaction.new')?.enable_push).toBe(false);

    // A template that names the sender or quotes the text is refused.
    app.templates = app.templates.map((t) =>
      t.event_type === 'message.new'
        ? { ...t, template: '{"title":"{{ sender.name }}","body":"{{ truncate message.text 150 }}"}' }
        : t,
    );
    const problem = (await checkStreamApp(app)).find((p) => p.id === 'push.fcm.message.new.values');
    expect(problem?.message).toContain('sender.name, message.text');
  });

  it('push: settings Stream does not report, or a v2 app, get pushes turned off for the channel type', () => {
    const state = {
      app: {},
      channelType: { grants: {}, push_notifications: true },
      pushTemplates: [],
    };
    expect(findProblems(state).map((p) => p.id)).toContain('push.unknown');
    const v2 = { ...state, app: { push: { version: 'v2', providers: [{ type: 'apn', name: 'apn' }] } } };
    expect(findProblems(v2).map((p) => p.id)).toContain('push.version');
  });
});

describe('npm run stream:setup', () => {
  it('--check changes nothing and exits 1 naming each problem; setup then --check exits 0', async () => {
    const app = new FakeStreamApp();
    const out: string[] = [];
    const print = (line: string) => out.push(line);
    const env = { STREAM_API_KEY: 'key', STREAM_API_SECRET: 'secret', STREAM_BASE_URL: 'http://stream.test' };
    expect(await runStreamSetup(['--check'], env, print, app)).toBe(1);
    expect(app.calls.some((call) => !call.startsWith('GET'))).toBe(false);
    expect(out).toContain('Stream app key at http://stream.test');
    expect(out.some((line) => /^check: \d+ problems$/.test(line))).toBe(true);
    expect(out).toContain(
      '  CRITICAL messaging grants: role user holds create-channel (only the token API may create channels or change their members) [grants.user.create-channel]',
    );
    expect(out.join('\n')).not.toContain('secret');

    out.length = 0;
    expect(await runStreamSetup([], env, print, app)).toBe(0);
    expect(out).toContain('setup: 1 change made');
    out.length = 0;
    expect(await runStreamSetup(['--check'], env, print, app)).toBe(0);
    expect(out.at(-1)).toBe('check: configured safely');
  });

  it('exits 2 on a usage error, missing credentials, or an unreachable Stream', async () => {
    const out: string[] = [];
    expect(await runStreamSetup(['--fix'], {}, (line) => out.push(line))).toBe(2);
    expect(await runStreamSetup([], {}, (line) => out.push(line))).toBe(2);
    expect(out).toContain('STREAM_API_KEY and STREAM_API_SECRET are required');
    const down = new FakeStreamApp();
    down.failing = true;
    expect(await runStreamSetup(['--check'], { STREAM_API_KEY: 'k' }, (line) => out.push(line), down)).toBe(
      2,
    );
    expect(out.at(-1)).toMatch(/^could not reach or configure the Stream app: Stream GET/);
  });
});
