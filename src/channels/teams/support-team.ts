// Who may act on tickets from Teams: the AAD object ids in TEAMS_SUPPORT_USERS, or the members of
// the triage channel's team (read from the Bot Connector, cached briefly). When the member list
// cannot be read the answer is no: a refusal is recoverable, an unauthorised change is not.
import type { ChannelAccount } from 'botbuilder';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../shared/logger.js';
import type { TeamsConnector } from './connector.js';
import { errorFields, type TeamsUser } from './context.js';
import type { TriageTarget } from './triage-target.js';

const CACHE_MS = 5 * 60_000;

export class SupportTeam {
  private cache: { key: string; members: ChannelAccount[]; at: number } | undefined;

  constructor(
    private readonly config: Readonly<Config>,
    private readonly triage: TriageTarget,
    private readonly connector: TeamsConnector,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async isMember(user: Pick<TeamsUser, 'id' | 'aadObjectId' | 'botId'>): Promise<boolean> {
    const listed = this.config.teams.supportUsers;
    if (user.aadObjectId && listed.includes(user.aadObjectId)) return true;
    const members = await this.triageMembers();
    return members.some((m) => (user.aadObjectId && m.aadObjectId === user.aadObjectId) || m.id === user.botId);
  }

  /** A display name for an AAD object id, when the triage channel's member list knows it. */
  async nameOf(aadObjectId: string): Promise<string | undefined> {
    const members = await this.triageMembers();
    return members.find((m) => m.aadObjectId === aadObjectId)?.name || undefined;
  }

  /** Forget the cached member list (the triage channel moved). */
  invalidate(): void {
    this.cache = undefined;
  }

  private async triageMembers(): Promise<ChannelAccount[]> {
    const ref = await this.triage.get();
    if (!ref) return [];
    const conversationId = ref.teamId ?? ref.conversation.id;
    const key = `${ref.serviceUrl}|${conversationId}`;
    if (this.cache && this.cache.key === key && this.now() - this.cache.at < CACHE_MS) return this.cache.members;
    try {
      const members = await this.connector.members(ref, conversationId);
      this.cache = { key, members, at: this.now() };
      return members;
    } catch (err) {
      this.logger.warn('could not read the Teams triage channel members; treating the user as not on the support team', errorFields(err));
      return [];
    }
  }
}
