// Bolt and the Web API client log through our structured logger. Their debug output includes
// request and response bodies (message text), so it is dropped: only warnings and errors pass,
// as a message without payloads.
import type { Logger as SlackLogger, LogLevel as SlackLogLevel } from '@slack/bolt';
import type { Logger } from '../../shared/logger.js';

export function boltLogger(logger: Logger): SlackLogger {
  let level = 'info' as SlackLogLevel;
  let name = 'slack';
  const describe = (msgs: unknown[]) =>
    msgs
      .map((m) => (m instanceof Error ? `${m.name}: ${m.message}` : typeof m === 'string' ? m : ''))
      .filter(Boolean)
      .join(' ')
      .slice(0, 500);
  return {
    debug: () => undefined,
    // Bolt's info lines are lifecycle chatter ("Now connected to Slack"); keep them at debug.
    info: (...msgs: unknown[]) => logger.debug(describe(msgs), { source: name }),
    warn: (...msgs: unknown[]) => logger.warn(describe(msgs), { source: name }),
    error: (...msgs: unknown[]) => logger.error(describe(msgs), { source: name }),
    setLevel: (l: SlackLogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      name = n;
    },
  };
}
