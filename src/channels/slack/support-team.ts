// Who may act on tickets from Slack. Configurable: an explicit list (SLACK_SUPPORT_USERS), a user
// group (SLACK_SUPPORT_USERGROUP), or, when neither is set, the members of the triage channel.
// Lookups are cached briefly per replica; a failed lookup denies (the safe side).
import type { Config } from '../../config/config.js';
import type { Logger } from '../../shared/logger.js';
import { slackErrorCode, type WebClient } from './slack-api.js';

export class SupportTeam {
  private readonly cache = new Map<string, { at: number; members: Set<string> }>();

  constructor(
    private readonly api: WebClient,
    private readonly config: Readonly<Config>['slack'],
    private readonly logger: Logger,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async isMember(userId: string): Promise<boolean> {
    if (this.config.supportUsers.includes(userId)) return true;
    const group = this.config.supportUsergroup;
    if (group) {
      const members = await this.cached(`group:${group}`, async () => {
        const res = await this.api.usergroups.users.list({ usergroup: group });
        return res.users ?? [];
      });
      if (members.has(userId)) return true;
    }
    const channel = this.config.triageChannel;
    if (this.config.supportUsers.length === 0 && !group && channel) {
      const members = await this.cached(`channel:${channel}`, () => this.channelMembers(channel));
      return members.has(userId);
    }
    return false;
  }

  private async channelMembers(channel: string): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await this.api.conversations.members({ channel, limit: 200, ...(cursor ? { cursor } : {}) });
      out.push(...(res.members ?? []));
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return out;
  }

  private async cached(key: string, load: () => Promise<string[]>): Promise<Set<string>> {
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.members;
    try {
      const members = new Set(await load());
      this.cache.set(key, { at: this.now(), members });
      return members;
    } catch (err) {
      this.logger.warn('could not look up the slack support team; refusing the action', { source: key.split(':')[0], error: slackErrorCode(err) });
      return new Set();
    }
  }
}
