// Where new tickets are posted in Teams: the channel a support-team member chose with "use this
// channel for triage" (kept in the shared store so every replica posts to the same place), or the
// one named by TEAMS_TRIAGE_CONVERSATION_ID, which takes precedence.
import type { Activity, ConversationReference } from 'botbuilder';
import type { Config } from '../../config/config.js';
import type { Settings } from '../../queue/index.js';
import { baseConversationId, teamIdOf } from './context.js';

export const TRIAGE_SETTING = 'teams:triage';
const SERVICE_URL_SETTING = 'teams:serviceUrl';
/** Teams' global Bot Connector endpoint, used until an activity tells us the tenant's own. */
const DEFAULT_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

export interface TriageReference extends Partial<ConversationReference> {
  serviceUrl: string;
  conversation: { id: string; conversationType: 'channel'; isGroup: true; tenantId?: string; name: string };
  /** The team the channel belongs to: its members are the support team when no list is configured. */
  teamId?: string;
  setBy?: string;
  setAt?: string;
  source: 'command' | 'config';
}

export class TriageTarget {
  private serviceUrl: string | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly config: Readonly<Config>,
  ) {}

  /** True when TEAMS_TRIAGE_CONVERSATION_ID fixes the channel, so the chat command cannot move it. */
  get configured(): boolean {
    return Boolean(this.config.teams.triageConversationId);
  }

  async get(): Promise<TriageReference | null> {
    const stored = await this.settings.get<TriageReference>(TRIAGE_SETTING);
    const configuredId = this.config.teams.triageConversationId;
    if (!configuredId) return stored && stored.conversation?.id && stored.serviceUrl ? stored : null;
    if (stored?.conversation?.id === baseConversationId(configuredId)) return stored;
    const serviceUrl = this.serviceUrl ?? (await this.settings.get<string>(SERVICE_URL_SETTING)) ?? DEFAULT_SERVICE_URL;
    return {
      channelId: 'msteams',
      serviceUrl,
      conversation: {
        id: baseConversationId(configuredId),
        conversationType: 'channel',
        isGroup: true,
        name: '',
        ...(this.config.teams.tenantId ? { tenantId: this.config.teams.tenantId } : {}),
      },
      ...(this.config.teams.appId ? { bot: { id: `28:${this.config.teams.appId}`, name: 'Partnership Navigator' } } : {}),
      source: 'config',
    };
  }

  /** Stores the channel the activity came from as the triage channel. */
  async set(activity: Partial<Activity>, setBy: string): Promise<TriageReference> {
    const ref = referenceFrom(activity, 'command');
    await this.settings.set(TRIAGE_SETTING, { ...ref, setBy, setAt: new Date().toISOString() });
    return ref;
  }

  /**
   * Learns from traffic: the tenant's Bot Connector address (for a configured channel id, which
   * comes without one), and the full reference when a message arrives from the configured channel.
   */
  async observe(activity: Partial<Activity>): Promise<void> {
    const url = activity.serviceUrl;
    if (url && url !== this.serviceUrl) {
      this.serviceUrl = url;
      await this.settings.set(SERVICE_URL_SETTING, url);
    }
    const configuredId = this.config.teams.triageConversationId;
    const id = activity.conversation?.id;
    if (!configuredId || !id || baseConversationId(id) !== baseConversationId(configuredId)) return;
    const stored = await this.settings.get<TriageReference>(TRIAGE_SETTING);
    if (stored?.conversation?.id === baseConversationId(configuredId) && stored.serviceUrl === url && stored.teamId) return;
    await this.settings.set(TRIAGE_SETTING, { ...referenceFrom(activity, 'config'), setAt: new Date().toISOString() });
  }
}

function referenceFrom(activity: Partial<Activity>, source: TriageReference['source']): TriageReference {
  const teamId = teamIdOf(activity);
  return {
    channelId: activity.channelId ?? 'msteams',
    serviceUrl: activity.serviceUrl ?? DEFAULT_SERVICE_URL,
    conversation: {
      id: baseConversationId(activity.conversation?.id ?? ''),
      conversationType: 'channel',
      isGroup: true,
      name: activity.conversation?.name ?? '',
      ...(activity.conversation?.tenantId ? { tenantId: activity.conversation.tenantId } : {}),
    },
    ...(activity.recipient ? { bot: { id: activity.recipient.id, name: activity.recipient.name } } : {}),
    ...(teamId ? { teamId } : {}),
    source,
  };
}
